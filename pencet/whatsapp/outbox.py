"""The outbox: the one way to send. Contract used by the bot, the console and delivery:

    outbox_enqueue(*, contact, kind, payload, ...) -> OutboundMessage

writes the outbound row in the caller's transaction and sends it after commit: at once in the worker when the
caller runs in a Huey task (the bot's turn after a webhook), else through a Huey task. Messages to one person go out
in order and within Meta's pair rate limit, a token bucket per contact (pace_take): a turn goes out at once, and only
after a burst of WHATSAPP_PAIR_BURST the next ones wait about WHATSAPP_PAIR_INTERVAL_SECONDS each.
Payload shapes by kind (our own terms; the Graph client turns them into Cloud API JSON):
    text:     {"body": str}
    buttons:  {"body": str, "buttons": [{"id": str, "title": str}], "header"?: str, "footer"?: str}
    list:     {"body": str, "button": str, "sections": [{"title": str, "rows": [{"id", "title", "description"?}]}],
               "header"?: str, "footer"?: str}
    document: {"storage_name": str, "filename": str, "caption"?: str}
    template: {"name": str, "language": str, "params": [str, ...]}
Limits (≤ 3 buttons, titles ≤ 20, ≤ 10 rows, …) are checked here and raise client.MessageLimitError.
Every outcome (sent, failed) is told to settings.WHATSAPP_STATUS_LISTENERS (hooks.py). A row whose worker died
inside the Graph call is settled by Meta's status or sent once more (orphans.py); the person's later messages wait.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY, db_task

from pencet.accounts.models import Office, User
from pencet.catalog.models import MessageTemplate
from pencet.lib import files

from . import client
from .hooks import status_listeners_notify
from .models import ChannelAlert, Contact, OutboundMessage
from .orphans import orphans_mark, orphans_requeue
from .selectors import channel_sending_stopped, contact_window_open

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = 3600.0
# Meta's "pair rate limit" error: this person got too many messages too fast.
PAIR_RATE_LIMIT_CODE = 131056


def outbox_enqueue(
    *,
    contact: Contact,
    kind: str,
    payload: dict,
    application: object | None = None,
    template_event: str = "",
    template_params: list[str] | None = None,
    sent_by: User | None = None,
    preview: str = "",
) -> OutboundMessage:
    client.payload_check(kind=kind, payload=payload)
    message = OutboundMessage.objects.create(
        office_id=contact.office_id,
        contact=contact,
        application=application,
        kind=kind,
        payload=payload,
        preview=preview or _preview(kind=kind, payload=payload),
        template_event=template_event,
        template_params=template_params or [],
        sent_by=sent_by,
    )
    _flush_after_commit(contact_id=contact.pk, message_id=message.pk)
    return message


class _FlushAfterCommit:
    """The on-commit send of a contact's rows: one per contact and transaction, since the first flush sends every
    queued row of the person in order and a second one only finds nothing left (seven statements a message)."""

    def __init__(self, *, contact_id: int, message_id: int) -> None:
        self.contact_id, self.message_id = contact_id, message_id
        self.ran = False
        # The person's first row (its id), when outbox_claim_before_commit claimed it in the transaction that queued it.
        self.claimed: int | None = None

    def __call__(self) -> None:
        self.ran = True  # (a test's captured callbacks stay in the list after they ran)
        # In a worker: the person is known, and the row just committed is queued (no look needed for either). A row
        # claimed before the commit was claimed in a worker, whose commit this is (a test may run it later).
        if getattr(_in_task, "depth", 0) or self.claimed is not None:
            try:
                row = _outbox_claimed_load(message_id=self.claimed) if self.claimed is not None else None
                if row is not None and not _outbox_deliver(message=row):
                    return
                outbox_contact_flush(contact=Contact(pk=self.contact_id), queued=self.claimed is None)
                return
            except Exception:
                logger.exception("whatsapp outbound %s: sending in this worker failed; queued instead", self.message_id)
        outbox_send_task(self.message_id)


def _flush_after_commit(*, contact_id: int, message_id: int) -> None:
    # One still pending from savepoints all still open here covers this row: a rollback that drops it drops this
    # row too. (One from savepoints since released is left alone, and so is one that already ran: a test runs its
    # captured callbacks before the commit.)
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        isinstance(callback, _FlushAfterCommit) and callback.contact_id == contact_id and not callback.ran
        for sids, callback, _robust in connection.run_on_commit
        if sids <= here
    ):
        return
    transaction.on_commit(_FlushAfterCommit(contact_id=contact_id, message_id=message_id))


def outbox_claim_before_commit() -> None:
    """Claim, in the transaction that queued them, the first row of each person whose send waits for its commit, so
    that the send after the commit goes to Meta without a write transaction of its own first (on SQLite each one
    waits its turn for the write lock behind every other worker's). Only in a worker, where the send after the
    commit happens in this process; a row it cannot send now (pacing, a row in flight) is left to that send."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block or not getattr(_in_task, "depth", 0):
        return
    # One claim per person (their first row goes first), held by the send registered last.
    waiting = {
        callback.contact_id: callback
        for _sids, callback, _robust in connection.run_on_commit
        if isinstance(callback, _FlushAfterCommit) and not callback.ran
    }
    if not waiting or any(c.claimed is not None for c in waiting.values()) or channel_sending_stopped():
        return
    for callback in waiting.values():
        row, wait = _outbox_claim_next(contact_id=callback.contact_id)
        if row is not None and wait == 0:
            callback.claimed = row


def _preview(*, kind: str, payload: dict) -> str:
    text = payload.get("body", "") or payload.get("caption", "")
    if kind == "buttons":
        text += "\n" + " | ".join(f"[{b['title']}]" for b in payload.get("buttons", []))
    elif kind == "list":
        rows = [r for s in payload.get("sections", []) for r in s.get("rows", [])]
        text += "\n" + "\n".join(f"• {r['title']}" for r in rows)
    elif kind == "document":
        text = f"📄 {payload.get('filename', '')}\n{text}".strip()
    elif kind == "template":
        text = " ".join([payload.get("name", ""), *map(str, payload.get("params", []))])
    return text


@db_task(retries=0)
def outbox_send_task(message_id: int) -> None:
    """Send a queued outbound message (and the contact's earlier ones, in order); retries are scheduled by the
    outbox itself with backoff."""
    outbox_send(message_id=message_id)


# How many Huey tasks this thread is running (more than one only in immediate mode, where tasks nest).
_in_task = threading.local()


@HUEY.pre_execute(name="outbox_task_started")
def _task_started(task: object) -> None:
    _in_task.depth = getattr(_in_task, "depth", 0) + 1


@HUEY.post_execute(name="outbox_task_finished")
def _task_finished(task: object, task_value: object, exception: BaseException | None) -> None:
    _in_task.depth = max(0, getattr(_in_task, "depth", 0) - 1)


def outbox_schedule(*, message_id: int, delay: float = 0) -> None:
    """Queue the send of a row (now, or after `delay` seconds).

    Inside a Huey task (a webhook's bot turn, a status, an event's notification) the row is sent by this worker at
    once, right after the commit that wrote it: a second task would only add a trip through the queue before the
    citizen's first reply. A web request never waits for Meta; it hands the send to a worker.
    """
    if delay > 0:
        outbox_send_task.schedule((message_id,), delay=delay)
        return
    if getattr(_in_task, "depth", 0):
        try:
            outbox_send(message_id=message_id)
            return
        except Exception:
            logger.exception("whatsapp outbound %s: sending in this worker failed; queued instead", message_id)
    outbox_send_task(message_id)


def outbox_send(*, message_id: int) -> None:
    """Send the contact's due queued messages in order (the one given and any earlier ones)."""
    contact_id = OutboundMessage.objects.filter(pk=message_id).values_list("contact_id", flat=True).first()
    if contact_id is None:
        return
    outbox_contact_flush(contact=Contact(pk=contact_id))


def outbox_contact_flush(*, contact: Contact, queued: bool = False) -> None:
    """Send the person's due rows in order. `queued`: the caller knows a row is queued (it just committed it)."""
    while True:
        # A look without the lock first: most flushes end by finding the person's queue empty (the turn's rows
        # were sent by the first), and on SQLite every transaction takes the write lock, even one that only reads.
        if (
            not queued
            and not OutboundMessage.objects.filter(contact_id=contact.pk, status=OutboundMessage.Status.QUEUED).exists()
        ):
            return
        queued = False
        if channel_sending_stopped():
            return
        row, wait = _outbox_claim_next(contact_id=contact.pk)
        if row is None:
            return
        if wait > 0:
            return  # put off to the person's next token (scheduled by the claim): no worker waits for it
        claimed = _outbox_claimed_load(message_id=row)
        if claimed is None or not _outbox_deliver(message=claimed):
            return


# Rows that hold the person's line (another worker is mid-call, or a call whose worker died waits for Meta's
# status, orphans.py) and rows still to go.
_IN_FLIGHT = Q(status=OutboundMessage.Status.SENDING) | Q(
    status=OutboundMessage.Status.UNKNOWN, next_attempt_at__isnull=False
)
_OPEN = Q(status=OutboundMessage.Status.QUEUED) | _IN_FLIGHT


def _outbox_claim_next(*, contact_id: int) -> tuple[int | None, float]:
    """Claim the contact's next due message and take a token for it (its id, 0); or say how long the next one must
    wait (its id, seconds); (None, 0) when nothing may go now.

    One transaction with the contact locked: two workers flushing one person can neither send out of order nor
    spend the same token (SQLite's IMMEDIATE transactions serialise writers anyway). Only ids and statuses are read
    here: the claimed row is read whole afterwards (_outbox_claimed_load), outside the transaction, which on SQLite
    holds the one write lock (and, before the commit of a bot's turn, every other citizen's turn waits for it).
    """
    with transaction.atomic():
        pace = (
            Contact.objects.select_for_update()
            .filter(pk=contact_id)
            .values_list("pace_tokens", "pace_counted_at")
            .first()
        )
        if pace is None:
            return None, 0.0
        now = timezone.now()
        messages = OutboundMessage.objects.filter(contact_id=contact_id)
        # One look at the person's open rows (a handful): nothing goes while one is in flight, and the first queued
        # one goes first or nothing does (an earlier message waiting for its retry keeps the conversation in order).
        open_rows = list(messages.filter(_OPEN).order_by("id").values_list("pk", "status", "next_attempt_at"))
        if not open_rows or any(status != OutboundMessage.Status.QUEUED for _pk, status, _at in open_rows):
            return None, 0.0
        pk, _status, next_attempt_at = open_rows[0]
        if next_attempt_at is not None and next_attempt_at > now:
            return None, 0.0
        tokens, wait = pace_take(tokens=pace[0], counted_at=pace[1], now=now)
        if wait > 0:
            # Put off to the person's next token, and sent then (after this commit: the turn's, when the claim is
            # made inside it); without the schedule the row would wait for the minute's sweep.
            messages.filter(pk=pk).update(next_attempt_at=now + timedelta(seconds=wait), updated_at=now)
            transaction.on_commit(lambda: outbox_schedule(message_id=pk, delay=wait))
            return pk, wait
        claimed = messages.filter(pk=pk, status=OutboundMessage.Status.QUEUED).update(
            status=OutboundMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
        if not claimed:
            return None, 0.0
        Contact.objects.filter(pk=contact_id).update(pace_tokens=tokens, pace_counted_at=now)
    return pk, 0.0


def _outbox_claimed_load(*, message_id: int) -> OutboundMessage | None:
    """A row this worker claimed, whole, with what its send needs (the person's window and numbers, the office's
    number id); None if it is no longer in flight."""
    return (
        OutboundMessage.objects.select_related("contact", "office")
        .filter(pk=message_id, status=OutboundMessage.Status.SENDING)
        .first()
    )


def pace_take(*, tokens: float | None, counted_at: datetime | None, now: datetime) -> tuple[float, float]:
    """Meta's pair rate limit as a token bucket: (tokens left after sending one message now, 0) when the person's
    bucket holds a token, else (tokens now, seconds until the next token).

    The bucket holds up to WHATSAPP_PAIR_BURST messages and gains one every WHATSAPP_PAIR_INTERVAL_SECONDS, so a
    turn goes out at once and only a long burst is spread out. `tokens` None is a full bucket.
    """
    interval = settings.WHATSAPP_PAIR_INTERVAL_SECONDS
    burst = float(max(1, settings.WHATSAPP_PAIR_BURST))
    if interval <= 0:
        return burst, 0.0
    if tokens is None or counted_at is None:
        available = burst
    else:
        available = min(burst, tokens + max(0.0, (now - counted_at).total_seconds()) / interval)
    if available >= 1:
        return available - 1, 0.0
    return available, (1 - available) * interval


def _template_for(*, message: OutboundMessage) -> MessageTemplate | None:
    if not message.template_event:
        return None
    templates = MessageTemplate.objects.filter(event=message.template_event, is_active=True)
    return templates.filter(office_id=message.office_id).first() or templates.filter(office__isnull=True).first()


def _template_payload(*, message: OutboundMessage, template: MessageTemplate) -> dict:
    # Meta refuses template parameters with new lines, tabs or long runs of spaces (132018).
    params = [" ".join(str(p).split())[:1000] or "-" for p in message.template_params]
    wanted = len(template.body_parameters)
    if wanted:
        params = (params + ["-"] * wanted)[:wanted]
    return {"name": template.name, "language": template.language, "params": params}


def _outbox_deliver(*, message: OutboundMessage) -> bool:
    """One HTTP attempt for a claimed row; records the outcome. Returns False when the contact's queue must pause."""
    contact = message.contact
    office = message.office
    kind, payload = message.kind, message.payload
    as_template = kind != OutboundMessage.Kind.TEMPLATE and (
        not contact_window_open(contact=contact) or message.payload.get("_window_closed")
    )
    if as_template:
        template = _template_for(message=message)
        if template is None:
            _outbox_fail(
                message=message,
                code="window_closed",
                text=_("Di luar jendela 24 jam WhatsApp dan tidak ada template untuk peristiwa ini."),
            )
            return True
        kind, payload = OutboundMessage.Kind.TEMPLATE, _template_payload(message=message, template=template)
    try:
        media_id = None
        if kind == OutboundMessage.Kind.DOCUMENT:
            with default_storage.open(payload["storage_name"], "rb") as handle:
                data = handle.read()
            media_id = client.graph_media_upload(
                phone_number_id=office.whatsapp_phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID,
                data=data,
                filename=payload["filename"],
                content_type=files.file_type(data) or files.PDF,
            )
        body = client.message_body(
            kind=kind,
            payload=payload,
            phone=contact.phone,
            user_id=contact.wa_user_id,
            media_id=media_id,
            callback_data=str(message.pk),
        )
        answer = client.graph_send(
            phone_number_id=office.whatsapp_phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID, body=body
        )
    except client.GraphError as exc:
        return _outbox_error(message=message, error=exc)
    except (OSError, client.MessageLimitError) as exc:
        _outbox_fail(message=message, code="local", text=str(exc))
        return True
    wamid = (answer.get("messages") or [{}])[0].get("id", "")
    now = timezone.now()
    updates = {
        "status": OutboundMessage.Status.SENT,
        "wamid": wamid,
        "sent_at": now,
        "next_attempt_at": None,
        "updated_at": now,
        "error_code": "",
        "error_message": "",
    }
    if as_template:
        updates["preview"] = (
            message.preview + "\n" + _("(dikirim sebagai template %(name)s)") % {"name": payload["name"]}
        )
    # A status webhook may have raced ahead of this answer; never move a row backwards. A row the sweep took for
    # orphaned (this call outlived WHATSAPP_SENDING_STALE_SECONDS) is settled by this answer all the same.
    unsettled = (OutboundMessage.Status.SENDING, OutboundMessage.Status.UNKNOWN, OutboundMessage.Status.QUEUED)
    if OutboundMessage.objects.filter(pk=message.pk, status__in=unsettled).update(**updates):
        for name, value in updates.items():
            setattr(message, name, value)
        status_listeners_notify(message_id=message.pk, message=message)
        return True
    OutboundMessage.objects.filter(pk=message.pk, wamid="").exclude(status__in=unsettled).update(wamid=wamid)
    status_listeners_notify(message_id=message.pk)
    return True


def _outbox_fail(*, message: OutboundMessage, code: str, text: str) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.FAILED,
        error_code=code,
        error_message=text[:2000],
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    logger.warning("whatsapp outbound %s failed: %s %s", message.pk, code, text)
    status_listeners_notify(message_id=message.pk)


def _outbox_error(*, message: OutboundMessage, error: client.GraphError) -> bool:
    now = timezone.now()
    code = str(error.code) if error.code is not None else ("network" if error.network else str(error.status))
    if error.code in client.TOKEN_CODES:
        channel_alert_raise(
            office=None,
            code=code,
            message=_(
                "Token akses WhatsApp tidak berlaku lagi (190). Pengiriman dihentikan sampai admin "
                "memperbarui WHATSAPP_ACCESS_TOKEN dan menutup peringatan ini. Pesan Meta: %(m)s"
            )
            % {"m": error.message},
            stops_sending=True,
        )
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.QUEUED, error_code=code, error_message=error.message, updated_at=now
        )
        return False
    if error.code in client.WINDOW_CLOSED_CODES and message.kind != OutboundMessage.Kind.TEMPLATE:
        if message.payload.get("_window_closed"):
            _outbox_fail(message=message, code=code, text=error.message)
            return True
        # Meta says the window is closed although our clock disagrees: retry at once as a template.
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.QUEUED,
            payload={**message.payload, "_window_closed": True},
            error_code=code,
            error_message=error.message,
            updated_at=now,
        )
        return True
    if error.retryable and message.attempts < settings.WHATSAPP_MAX_ATTEMPTS:
        base = settings.WHATSAPP_RETRY_BASE_SECONDS
        if error.code == PAIR_RATE_LIMIT_CODE:
            # Meta counts this person's messages differently from us: the bucket is empty, and the retry waits for
            # the next token (longer each time Meta refuses again).
            Contact.objects.filter(pk=message.contact_id).update(pace_tokens=0.0, pace_counted_at=now)
            base = settings.WHATSAPP_PAIR_INTERVAL_SECONDS or base
        delay = min(base * 2 ** (message.attempts - 1), MAX_RETRY_DELAY)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=delay),
            error_code=code,
            error_message=error.message[:2000],
            updated_at=now,
        )
        logger.info("whatsapp outbound %s: %s, retry in %.0f s", message.pk, error, delay)
        outbox_schedule(message_id=message.pk, delay=delay)
        return False
    _outbox_fail(message=message, code=code, text=error.message)
    return True


def outbox_sweep() -> None:
    """Periodic safety net: rows left mid-call by a dead worker wait for Meta's status, then are sent once more
    (orphans.py); due queued rows whose task was lost are sent."""
    now = timezone.now()
    resend_at = orphans_mark(now=now)
    if resend_at is not None and not HUEY.immediate:
        # Look again when the first of them may go, not at the next minute's sweep (+1 s for the clock's grain).
        outbox_sweep_task.schedule(delay=max(1.0, (resend_at - now).total_seconds() + 1))
    resend = orphans_requeue(now=now)
    if channel_sending_stopped():
        return
    due = (
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=now - timedelta(seconds=30))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("contact_id", flat=True)
        .distinct()
    )
    for contact in Contact.objects.filter(pk__in=set(due) | resend):
        outbox_contact_flush(contact=contact)


@db_task(retries=0)
def outbox_sweep_task() -> None:
    outbox_sweep()


def channel_alert_raise(*, office: Office | None, code: str, message: str, stops_sending: bool) -> ChannelAlert:
    existing = ChannelAlert.objects.filter(cleared_at__isnull=True, code=code, office=office).first()
    if existing:
        return existing
    logger.error("whatsapp channel alert %s: %s", code, message)
    return ChannelAlert.objects.create(office=office, code=code, message=message, stops_sending=stops_sending)


def channel_alert_clear(*, alert: ChannelAlert, user: User | None) -> None:
    """An admin fixed the cause (e.g. a new token): resume sending everything that waited."""
    ChannelAlert.objects.filter(pk=alert.pk, cleared_at__isnull=True).update(cleared_at=timezone.now(), cleared_by=user)
    if channel_sending_stopped():
        return
    contact_ids = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).values_list("contact_id", flat=True)
    )
    for contact_id in contact_ids:
        first = OutboundMessage.objects.filter(contact_id=contact_id, status=OutboundMessage.Status.QUEUED).first()
        if first:
            transaction.on_commit(lambda pk=first.pk: outbox_schedule(message_id=pk))
