"""Inbound messages: stored once per wamid, in the citizen's order, and handed to the one handler named in
settings.WHATSAPP_INBOUND_HANDLER (hooks.py) as fn(*, message: InboundMessage).

Every type reaches the handler (text, replies, images, documents, audio, video, stickers, locations, contacts,
unsupported), except reactions and system events, which are only stored. The channel answers by itself only
where the conversation cannot: a refused file (too big, wrong type, damaged; it never reaches the handler) and an
apology when the handler keeps failing on a message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .contacts import contact_identify
from .hooks import inbound_handle
from .media import media_receive
from .models import Contact, InboundMessage, WebhookDelivery
from .outbox import outbox_claim_before_commit, outbox_enqueue
from .updates import MAX_PHONE, MessageUpdate

logger = logging.getLogger(__name__)

# Stored, never handed over: nobody expects an answer to a reaction or a number change.
SILENT_TYPES = {"reaction", "system", "ephemeral", "request_welcome", "order"}
MEDIA_TYPES = {"image", "document"}
# Interactive replies the channel reads; any other interactive message is handed over as "unsupported".
INTERACTIVE_REPLIES = {"button_reply", "list_reply"}
# Longest wait for an earlier message of the same person that another worker is still handling.
ORDER_WAIT_SECONDS = 20.0
# A message the handler keeps failing on gets an apology instead of more retries after this long.
HANDLER_GIVE_UP_AFTER = timedelta(minutes=10)


def _message_text(message: dict) -> tuple[str, str]:
    """(text, reply_id) of an inbound message in the handler's terms (shapes already checked in updates.py)."""
    kind = message.get("type", "")
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return str(body.get("body", "")), ""
    if kind == "interactive":
        reply = body.get(str(body.get("type", "")))
        reply = reply if isinstance(reply, dict) else {}
        return str(reply.get("title", "")), str(reply.get("id", ""))
    if kind == "button":
        return str(body.get("text", "")), str(body.get("payload", ""))
    if kind in ("image", "document", "video"):
        return str(body.get("caption", "")), ""
    if kind == "reaction":
        return str(body.get("emoji", "")), str(body.get("message_id", ""))
    if kind == "system":
        return str(body.get("body", "")), ""
    return "", ""


def inbound_message_receive(
    *,
    update: MessageUpdate,
    delivery: WebhookDelivery | None = None,
    claim: Callable[[], bool] | None = None,
    then: Callable[[], None] | None = None,
) -> InboundMessage | None:
    """Store one inbound message (once per wamid) and handle it: the handler, a refused file's answer or nothing.

    `type` is Meta's, except an interactive message that is no button or list reply: stored as "unsupported".
    `claim` (the delivery's, not made yet) is made before anything is written, in the transaction that stores the
    message; when it fails (another worker has the delivery) nothing is done and None is returned. `then` (the
    delivery's outcome) is called once the message is handled, in the transaction that handled it, and not at all
    when handling fails.

    A message without a file is stored, its contact written and the message handled in one transaction (on SQLite
    every transaction waits its turn for the one write lock, and fifty citizens at once wait for each other's); a
    file's message is stored first, then downloaded and handled, since the download must not hold the lock.
    """
    kind = update.message["type"]
    if kind == "interactive" and update.message["interactive"].get("type") not in INTERACTIVE_REPLIES:
        kind = "unsupported"
    stored = None
    if kind in MEDIA_TYPES:
        if claim is not None and not claim():
            return None
        stored = _inbound_store(update=update, kind=kind, delivery=delivery)
        if stored[0].processed_at is None and not hasattr(stored[0], "media"):
            media_receive(message=stored[0])
    # Before the transaction: inside it, the wait would hold the write lock the earlier message needs.
    _wait_for_earlier(update=update, delivery=delivery)
    failure: Exception | None = None
    with transaction.atomic():
        if claim is not None and not claim():
            return None
        inbound, fresh = stored or _inbound_store(update=update, kind=kind, delivery=delivery)
        try:
            if inbound.processed_at is None:
                # A message just stored here, with its contact and office as this delivery read them, is handed
                # over as it is; a file's (its Media was written beside it) and a retried one's are read back.
                _inbound_handle(inbound_id=inbound.pk, loaded=inbound if fresh and stored is None else None)
        except Exception as exc:  # the savepoint is gone; the message stays stored, unclaimed, for the retry
            failure = exc
        else:
            _handled(then=then)
    if failure is not None:
        raise failure
    return inbound


def _handled(*, then: Callable[[], None] | None) -> None:
    """The end of a handling transaction: the caller's outcome, and the first answer claimed for its send."""
    if then is not None:
        then()
    outbox_claim_before_commit()


def _inbound_store(
    *, update: MessageUpdate, kind: str, delivery: WebhookDelivery | None
) -> tuple[InboundMessage, bool]:
    """The stored message and whether this call stored it; the contact's identity and last message brought up to
    date. Stored first, the wamid's unique index answering whether it was seen before (a retry or a re-batched
    duplicate): one statement less for every new message, which is nearly all of them."""
    office, message, sent_at = update.office, update.message, update.sent_at
    with transaction.atomic():
        contact = contact_identify(office=office, user_id=update.user_id, phone=update.phone, name=update.name)
        text, reply_id = _message_text(message)
        fresh = True
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    office=office,
                    contact=contact,
                    wamid=message["id"],
                    type=kind[:20],
                    text=text,
                    reply_id=reply_id[:256],
                    payload=message,
                    sent_at=sent_at,
                    delivery=delivery,
                )
        except IntegrityError:
            inbound = InboundMessage.objects.get(wamid=message["id"])
            fresh = False
        if fresh:
            system = message.get("system") if isinstance(message.get("system"), dict) else {}
            new_phone = next(
                (p for p in (system.get("wa_id"), system.get("new_wa_id")) if isinstance(p, str) and p.isdigit()), ""
            )[:MAX_PHONE]
            if system.get("type") == "user_changed_number" and new_phone:
                # The citizen keeps the conversation under the new number (if nobody else has it).
                if not Contact.objects.filter(office=office, phone=new_phone).exists():
                    Contact.objects.filter(pk=contact.pk).update(phone=new_phone)
        if kind not in ("system", "reaction"):
            # Also on a retry of a message already stored: a worker may have died between storing it and this,
            # and the answer would then go out as if the 24-hour window were closed. It only ever moves forward.
            Contact.objects.filter(pk=inbound.contact_id).filter(
                Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=sent_at)
            ).update(last_inbound_at=sent_at)
            if fresh and (contact.last_inbound_at is None or contact.last_inbound_at < sent_at):
                contact.last_inbound_at = sent_at
    return inbound, fresh


def _wait_for_earlier(*, update: MessageUpdate, delivery: WebhookDelivery | None) -> None:
    """Let an earlier message of the same person, arriving in another POST that a second worker is still handling
    (e.g. downloading a photo), reach the handler first, so the conversation keeps the citizen's order.

    The person is matched by their WhatsApp ids, not by a contact row: a first message's contact is written only
    in the transaction that handles it. The look starts from those contacts (their unique indexes, then the
    messages' contact index), not from the office's messages, which it would otherwise walk on every message."""
    deadline = time.monotonic() + ORDER_WAIT_SECONDS
    now = timezone.now()
    person = (Q(wa_user_id=update.user_id) if update.user_id else Q()) | (
        Q(phone=update.phone) if update.phone else Q()
    )
    earlier = InboundMessage.objects.filter(
        contact__in=Contact.objects.filter(person, office=update.office).values("pk"),
        processed_at__isnull=True,
        sent_at__lt=update.sent_at,
        received_at__gte=now - timedelta(minutes=2),
        # Only one a worker holds right now; one whose delivery failed and waits for its retry (or is dead)
        # would only make every later message of the citizen wait in vain.
        delivery__claimed_until__gt=now,
    )
    if delivery is not None:
        earlier = earlier.exclude(delivery_id=delivery.pk)
    while earlier.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def _inbound_handle(*, inbound_id: int, loaded: InboundMessage | None = None) -> None:
    with transaction.atomic():
        now = timezone.now()
        # The claim makes concurrent workers and retries hand a message over at most once.
        if not InboundMessage.objects.filter(pk=inbound_id, processed_at__isnull=True).update(processed_at=now):
            return
        if loaded is not None:
            inbound = loaded
            inbound.processed_at = now
        else:
            inbound = InboundMessage.objects.select_related("contact", "office").get(pk=inbound_id)
        if inbound.type in SILENT_TYPES:
            return
        media = getattr(inbound, "media", None) if inbound.type in MEDIA_TYPES else None
        if media is not None and media.rejected_reason:
            _refuse(inbound=inbound, reason=media.rejected_reason)
            return
        if timezone.now() - inbound.received_at < HANDLER_GIVE_UP_AFTER:
            inbound_handle(message=inbound)  # an error rolls back the claim and the delivery is retried
            return
        try:
            with transaction.atomic():
                inbound_handle(message=inbound)
        except Exception:
            # Retried for a while and still failing: apologise once rather than stay silent.
            logger.exception("the handler keeps failing on message %s; the citizen gets an apology", inbound.pk)
            _refuse(inbound=inbound, reason="error")


def _refusal_text(reason: str) -> str:
    """What the channel itself says: why a file was refused (a reason of pencet.lib.files or of the download), or
    that the message could not be handled at all ("error")."""
    if reason == "too_big":
        return _(
            "Maaf, berkas Anda terlalu besar. Batasnya %(image)s MB untuk foto dan %(document)s MB untuk dokumen. "
            "Silakan kirim ulang dengan ukuran lebih kecil."
        ) % {
            "image": settings.WHATSAPP_IMAGE_MAX_BYTES // (1024 * 1024),
            "document": settings.WHATSAPP_DOCUMENT_MAX_BYTES // (1024 * 1024),
        }
    if reason == "wrong_type":
        accepted = _("Kami menerima pesan teks, foto (JPG, PNG, WebP, HEIC) dan dokumen PDF.")
        return _("Maaf, jenis berkas ini tidak dapat kami terima.") + " " + accepted
    if reason == "error":
        return _(
            "Maaf, pesan Anda belum dapat kami proses karena gangguan sistem. Silakan coba lagi nanti atau "
            "ketik *petugas* untuk dihubungi petugas."
        )
    if reason == "bomb":
        return _("Maaf, gambar ini tidak dapat kami proses. Silakan kirim foto biasa langsung dari kamera.")
    # corrupt, empty, sha_mismatch, download_failed: the same advice, send it again.
    return _("Maaf, berkas Anda rusak atau tidak utuh saat kami terima. Silakan kirim ulang berkasnya.")


def _refuse(*, inbound: InboundMessage, reason: str) -> None:
    InboundMessage.objects.filter(pk=inbound.pk).update(declined_reason=reason[:30])
    with translation.override(inbound.contact.language or "id"):
        body = _refusal_text(reason)
    outbox_enqueue(contact=inbound.contact, kind="text", payload={"body": body})
