"""Meta's webhook: the raw POST is kept (one durable write, committed before the 200); that row is the work queue.

webhook_body_load(body) -> object                                   (raises WebhookBodyInvalid: not JSON, too deep)
webhook_signature_valid(*, body, signature) -> bool
webhook_delivery_store(*, body, signature) -> int                   (the new delivery's id)
webhook_delivery_run(*, delivery_id) -> bool                        (claims, then processes; False when not due)
webhook_delivery_process(*, delivery) -> bool                       (messages, then statuses, in time order)
webhook_delivery_retry(*, delivery) -> None                         (an admin's "retry" of a dead delivery)
webhook_sweep() -> int                                              (every pending delivery the wake-up missed)

The wake-up is the consumer's short poll of the table (poller.py), which queues a Huey task nobody needs to
keep; when it is lost (queue down, consumer killed), the sweep takes the delivery a few seconds later
(webhook_sweep_tick every WEBHOOK_SWEEP_SECONDS, and the minute periodic task in tasks.py, which also restarts
the tick). Each attempt is counted when it is claimed, so even a
delivery that kills its worker is tried WEBHOOK_MAX_ATTEMPTS times at most, with doubling pauses, then dead.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field, Q
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from pencet.accounts.models import Office

from .inbound import inbound_message_receive
from .models import WebhookDelivery
from .statuses import message_status_receive
from .updates import json_too_deep, storable, updates_parse

try:
    import fcntl
except ImportError:  # Windows: no file locks; SQLite's busy handler alone still works, only slower under load.
    fcntl = None

logger = logging.getLogger(__name__)

# Attempts before a delivery is dead (shown to admins with a "retry" action). With pauses of 30 s doubling, the
# last attempt comes about 15 minutes after the first, past inbound.HANDLER_GIVE_UP_AFTER, so a message whose
# handler keeps failing gets its apology before the delivery could die.
WEBHOOK_MAX_ATTEMPTS = 6
WEBHOOK_RETRY_SECONDS = 30.0
# How long a claim holds; a worker killed mid-delivery releases it by expiry.
WEBHOOK_CLAIM = timedelta(minutes=2)
# The sweep leaves a delivery this long to its own wake-up, and runs this often.
WEBHOOK_SWEEP_GRACE = timedelta(seconds=3)
WEBHOOK_SWEEP_SECONDS = 2.0
# One sweep stops after this long (or this many deliveries); the next tick goes on where it stopped.
WEBHOOK_SWEEP_BUDGET_SECONDS = 10.0
WEBHOOK_SWEEP_BATCH = 200
_BEAT_KEY = "pencet.whatsapp.webhook-sweep-beat"


class WebhookBodyInvalid(ValueError):
    """A signed body that is not JSON, or nests deeper than any payload of Meta's."""


def webhook_body_load(body: bytes) -> object:
    try:
        data = json.loads(body)
    except RecursionError as exc:
        raise WebhookBodyInvalid("JSON nested too deep") from exc
    except ValueError as exc:
        raise WebhookBodyInvalid("not JSON") from exc
    if json_too_deep(data):
        raise WebhookBodyInvalid("JSON nested too deep")
    return data


def _setting(name: str, default: float) -> float:
    return getattr(settings, name, default)


def _sweep_grace() -> timedelta:
    """How long the sweep leaves a new delivery to its own wake-up."""
    return timedelta(seconds=_setting("WHATSAPP_WEBHOOK_SWEEP_GRACE_SECONDS", WEBHOOK_SWEEP_GRACE.total_seconds()))


def webhook_signature_valid(*, body: bytes, signature: str) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not signature.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


@contextlib.contextmanager
def _sqlite_writer_turn(db: BaseDatabaseWrapper) -> Iterator[None]:
    """On SQLite, webhook writers of all server processes take turns on a file lock.

    SQLite's own busy handler polls with growing sleeps, so under concurrent webhooks a request could sleep on
    while the database was already free (p99 of hundreds of ms at 16-32 clients, bench/webhook.py); the kernel
    wakes the next holder of a file lock at once (p99 70 ms at 16 clients).
    """
    name = str(db.settings_dict["NAME"])
    if fcntl is None or db.vendor != "sqlite" or "memory" in name or not name:
        yield
        return
    # Opened per call: a flock belongs to the open file, so threads of one process need a file each.
    with open(name + ".webhook-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Built per database vendor on first use: the INSERT of a new delivery and the fields of its parameters.
_INSERTS: dict[str, tuple[str, list[Field], bool]] = {}
# The columns a POST fills; every other column gets its model default.
_POSTED = ("received_at", "body", "signature")


def _literal(value: object) -> str | None:
    """A model default written into the SQL itself (None: left to a parameter); every parameter costs the driver
    CPU on each POST, and the defaults never change."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and "\0" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def _insert_statement(db: BaseDatabaseWrapper) -> tuple[str, list[Field], bool]:
    """One INSERT for a new delivery, built once from the model, so a column added later gets its default too:
    the POST's three values as parameters, nullable columns left NULL, other defaults as literals.

    The ORM's create() prepared all ten columns on every POST: about 0.7 ms of the web process's CPU on
    PostgreSQL, a third of an acknowledgement (bench/README.md "Webhook acknowledgement"); this costs ~0.3 ms.
    """
    statement = _INSERTS.get(db.vendor)
    if statement is not None:
        return statement
    columns: list[str] = []
    values: list[str] = []
    params: list[Field] = []
    for field in WebhookDelivery._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in _POSTED:
            columns.append(field.column)
            values.append("%s")
            params.append(field)
            continue
        if field.has_default() and callable(field.default):
            raise ImproperlyConfigured(f"WebhookDelivery.{field.name}: a callable default needs a value per POST")
        default = field.get_db_prep_save(field.get_default(), db)
        if default is None and field.null:
            continue
        literal = _literal(default)
        if literal is None:
            raise ImproperlyConfigured(f"WebhookDelivery.{field.name}: its default cannot be written into the SQL")
        columns.append(field.column)
        values.append(literal)
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(WebhookDelivery._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(values)
    )
    returning = db.features.can_return_columns_from_insert
    if returning:
        sql += " RETURNING " + quote(WebhookDelivery._meta.pk.column)
    _INSERTS[db.vendor] = statement = (sql, params, returning)
    return statement


def _postgres_insert(db: BaseDatabaseWrapper, sql: str, values: list[object]) -> int:
    """The INSERT as a prepared statement on Django's own connection (its transaction, if one is open): Django's
    client-side binding made PostgreSQL parse and plan it again on every POST. Prepared, both sides of an
    acknowledgement cost less (bench/README.md: about 0.1 ms in the web process and 0.1-0.2 ms in PostgreSQL)."""
    db.ensure_connection()
    with db.wrap_database_errors, psycopg.Cursor(db.connection) as cursor:
        cursor.execute(sql, values, prepare=True)
        return cursor.fetchone()[0]


def webhook_delivery_store(*, body: bytes, signature: str) -> int:
    """Keep the raw POST, the one durable write before the 200 (committed when this returns, outside a
    transaction), and return its id.

    No wake-up is sent from here: the consumer's poller (poller.py) sees the new row within
    WHATSAPP_WEBHOOK_POLL_SECONDS, so an acknowledgement costs no queue round trip. With Huey immediate (tests,
    PENCET_HUEY_IMMEDIATE=1) the delivery is processed right after the commit, as a consumer would.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the thread's own connection, looked up once (each use of the proxy costs)
    sql, params, returning = _insert_statement(db)
    posted = {"received_at": timezone.now(), "body": body, "signature": signature[:100]}
    values = [f.get_db_prep_save(posted[f.name], db) for f in params]
    if db.vendor == "postgresql":
        delivery_id = _postgres_insert(db, sql, values)
    else:
        with _sqlite_writer_turn(db), db.cursor() as cursor:
            cursor.execute(sql, values)
            delivery_id = cursor.fetchone()[0] if returning else cursor.lastrowid
    if HUEY.immediate:
        transaction.on_commit(lambda: _wake(delivery_id=delivery_id))
    return delivery_id


def _wake(*, delivery_id: int) -> None:
    # The row is already committed: a queue that is down must not turn the acknowledgement into a 500.
    try:
        webhook_process_task(delivery_id)
    except Exception:
        logger.warning("webhook %s: wake-up not queued; the sweep takes it", delivery_id, exc_info=True)


@db_task()
def webhook_process_task(delivery_id: int) -> None:
    """The wake-up: never retried by Huey, the row keeps its own attempts."""
    webhook_delivery_run(delivery_id=delivery_id)


def due_filter(now: datetime) -> Q:
    """Deliveries a worker may claim now: unfinished, not dead, not held by a live claim, not waiting."""
    return (
        Q(processed_at__isnull=True, dead_at__isnull=True)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def webhook_delivery_run(*, delivery_id: int) -> bool:
    """Claim one delivery (when it is due and has attempts left) and process it; False when there was nothing
    to do (done, dead, claimed by another worker, or waiting for its next attempt)."""
    now = timezone.now()
    max_attempts = int(_setting("WHATSAPP_WEBHOOK_MAX_ATTEMPTS", WEBHOOK_MAX_ATTEMPTS))
    due = WebhookDelivery.objects.filter(due_filter(now), pk=delivery_id, attempts__lt=max_attempts)
    grace = _sweep_grace()
    # A first attempt within the sweep's grace may be claimed in the transaction of the turn it causes (one write
    # transaction less before the first reply; on SQLite each waits its turn for the write lock). A worker killed
    # during it leaves no count; the sweep's attempt after the grace is counted, so a delivery that kills workers
    # still ends dead.
    delivery = due.filter(attempts=0, received_at__gt=now - grace).first()
    if delivery is not None:

        def claim() -> bool:
            if not delivery.attempts:
                if not due.filter(attempts=0).update(attempts=1, claimed_until=now + WEBHOOK_CLAIM):
                    return False
                delivery.attempts = 1
            return True

    else:
        if not due.update(attempts=F("attempts") + 1, claimed_until=now + WEBHOOK_CLAIM):
            return False
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        claim = None
    try:
        return webhook_delivery_process(delivery=delivery, claim=claim)
    except Exception as exc:  # the outcome could not even be written: let the claim expire, the sweep retries
        logger.exception("webhook %s: processing failed", delivery_id)
        WebhookDelivery.objects.filter(pk=delivery_id).update(error=repr(exc)[:10000], office_id=delivery.office_id)
    return True


def webhook_delivery_process(*, delivery: WebhookDelivery, claim: Callable[[], bool] | None = None) -> bool:
    """Handle every update of one POST and record the outcome. Idempotent: running it again (a retry, a duplicate
    POST) changes nothing that was done.

    Updates of the wrong shape are refused with a note and never retried; when a message or status fails, the
    others are still handled and the delivery is tried again later, or, out of attempts, marked dead.

    `claim`, when the delivery is not claimed yet, claims it (False: another worker has it, nothing is done). A
    POST of one message is claimed where the message is handled; any other before its first update.
    """
    received_at = delivery.received_at or timezone.now()
    try:
        data = storable(webhook_body_load(bytes(delivery.body)))
    except WebhookBodyInvalid as exc:
        if claim is not None and not claim():
            return False
        _outcome(delivery=delivery, notes=[str(exc)], failures=[])
        return True
    offices = {o.whatsapp_phone_number_id: o for o in Office.objects.exclude(whatsapp_phone_number_id=None)}
    updates = updates_parse(data=data, offices=offices, received_at=received_at)
    owners = {u.office.pk for u in updates.messages} | {s.office.pk for s in updates.statuses}
    if len(owners) == 1 and delivery.office_id is None:
        # Written with the outcome (one statement less per POST); a worker that dies before it leaves the row
        # without an office until its next attempt, as one dying before this line always did.
        delivery.office_id = owners.pop()
    notes = [f"refused {line}" for line in updates.refused]
    if updates.unknown:
        logger.warning(
            "webhook %s: updates for unknown phone number ids %s stored, not processed",
            delivery.pk,
            sorted(updates.unknown),
        )
        notes.insert(0, "unknown phone_number_id " + ", ".join(sorted(updates.unknown)))
    if updates.refused:
        logger.warning("webhook %s: %d update(s) refused: %s", delivery.pk, len(updates.refused), updates.refused[0])
    failures = []
    # A POST of one message and nothing else (nearly every POST) has its outcome written in the transaction that
    # handles the message: one write transaction less per turn, and the row is never done before its message.
    alone = len(updates.messages) == 1 and not updates.statuses
    then = (lambda: _outcome(delivery=delivery, notes=notes, failures=[])) if alone else None
    if claim is not None and not alone:
        if not claim():
            return False
        claim = None
    for update in sorted(updates.messages, key=lambda u: (u.sent_at, u.message["id"])):
        try:
            if inbound_message_receive(update=update, delivery=delivery, claim=claim, then=then) is None:
                return False
        except Exception as exc:  # one bad message must not stop the others
            logger.exception("webhook %s: message %s failed", delivery.pk, update.message["id"])
            failures.append(f"{update.message['id']}: {exc!r}")
        else:
            if alone:
                return True
    for status in updates.statuses:
        try:
            message_status_receive(item=status.item, received_at=received_at)
        except Exception as exc:
            logger.exception("webhook %s: status failed", delivery.pk)
            failures.append(f"status {status.item['id']}: {exc!r}")
    if claim is not None and not claim():  # a POST of one message that failed before its claim was made
        return False
    _outcome(delivery=delivery, notes=notes, failures=failures)
    return True


def _outcome(*, delivery: WebhookDelivery, notes: list[str], failures: list[str]) -> None:
    now = timezone.now()
    error = "\n".join([*notes, *failures]).strip()[:10000]
    rows = WebhookDelivery.objects.filter(pk=delivery.pk)
    # The count written again: a claim made in a handling transaction that was rolled back did not keep it.
    attempts = max(delivery.attempts, 1)
    done = {"claimed_until": None, "next_attempt_at": None, "error": error, "office_id": delivery.office_id}
    if not failures:
        rows.update(processed_at=now, attempts=attempts, **done)
        return
    if attempts >= int(_setting("WHATSAPP_WEBHOOK_MAX_ATTEMPTS", WEBHOOK_MAX_ATTEMPTS)):
        logger.error("webhook %s: dead after %d attempts: %s", delivery.pk, attempts, failures[0])
        rows.update(dead_at=now, attempts=attempts, **done)
        return
    pause = _setting("WHATSAPP_WEBHOOK_RETRY_SECONDS", WEBHOOK_RETRY_SECONDS) * 2 ** (attempts - 1)
    rows.update(attempts=attempts, **{**done, "next_attempt_at": now + timedelta(seconds=pause)})


def webhook_delivery_retry(*, delivery: WebhookDelivery) -> bool:
    """An admin's "retry": a dead (or waiting) delivery gets its attempts back and is processed at once."""
    reset = WebhookDelivery.objects.filter(pk=delivery.pk, processed_at__isnull=True).update(
        dead_at=None, attempts=0, next_attempt_at=None, claimed_until=None
    )
    if reset:
        transaction.on_commit(lambda: _wake(delivery_id=delivery.pk))
    return bool(reset)


def webhook_sweep(*, budget_seconds: float | None = None) -> int:
    """Process pending deliveries whose wake-up was lost, oldest first; dead ones, ones waiting for their next
    attempt and ones another worker holds are left out, so a good delivery never waits behind failing ones.
    Returns how many were processed."""
    now = timezone.now()
    max_attempts = int(_setting("WHATSAPP_WEBHOOK_MAX_ATTEMPTS", WEBHOOK_MAX_ATTEMPTS))
    # Out of attempts yet unfinished: the worker died during the last one (the claim expired).
    WebhookDelivery.objects.filter(due_filter(now), attempts__gte=max_attempts).update(
        dead_at=now, claimed_until=None, error="the worker stopped during every attempt"
    )
    grace = _sweep_grace()
    pending = list(
        WebhookDelivery.objects.filter(due_filter(now), attempts__lt=max_attempts, received_at__lte=now - grace)
        .order_by("id")
        .values_list("pk", flat=True)[:WEBHOOK_SWEEP_BATCH]
    )
    deadline = time.monotonic() + (WEBHOOK_SWEEP_BUDGET_SECONDS if budget_seconds is None else budget_seconds)
    done = 0
    for pk in pending:
        if time.monotonic() > deadline:
            break
        done += webhook_delivery_run(delivery_id=pk)
    if done:
        logger.info("webhook sweep: %d delivery(ies) whose wake-up was missed or that were due again", done)
    return done


@db_task()
def webhook_sweep_tick() -> None:
    """The sweep every WEBHOOK_SWEEP_SECONDS, as a task that schedules its next run. Two chains (a restart, the
    minute task) collapse into one: a tick that finds another chain's beat fresher than half a period stops."""
    if _sweep_beat_age() < WEBHOOK_SWEEP_SECONDS / 2:
        return
    HUEY.put(_BEAT_KEY, time.time())
    try:
        webhook_sweep()
    finally:
        HUEY.put(_BEAT_KEY, time.time())  # a long sweep must not look like a dead chain
        if not HUEY.immediate:
            webhook_sweep_tick.schedule(delay=WEBHOOK_SWEEP_SECONDS)


def _sweep_beat_age() -> float:
    beat = HUEY.get(_BEAT_KEY, peek=True)
    return time.time() - beat if isinstance(beat, float | int) else float("inf")


def webhook_sweep_tick_ensure() -> None:
    """Start the tick when no chain has beaten for a while (called by the minute task, also at consumer start)."""
    if _sweep_beat_age() > 5 * WEBHOOK_SWEEP_SECONDS + WEBHOOK_SWEEP_BUDGET_SECONDS:
        webhook_sweep_tick()
