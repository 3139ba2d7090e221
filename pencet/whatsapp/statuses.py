"""Statuses of outbound messages (sent, delivered, read, failed) from Meta's webhook."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import client
from .hooks import status_listeners_notify
from .models import MessageStatus, OutboundMessage
from .outbox import outbox_schedule

STATUS_RANK = {
    OutboundMessage.Status.QUEUED: 0,
    OutboundMessage.Status.SENDING: 1,
    OutboundMessage.Status.UNKNOWN: 1,
    OutboundMessage.Status.SENT: 2,
    OutboundMessage.Status.DELIVERED: 3,
    OutboundMessage.Status.READ: 4,
}
# Rows Meta's status may find before the outbox knows their outcome: mid-call, left by a dead worker, or queued to be
# sent again (orphans.py). Once settled, the person's later messages, which waited behind the row, go out.
UNSETTLED = (OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING, OutboundMessage.Status.UNKNOWN)

logger = logging.getLogger(__name__)


def message_status_receive(*, item: dict, received_at: datetime | None = None) -> None:
    """One entry of `statuses` (shapes checked in updates.py): stored once per (wamid, status); moves the outbox
    row forward only. Timestamps are never later than `received_at`, when the POST arrived."""
    wamid, status = str(item.get("id", "")), str(item.get("status", ""))
    if not wamid or not status:
        return
    errors = item.get("errors")
    error = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    moment = client.meta_time(item.get("timestamp"), now=received_at)
    with transaction.atomic():
        try:
            with transaction.atomic():
                MessageStatus.objects.create(
                    wamid=wamid,
                    status=status,
                    timestamp=moment,
                    error_code=str(error.get("code", ""))[:20],
                    payload=item,
                )
        except IntegrityError:
            return  # a duplicate
        row = OutboundMessage.objects.select_for_update().filter(wamid=wamid).first()
        callback = str(item.get("biz_opaque_callback_data", ""))
        if row is None and callback.isdigit() and len(callback) < 19:
            row = OutboundMessage.objects.select_for_update().filter(pk=int(callback), wamid="").first()
        if row is None:
            _duplicate_note(wamid=wamid, callback=callback)
            return
        updates: dict = {"wamid": wamid}
        window_closed = str(error.get("code", "")) in {str(c) for c in client.WINDOW_CLOSED_CODES}
        if (
            status == "failed"
            and window_closed
            and row.kind != OutboundMessage.Kind.TEMPLATE
            and not row.payload.get("_window_closed")
            and row.status not in (OutboundMessage.Status.DELIVERED, OutboundMessage.Status.READ)
        ):
            # Meta reported the closed window after accepting the send: nothing reached the citizen, so the
            # template fallback is a first delivery, not a second one.
            OutboundMessage.objects.filter(pk=row.pk).update(
                status=OutboundMessage.Status.QUEUED,
                wamid="",
                payload={**row.payload, "_window_closed": True},
                error_code=str(error.get("code", ""))[:20],
                error_message=str(error.get("message") or error.get("title", ""))[:2000],
                next_attempt_at=None,
                updated_at=timezone.now(),
            )
            transaction.on_commit(lambda: outbox_schedule(message_id=row.pk))
            return
        if status == "failed":
            if row.status not in (OutboundMessage.Status.DELIVERED, OutboundMessage.Status.READ):
                data = error.get("error_data") if isinstance(error.get("error_data"), dict) else {}
                detail = data.get("details") or error.get("message") or error.get("title", "")
                updates.update(
                    status=OutboundMessage.Status.FAILED,
                    error_code=str(error.get("code", ""))[:20],
                    error_message=str(detail)[:2000],
                )
        elif status in STATUS_RANK and row.status != OutboundMessage.Status.FAILED:
            if STATUS_RANK[status] > STATUS_RANK.get(row.status, 0):
                updates["status"] = status
                if row.sent_at is None:
                    updates["sent_at"] = moment
        if row.status in UNSETTLED and updates.get("status"):
            if updates["status"] != OutboundMessage.Status.FAILED:
                updates.update(error_code="", error_message="")
            updates["next_attempt_at"] = None
            transaction.on_commit(lambda: outbox_schedule(message_id=row.pk))
        OutboundMessage.objects.filter(pk=row.pk).update(**updates, updated_at=timezone.now())
        status_listeners_notify(message_id=row.pk)


def _duplicate_note(*, wamid: str, callback: str) -> None:
    """A status for an attempt of a row that went out again under another wamid (orphans.py): the person got the
    message twice. Nothing to change; the log says so."""
    if not (callback.isdigit() and len(callback) < 19):
        return
    row = OutboundMessage.objects.filter(pk=int(callback)).exclude(wamid="").values_list("wamid", "attempts").first()
    if row and row[1] > 1:
        logger.warning("whatsapp outbound %s: Meta reports earlier attempt %s too: sent twice", callback, wamid)
