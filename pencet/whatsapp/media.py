"""Inbound photos and documents: fetched from Meta with the bearer token, checked by pencet.lib.files, stored."""

from __future__ import annotations

import base64
import binascii
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from pencet.lib import files

from . import client
from .models import InboundMessage, Media

logger = logging.getLogger(__name__)

# First pause between media download attempts (doubled each time, four attempts).
MEDIA_RETRY_SECONDS = 0.25


def _expected_sha256(value: str) -> str:
    """Meta sends the sha256 base64-encoded in webhooks and hex in the media endpoint; return hex."""
    value = (value or "").strip()
    if len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.lower()
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=False)
    except (binascii.Error, ValueError):
        return ""
    return raw.hex() if len(raw) == 32 else ""


def _media_download(*, media_id: str, max_bytes: int) -> tuple[bytes, str, dict]:
    """GET the media info, then the URL with the bearer token (a fresh URL when it expired). Raises GraphError,
    client.MediaTooBig."""
    last_error: client.GraphError | None = None
    for attempt in range(4):
        try:
            info = client.graph_media_info(media_id=media_id)
            size = int(info.get("file_size") or 0)
            if size > max_bytes:
                raise client.MediaTooBig(f"{size} bytes")
            data, digest = client.graph_media_download(url=info["url"], max_bytes=max_bytes)
            return data, digest, info
        except client.GraphError as exc:
            last_error = exc
            if not (exc.status == 404 or exc.retryable):
                raise
            if attempt < 3:
                time.sleep(MEDIA_RETRY_SECONDS * 2**attempt)
    assert last_error is not None
    raise last_error


def media_receive(*, message: InboundMessage) -> Media:
    """Download, check and store the file of an inbound image or document; refusals are kept with a reason."""
    kind = message.type
    body = message.payload.get(kind)
    body = body if isinstance(body, dict) else {}
    media_id = str(body.get("id", ""))[:64]
    max_bytes = settings.WHATSAPP_IMAGE_MAX_BYTES if kind == "image" else settings.WHATSAPP_DOCUMENT_MAX_BYTES
    original_name = str(body.get("filename", ""))[:255]
    media = Media(message=message, media_id=media_id, original_name=original_name)
    try:
        data, digest, info = _media_download(media_id=media_id, max_bytes=max_bytes)
    except client.MediaTooBig:
        return _media_reject(media=media, reason="too_big")
    except client.GraphError as exc:
        if exc.retryable:
            # Meta is having a bad moment: the delivery is retried later, the citizen need not resend.
            raise
        logger.warning("media %s of message %s: %s", media_id, message.pk, exc)
        return _media_reject(media=media, reason="download_failed")
    for claimed in (_expected_sha256(body.get("sha256", "")), _expected_sha256(info.get("sha256", ""))):
        if claimed and claimed != digest:
            return _media_reject(media=media, reason="sha_mismatch", size=len(data))
    try:
        # The download already stopped at the limit; passing it again keeps the one pipeline's judgement whole.
        checked = files.file_check(data=data, max_bytes=max_bytes)
    except files.FileRejected as exc:
        return _media_reject(media=media, reason=exc.reason, size=len(data))
    media.content_type = checked.content_type
    media.size = checked.size
    media.sha256 = checked.sha256
    media.quality = checked.quality
    media.file.save(f"{checked.sha256[:32]}.{checked.extension}", ContentFile(checked.data), save=False)
    return _media_save(media=media)


def _media_reject(*, media: Media, reason: str, size: int = 0) -> Media:
    media.rejected_reason = reason
    media.size = size
    return _media_save(media=media)


def _media_save(*, media: Media) -> Media:
    try:
        with transaction.atomic():
            media.save()
    except IntegrityError:  # another worker stored it first
        if media.file:
            media.file.delete(save=False)
        return Media.objects.get(message_id=media.message_id)
    return media
