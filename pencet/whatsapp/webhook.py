"""Meta's webhook: the raw POST is kept (committed before the 200), then processed in Huey, idempotently.

webhook_signature_valid(*, body, signature) -> bool
webhook_delivery_store(*, body, signature) -> WebhookDelivery       (schedules webhook_process_task)
webhook_delivery_process(*, delivery) -> None                       (messages, then statuses, in time order)
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from pencet.accounts.models import Office

from . import client
from .inbound import inbound_message_receive
from .models import WebhookDelivery
from .statuses import message_status_receive

try:
    import fcntl
except ImportError:  # Windows: no file locks; SQLite's busy handler alone still works, only slower under load.
    fcntl = None

logger = logging.getLogger(__name__)


def webhook_signature_valid(*, body: bytes, signature: str) -> bool:
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
    transaction.on_commit(lambda: webhook_process_task(delivery.pk))
    return delivery


@db_task(retries=5, retry_delay=30, retry_backoff=2)
def webhook_process_task(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is not None:
        webhook_delivery_process(delivery=delivery)


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
    messages.sort(key=lambda item: (client.meta_time(item[1].get("timestamp")), str(item[1].get("id", ""))))
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
