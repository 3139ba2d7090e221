"""WhatsApp channel services. Contract used by the bot, the console and the state machine:

    outbox_enqueue(*, contact, kind, payload, ...) -> OutboundMessage

writes the outbound row in the caller's transaction and sends it after commit through Huey.
Payload shapes by kind (our own terms; the Graph client turns them into Cloud API JSON):
    text:     {"body": str}
    buttons:  {"body": str, "buttons": [{"id": str, "title": str}], "header"?: str, "footer"?: str}
    list:     {"body": str, "button": str, "sections": [{"title": str, "rows": [{"id", "title", "description"?}]}],
               "header"?: str, "footer"?: str}
    document: {"storage_name": str, "filename": str, "caption"?: str}
    template: {"name": str, "language": str, "params": [str, ...]}
Limits (≤ 3 buttons, titles ≤ 20, ≤ 10 rows, …) are checked here and raise client.MessageLimitError.

Inbound: webhook_delivery_store() keeps the raw POST; webhook_delivery_process() handles every update in it
(contacts, messages, statuses) idempotently and hands understood messages to
pencet.bot.services.bot_handle_inbound(message=InboundMessage).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.catalog.models import MessageTemplate
from pencet.lib import images

from . import client
from .models import ChannelAlert, Contact, InboundMessage, Media, MessageStatus, OutboundMessage, WebhookDelivery
from .selectors import channel_sending_stopped, contact_window_open

try:
    import fcntl
except ImportError:  # Windows: no file locks; SQLite's busy handler alone still works, only slower under load.
    fcntl = None

logger = logging.getLogger(__name__)

# Message types handed to the bot; everything else is answered (or ignored) by the channel itself.
BOT_TYPES = {"text", "interactive", "button", "image", "document"}
SILENT_TYPES = {"reaction", "system", "ephemeral", "request_welcome", "order"}
STATUS_RANK = {
    OutboundMessage.Status.QUEUED: 0,
    OutboundMessage.Status.SENDING: 1,
    OutboundMessage.Status.UNKNOWN: 1,
    OutboundMessage.Status.SENT: 2,
    OutboundMessage.Status.DELIVERED: 3,
    OutboundMessage.Status.READ: 4,
}
# A claimed row older than this without an outcome is marked unknown (the worker died mid-call); well above
# the HTTP timeouts of one upload plus one send.
SENDING_STALE_AFTER = timedelta(minutes=3)
MAX_RETRY_DELAY = 3600.0
# Longest wait for an earlier message of the same person that another worker is still handling.
ORDER_WAIT_SECONDS = 20.0
# A message the bot keeps failing on gets an apology instead of more retries after this long.
BOT_GIVE_UP_AFTER = timedelta(minutes=10)
# First pause between media download attempts (doubled each time, four attempts).
MEDIA_RETRY_SECONDS = 0.25


# ----- outbox -------------------------------------------------------------------------------------


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
    transaction.on_commit(lambda: _schedule_send(message.pk))
    return message


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


def _schedule_send(message_id: int, delay: float = 0) -> None:
    from .tasks import outbox_send

    if delay > 0:
        outbox_send.schedule((message_id,), delay=delay)
    else:
        outbox_send(message_id)


def outbox_send(*, message_id: int) -> None:
    """Send the contact's due queued messages in order (the one given and any earlier ones)."""
    message = OutboundMessage.objects.filter(pk=message_id).select_related("contact").first()
    if message is None:
        return
    outbox_contact_flush(contact=message.contact)


def outbox_contact_flush(*, contact: Contact) -> None:
    while True:
        if channel_sending_stopped():
            return
        now = timezone.now()
        # Another worker is mid-call for this contact: it sends the rest afterwards, in order.
        busy = contact.outbound_messages.filter(
            status=OutboundMessage.Status.SENDING, claimed_at__gte=now - SENDING_STALE_AFTER
        )
        if busy.exists():
            return
        row = (
            contact.outbound_messages.filter(status=OutboundMessage.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .first()
        )
        if row is None:
            return
        earlier_waiting = contact.outbound_messages.filter(status=OutboundMessage.Status.QUEUED, id__lt=row.id).exists()
        if earlier_waiting:
            return  # an earlier message waits for a retry; keep the conversation in order
        wait = _pair_wait(contact=contact)
        if wait > PACE_SLEEP_MAX:
            # Do not hold a worker for long: come back when this person may receive the next message.
            _schedule_send(row.pk, delay=wait)
            return
        if wait > 0:
            time.sleep(wait)
            now = timezone.now()
        claimed = OutboundMessage.objects.filter(pk=row.pk, status=OutboundMessage.Status.QUEUED).update(
            status=OutboundMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
        if not claimed:
            continue
        row.refresh_from_db()
        if not _outbox_deliver(message=row):
            return


PACE_SLEEP_MAX = 2.0


def _pair_wait(*, contact: Contact) -> float:
    """Seconds until this person may get the next message: about one per WHATSAPP_PAIR_INTERVAL_SECONDS
    (Meta's pair rate limit)."""
    interval = settings.WHATSAPP_PAIR_INTERVAL_SECONDS
    if interval <= 0:
        return 0.0
    last = (
        contact.outbound_messages.filter(sent_at__isnull=False).order_by("-sent_at").values_list("sent_at", flat=True)
    ).first()
    if last is None:
        return 0.0
    return max(0.0, min(interval - (timezone.now() - last).total_seconds(), interval))


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
    office = Office.objects.get(pk=message.office_id)
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
                content_type=images.sniff(data) or "application/pdf",
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
    # A status webhook may have raced ahead of this answer; never move a row backwards.
    OutboundMessage.objects.filter(pk=message.pk, status=OutboundMessage.Status.SENDING).update(**updates)
    OutboundMessage.objects.filter(pk=message.pk).exclude(status=OutboundMessage.Status.SENDING).filter(
        wamid=""
    ).update(wamid=wamid)
    if not as_template:
        _document_delivery_follow(message_id=message.pk)
    return True


def _document_delivery_follow(*, message_id: int) -> None:
    """A document's Delivery (and so the application) follows its outbox row at once; the periodic
    deliveries_whatsapp_sync stays as the safety net."""
    # Imported here: delivery builds on the channel, not the other way round.
    from pencet.delivery.services import delivery_outbound_update

    row = OutboundMessage.objects.filter(pk=message_id, kind=OutboundMessage.Kind.DOCUMENT).first()
    if row is not None:
        delivery_outbound_update(message=row)


def _outbox_fail(*, message: OutboundMessage, code: str, text: str) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.FAILED,
        error_code=code,
        error_message=text[:2000],
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    logger.warning("whatsapp outbound %s failed: %s %s", message.pk, code, text)
    _document_delivery_follow(message_id=message.pk)


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
        delay = min(settings.WHATSAPP_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1), MAX_RETRY_DELAY)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=delay),
            error_code=code,
            error_message=error.message[:2000],
            updated_at=now,
        )
        logger.info("whatsapp outbound %s: %s, retry in %.0f s", message.pk, error, delay)
        _schedule_send(message.pk, delay=delay)
        return False
    _outbox_fail(message=message, code=code, text=error.message)
    return True


def outbox_sweep() -> None:
    """Periodic safety net: send due queued rows whose task was lost; mark rows stuck mid-call as unknown."""
    now = timezone.now()
    OutboundMessage.objects.filter(
        status=OutboundMessage.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    ).update(
        status=OutboundMessage.Status.UNKNOWN,
        error_code="unknown",
        error_message=_(
            "Pengirim berhenti saat mengirim; pesan tidak dikirim ulang agar tidak ganda. "
            "Status dari WhatsApp akan memperbaruinya."
        ),
        updated_at=now,
    )
    if channel_sending_stopped():
        return
    due = (
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=now - timedelta(seconds=30))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("contact_id", flat=True)
        .distinct()
    )
    for contact in Contact.objects.filter(pk__in=list(due)):
        outbox_contact_flush(contact=contact)


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
            transaction.on_commit(lambda pk=first.pk: _schedule_send(pk))


# ----- statuses -----------------------------------------------------------------------------------


def _ts(value: object) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def message_status_receive(*, item: dict) -> None:
    """One entry of `statuses`: stored once per (wamid, status); moves the outbox row forward only."""
    wamid, status = str(item.get("id", "")), str(item.get("status", ""))
    if not wamid or not status:
        return
    errors = item.get("errors") or []
    error = errors[0] if errors else {}
    with transaction.atomic():
        try:
            with transaction.atomic():
                MessageStatus.objects.create(
                    wamid=wamid,
                    status=status,
                    timestamp=_ts(item.get("timestamp")),
                    error_code=str(error.get("code", "")),
                    payload=item,
                )
        except IntegrityError:
            return  # a duplicate
        row = OutboundMessage.objects.select_for_update().filter(wamid=wamid).first()
        callback = str(item.get("biz_opaque_callback_data", ""))
        if row is None and callback.isdigit():
            row = OutboundMessage.objects.select_for_update().filter(pk=int(callback), wamid="").first()
        if row is None:
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
                error_code=str(error.get("code", "")),
                error_message=str(error.get("message") or error.get("title", ""))[:2000],
                next_attempt_at=None,
                updated_at=timezone.now(),
            )
            transaction.on_commit(lambda: _schedule_send(row.pk))
            return
        if status == "failed":
            if row.status not in (OutboundMessage.Status.DELIVERED, OutboundMessage.Status.READ):
                detail = (
                    (error.get("error_data") or {}).get("details") or error.get("message") or error.get("title", "")
                )
                updates.update(
                    status=OutboundMessage.Status.FAILED,
                    error_code=str(error.get("code", "")),
                    error_message=str(detail)[:2000],
                )
        elif status in STATUS_RANK and row.status != OutboundMessage.Status.FAILED:
            if STATUS_RANK[status] > STATUS_RANK.get(row.status, 0):
                updates["status"] = status
                if row.sent_at is None:
                    updates["sent_at"] = _ts(item.get("timestamp"))
        OutboundMessage.objects.filter(pk=row.pk).update(**updates, updated_at=timezone.now())
        _document_delivery_follow(message_id=row.pk)


# ----- inbound ------------------------------------------------------------------------------------


def webhook_signature_valid(*, body: bytes, signature: str) -> bool:
    import hmac

    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not signature.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


@contextlib.contextmanager
def _sqlite_writer_turn() -> Iterator[None]:
    """On SQLite, webhook writers of all server processes take turns on a file lock.

    SQLite's own busy handler polls with growing sleeps, so under concurrent webhooks a request could sleep on
    while the database was already free (p99 of hundreds of ms at 16-32 clients, bench/webhook.py); the kernel
    wakes the next holder of a file lock at once (p99 70 ms at 16 clients).
    """
    name = str(connection.settings_dict["NAME"])
    if fcntl is None or connection.vendor != "sqlite" or "memory" in name or not name:
        yield
        return
    # Opened per call: a flock belongs to the open file, so threads of one process need a file each.
    with open(name + ".webhook-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def webhook_delivery_store(*, body: bytes, signature: str) -> WebhookDelivery:
    """Keep the raw POST (committed before the 200) and queue its processing."""
    with _sqlite_writer_turn():
        delivery = WebhookDelivery.objects.create(body=body, signature=signature[:100])
    transaction.on_commit(lambda: _schedule_process(delivery.pk))
    return delivery


def _schedule_process(delivery_id: int) -> None:
    from .tasks import webhook_process

    webhook_process(delivery_id)


def webhook_delivery_process(*, delivery: WebhookDelivery) -> None:
    """Handle every update of one POST. Idempotent: running it again (a retry, a duplicate POST) changes nothing.

    Raises after handling the rest when a message could not be handled, so the task is retried.
    """
    try:
        data = json.loads(bytes(delivery.body))
    except ValueError:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(processed_at=timezone.now(), error="not JSON")
        return
    offices = {o.whatsapp_phone_number_id: o for o in Office.objects.exclude(whatsapp_phone_number_id=None)}
    messages: list[tuple[Office, dict, dict]] = []
    statuses: list[dict] = []
    unknown: set[str] = set()
    entries = data.get("entry") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for change in entry.get("changes") or [] if isinstance(entry, dict) else []:
            if not isinstance(change, dict) or change.get("field", "messages") != "messages":
                continue
            value = change.get("value") or {}
            phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
            office = offices.get(phone_number_id)
            if office is None:
                unknown.add(phone_number_id)
                continue
            profiles = {}
            for contact in value.get("contacts") or []:
                for key in (contact.get("user_id"), contact.get("wa_id")):
                    if key:
                        profiles[key] = contact
            for message in value.get("messages") or []:
                if isinstance(message, dict):
                    sender = profiles.get(message.get("from_user_id")) or profiles.get(message.get("from")) or {}
                    messages.append((office, message, sender))
            statuses.extend(s for s in value.get("statuses") or [] if isinstance(s, dict))
    if unknown:
        logger.warning(
            "webhook %s: updates for unknown phone number ids %s stored, not processed", delivery.pk, sorted(unknown)
        )
    failures = []
    messages.sort(key=lambda item: (_ts(item[1].get("timestamp")), str(item[1].get("id", ""))))
    for office, message, sender in messages:
        try:
            inbound_message_receive(office=office, message=message, sender=sender, delivery=delivery)
        except Exception as exc:  # one bad message must not stop the others
            logger.exception("webhook %s: message %s failed", delivery.pk, message.get("id"))
            failures.append(f"{message.get('id')}: {exc!r}")
    for item in statuses:
        try:
            message_status_receive(item=item)
        except Exception as exc:
            logger.exception("webhook %s: status failed", delivery.pk)
            failures.append(f"status {item.get('id')}: {exc!r}")
    note = ("unknown phone_number_id " + ", ".join(sorted(unknown))) if unknown else ""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        processed_at=None if failures else timezone.now(), error="\n".join([note, *failures]).strip()[:10000]
    )
    if failures:
        raise RuntimeError(f"webhook {delivery.pk}: {len(failures)} update(s) failed")


def contact_identify(*, office: Office, user_id: str | None, phone: str | None, name: str = "") -> Contact:
    """The contact for a business-scoped user id and/or a phone; merges two rows once an update links them."""
    for attempt in range(3):
        try:
            return _contact_identify(office=office, user_id=user_id, phone=phone, name=name)
        except IntegrityError:
            # Another worker created the same contact at the same moment; the next look finds it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _contact_identify(*, office: Office, user_id: str | None, phone: str | None, name: str) -> Contact:
    user_id = user_id or None
    phone = phone or None
    if not user_id and not phone:
        raise ValueError("a message without sender")
    with transaction.atomic():
        by_user = Contact.objects.filter(office=office, wa_user_id=user_id).first() if user_id else None
        by_phone = Contact.objects.filter(office=office, phone=phone).first() if phone else None
        if by_user and by_phone and by_user.pk != by_phone.pk:
            if by_phone.wa_user_id and by_phone.wa_user_id != user_id:
                # The number now belongs to another WhatsApp account: the old contact loses it.
                Contact.objects.filter(pk=by_phone.pk).update(phone=None)
                contact = by_user
            else:
                contact = _contact_merge(
                    keep=min(by_user, by_phone, key=lambda c: c.pk), drop=max(by_user, by_phone, key=lambda c: c.pk)
                )
        elif by_user:
            contact = by_user
        elif by_phone:
            if by_phone.wa_user_id and user_id and by_phone.wa_user_id != user_id:
                Contact.objects.filter(pk=by_phone.pk).update(phone=None)
                contact = Contact.objects.create(office=office, wa_user_id=user_id, phone=phone, profile_name=name)
            else:
                contact = by_phone
        else:
            contact = Contact.objects.create(office=office, wa_user_id=user_id, phone=phone, profile_name=name)
        updates = {}
        if user_id and contact.wa_user_id != user_id:
            updates["wa_user_id"] = user_id
        if phone and contact.phone != phone:
            updates["phone"] = phone
        if name and contact.profile_name != name:
            updates["profile_name"] = name[:120]
        if updates:
            Contact.objects.filter(pk=contact.pk).update(**updates)
            for key, value in updates.items():
                setattr(contact, key, value)
    return contact


def _contact_merge(*, keep: Contact, drop: Contact) -> Contact:
    """Move everything that points at `drop` to `keep` (messages, applications, conversation), then delete it."""
    for relation in Contact._meta.related_objects:
        model = relation.related_model
        field = relation.field.name
        if relation.one_to_one:
            if not model.objects.filter(**{field: keep}).exists():
                model.objects.filter(**{field: drop}).update(**{field: keep})
        elif relation.one_to_many:
            model.objects.filter(**{field: drop}).update(**{field: keep})
    updates = {
        "wa_user_id": keep.wa_user_id or drop.wa_user_id,
        "phone": keep.phone or drop.phone,
        "profile_name": keep.profile_name or drop.profile_name,
        "needs_human": keep.needs_human or drop.needs_human,
        "staff_user_id": keep.staff_user_id or drop.staff_user_id,
    }
    last = [t for t in (keep.last_inbound_at, drop.last_inbound_at) if t]
    updates["last_inbound_at"] = max(last) if last else None
    drop.delete()
    Contact.objects.filter(pk=keep.pk).update(**updates)
    keep.refresh_from_db()
    logger.info("whatsapp contacts merged: %s into %s", drop.pk, keep.pk)
    return keep


def _message_text(message: dict) -> tuple[str, str]:
    """(text, reply_id) of an inbound message in the bot's terms."""
    kind = message.get("type", "")
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return str(body.get("body", "")), ""
    if kind == "interactive":
        reply = body.get(body.get("type", "")) or {}
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
    *, office: Office, message: dict, sender: dict, delivery: WebhookDelivery | None = None
) -> InboundMessage | None:
    """Store one inbound message (once per wamid) and handle it: bot, polite refusal or nothing."""
    wamid = str(message.get("id", ""))
    if not wamid:
        return None
    user_id = message.get("from_user_id") or sender.get("user_id")
    phone = message.get("from") or sender.get("wa_id")
    name = str((sender.get("profile") or {}).get("name", ""))
    kind = str(message.get("type", "unsupported"))
    if kind == "interactive" and (message.get("interactive") or {}).get("type") not in ("button_reply", "list_reply"):
        kind_for_bot = "unsupported"
    else:
        kind_for_bot = kind
    sent_at = _ts(message.get("timestamp"))
    inbound = InboundMessage.objects.filter(wamid=wamid).first()
    if inbound is None:
        contact = contact_identify(office=office, user_id=user_id, phone=phone, name=name)
        text, reply_id = _message_text(message)
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    office=office,
                    contact=contact,
                    wamid=wamid,
                    type=kind[:20],
                    text=text,
                    reply_id=reply_id[:256],
                    payload=message,
                    sent_at=sent_at,
                    delivery=delivery,
                )
        except IntegrityError:
            inbound = InboundMessage.objects.get(wamid=wamid)
        system = message.get("system") if isinstance(message.get("system"), dict) else {}
        new_phone = system.get("wa_id") or system.get("new_wa_id")
        if system.get("type") == "user_changed_number" and new_phone:
            # The citizen keeps the conversation under the new number (if nobody else has it).
            if not Contact.objects.filter(office=office, phone=new_phone).exists():
                Contact.objects.filter(pk=contact.pk).update(phone=new_phone)
        if kind not in ("system", "reaction"):
            Contact.objects.filter(pk=contact.pk).filter(
                Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=sent_at)
            ).update(last_inbound_at=sent_at)
    if inbound.processed_at is not None:
        return inbound
    if kind in ("image", "document") and not hasattr(inbound, "media"):
        media_receive(message=inbound)
    _wait_for_earlier(inbound=inbound)
    _inbound_handle(inbound_id=inbound.pk, kind=kind_for_bot)
    return inbound


def _wait_for_earlier(*, inbound: InboundMessage) -> None:
    """Let an earlier message of the same person, arriving in another POST that a second worker is still handling
    (e.g. downloading a photo), reach the bot first, so the conversation keeps the citizen's order."""
    deadline = time.monotonic() + ORDER_WAIT_SECONDS
    earlier = (
        InboundMessage.objects.filter(
            contact_id=inbound.contact_id,
            processed_at__isnull=True,
            sent_at__lt=inbound.sent_at,
            received_at__gte=timezone.now() - timedelta(minutes=2),
        )
        .exclude(pk=inbound.pk)
        .exclude(delivery_id=inbound.delivery_id)
    )
    while earlier.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def _inbound_handle(*, inbound_id: int, kind: str) -> None:
    with transaction.atomic():
        now = timezone.now()
        # The claim makes concurrent workers and retries hand a message over at most once.
        if not InboundMessage.objects.filter(pk=inbound_id, processed_at__isnull=True).update(processed_at=now):
            return
        inbound = InboundMessage.objects.select_related("contact", "office").get(pk=inbound_id)
        media = getattr(inbound, "media", None) if kind in ("image", "document") else None
        if kind in SILENT_TYPES:
            return
        if kind not in BOT_TYPES:
            _decline(inbound=inbound, reason="type_" + kind)
            return
        if media is not None and media.rejected_reason:
            _decline(inbound=inbound, reason=media.rejected_reason)
            return
        try:
            from pencet.bot.services import bot_handle_inbound
        except ImportError:
            logger.error(
                "pencet.bot.services.bot_handle_inbound is missing; message %s stored, not answered", inbound.pk
            )
            return
        if timezone.now() - inbound.received_at < BOT_GIVE_UP_AFTER:
            bot_handle_inbound(message=inbound)  # an error rolls back and the delivery is retried
            return
        try:
            with transaction.atomic():
                bot_handle_inbound(message=inbound)
        except Exception:
            # Retried for a while and still failing: apologise once rather than stay silent.
            logger.exception("bot keeps failing on message %s; the citizen gets an apology", inbound.pk)
            _decline(inbound=inbound, reason="error")


DECLINE_REASONS = (
    "type_audio",
    "type_video",
    "type_sticker",
    "type_location",
    "type_contacts",
    "type_unsupported",
    "too_big",
    "wrong_type",
    "corrupt",
    "sha_mismatch",
    "bomb",
    "download_failed",
)


def _decline_text(reason: str) -> str:
    image_mb = settings.WHATSAPP_IMAGE_MAX_BYTES // (1024 * 1024)
    document_mb = settings.WHATSAPP_DOCUMENT_MAX_BYTES // (1024 * 1024)
    accepted = _("Kami menerima pesan teks, foto (JPG, PNG, WebP, HEIC) dan dokumen PDF.")
    if reason == "type_audio":
        return _("Maaf, kami belum dapat mendengarkan pesan suara. Mohon tuliskan pesan Anda.") + " " + accepted
    if reason == "type_location":
        return _("Terima kasih, tetapi kami belum dapat memproses kiriman lokasi.") + " " + accepted
    if reason == "type_contacts":
        return _("Terima kasih, tetapi kami belum dapat memproses kiriman kontak.") + " " + accepted
    if reason.startswith("type_"):
        return _("Maaf, jenis pesan ini belum dapat kami proses.") + " " + accepted
    if reason == "too_big":
        return _(
            "Maaf, berkas Anda terlalu besar. Batasnya %(image)s MB untuk foto dan %(document)s MB untuk dokumen. "
            "Silakan kirim ulang dengan ukuran lebih kecil."
        ) % {"image": image_mb, "document": document_mb}
    if reason == "wrong_type":
        return _("Maaf, jenis berkas ini tidak dapat kami terima.") + " " + accepted
    if reason == "error":
        return _(
            "Maaf, pesan Anda belum dapat kami proses karena gangguan sistem. Silakan coba lagi nanti atau "
            "ketik *petugas* untuk dihubungi petugas."
        )
    if reason == "bomb":
        return _("Maaf, gambar ini tidak dapat kami proses. Silakan kirim foto biasa langsung dari kamera.")
    return _("Maaf, berkas Anda rusak atau tidak utuh saat kami terima. Silakan kirim ulang berkasnya.")


def _decline(*, inbound: InboundMessage, reason: str) -> None:
    InboundMessage.objects.filter(pk=inbound.pk).update(declined_reason=reason[:30])
    with translation.override(inbound.contact.language or "id"):
        body = _decline_text(reason)
    outbox_enqueue(contact=inbound.contact, kind="text", payload={"body": body})


# ----- inbound media ------------------------------------------------------------------------------


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
    body = message.payload.get(kind) or {}
    media_id = str(body.get("id", ""))
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
    kind_found = images.sniff(data)
    try:
        if kind_found in images.IMAGE_TYPES:
            clean = images.image_clean(data)
            data, content_type, media.quality = clean.data, clean.content_type, clean.quality
        elif kind_found == images.PDF:
            images.pdf_check(data)
            content_type = images.PDF
        else:
            return _media_reject(media=media, reason="wrong_type", size=len(data))
    except images.FileRejected as exc:
        return _media_reject(media=media, reason=exc.reason, size=len(data))
    sha256 = hashlib.sha256(data).hexdigest()
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", images.PDF: "pdf"}[content_type]
    media.content_type = content_type
    media.size = len(data)
    media.sha256 = sha256
    media.file.save(f"{sha256[:32]}.{extension}", ContentFile(data), save=False)
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


def webhook_sweep() -> None:
    """Process deliveries whose task was lost (e.g. the queue was down when the POST arrived)."""
    now = timezone.now()
    stale = WebhookDelivery.objects.filter(
        processed_at__isnull=True, received_at__lt=now - timedelta(minutes=2), received_at__gt=now - timedelta(days=7)
    ).order_by("id")[:200]
    for delivery in stale:
        try:
            webhook_delivery_process(delivery=delivery)
        except Exception:
            logger.exception("webhook %s still failing", delivery.pk)
