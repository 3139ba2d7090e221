"""Events are the outbox: every committed Event reaches each subscriber once, after its transaction.

A transition (or note) writes only its Event row. After commit `event_dispatch_task` calls every subscriber named
in `settings.PENCET_EVENT_SUBSCRIBERS` (dotted paths) as `fn(*, event: Event) -> None`. Each (event, subscriber)
has one EventHandling row, claimed with a conditional UPDATE so that two workers never both handle it; the
subscriber's own writes and the row's `done` commit together (an event's subscribers in one transaction, each in
a savepoint of its own). A subscriber that raises is recorded, retried with
doubling delays up to MAX_ATTEMPTS and then left `dead` for staff to look at; it never undoes the transition,
which committed before it ran. `events_sweep` (every minute, pencet.cases.tasks) re-dispatches events whose task
was lost.

A subscriber may name the events it handles (`@event_subscriber(when=...)`, a test of the Event row alone): for
the others its handling is written done at dispatch, without a claim, a read or a call. The subscribers an event
wants are claimed in one UPDATE; the first reuses the Event the dispatch read, each later one reads it again, so
that it sees what the ones before it wrote (the clock subscriber sets the due moment the notification quotes).

Contracts:
    event_subscriber(*, when) -> decorator              the events a subscriber handles
    event_dispatch(*, event_id) -> None                 every subscriber, once each
    event_handle(*, event_id, subscriber) -> str | None one subscriber; the state it left, None if not claimed
    events_sweep(*, now=None, limit=SWEEP_BATCH) -> int events re-dispatched
    event_handlings_retry(*, handlings) -> int          staff: try failed/dead handlings again
"""

import logging
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task

from .models import Event, EventHandling

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 30
# A claim older than this belongs to a worker that died; the handling may be claimed again.
CLAIM_LEASE = timedelta(minutes=5)
# The sweep leaves young events to the task their commit scheduled.
SWEEP_GRACE = timedelta(minutes=2)
# Older events are history: a subscriber added today is not fed last year's timeline.
SWEEP_HORIZON = timedelta(days=1)
SWEEP_BATCH = 200

State = EventHandling.State


class _ClaimLost(Exception):
    """Another worker re-claimed the handling (our lease ran out); our writes must not count."""


Subscriber = TypeVar("Subscriber", bound=Callable[..., None])


def event_subscriber(*, when: Callable[[Event], bool]) -> Callable[[Subscriber], Subscriber]:
    """Mark the events a subscriber handles; `when` reads only the Event's own fields (kind, statuses, actor).

    The subscriber keeps its own check too: a handling retried by hand still calls it.
    """

    def mark(fn: Subscriber) -> Subscriber:
        fn.event_filter = when  # type: ignore[attr-defined]
        return fn

    return mark


def event_subscribers() -> list[str]:
    return list(getattr(settings, "PENCET_EVENT_SUBSCRIBERS", []))


def _event_read(*, event_id: int) -> Event:
    return Event.objects.select_related("application__office", "application__service", "actor").get(pk=event_id)


def _wants(*, subscriber: str, event: Event) -> bool:
    try:
        when = getattr(import_string(subscriber), "event_filter", None)
    except ImportError:
        return True  # its run records the failure where staff see it
    return when is None or bool(when(event))


def event_dispatch_on_commit(*, event: Event) -> None:
    """Schedule the dispatch once the transaction writing `event` commits (never if it rolls back)."""
    event_id = event.pk
    transaction.on_commit(lambda: event_dispatch_task(event_id))


def event_saved(*, instance: Event, created: bool, raw: bool = False, **kwargs: object) -> None:
    """post_save receiver (connected in CasesConfig.ready): a new Event is dispatched after its commit."""
    if created and not raw:
        event_dispatch_on_commit(event=instance)


def _claimable(*, now: datetime) -> Q:
    return (
        Q(state=State.PENDING)
        | Q(state=State.FAILED, retry_at__lte=now)
        | Q(state=State.RUNNING, claimed_at__lt=now - CLAIM_LEASE)
    )


def event_dispatch(*, event_id: int) -> None:
    subscribers = event_subscribers()
    if not subscribers:
        return
    try:
        event = _event_read(event_id=event_id)
    except Event.DoesNotExist:
        logger.warning("event %s: gone before its dispatch", event_id)
        return
    now = timezone.now()
    wanted = [s for s in subscribers if _wants(subscriber=s, event=event)]
    EventHandling.objects.bulk_create(
        [EventHandling(event_id=event_id, subscriber=s) for s in wanted]
        + [
            EventHandling(event_id=event_id, subscriber=s, state=State.DONE, handled_at=now)
            for s in subscribers
            if s not in wanted
        ],
        ignore_conflicts=True,
    )
    claim = _claim(event_id=event_id, subscribers=wanted)
    if claim is None:
        return
    claimed, mine = claim
    if claimed < len(wanted):
        held = set(
            EventHandling.objects.filter(event_id=event_id, claim_token=mine, state=State.RUNNING).values_list(
                "subscriber", flat=True
            )
        )
        wanted = [s for s in wanted if s in held]
    _handlings_run(event_id=event_id, subscribers=wanted, token=mine, event=event)


def event_handle(*, event_id: int, subscriber: str) -> str | None:
    """Claim and run one subscriber for one event; never raises (a failure is recorded and retried)."""
    claim = _claim(event_id=event_id, subscribers=[subscriber])
    if claim is None:
        return None
    return _handlings_run(event_id=event_id, subscribers=[subscriber], token=claim[1]).get(subscriber)


def _claim(*, event_id: int, subscribers: list[str]) -> tuple[int, str] | None:
    """Claim, in one UPDATE, the given subscribers' handlings of the event that are free; (how many, the token)."""
    if not subscribers:
        return None
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = EventHandling.objects.filter(_claimable(now=now), event_id=event_id, subscriber__in=subscribers).update(
        state=State.RUNNING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return (claimed, token) if claimed else None


def _handlings_run(
    *, event_id: int, subscribers: list[str], token: str, event: Event | None = None
) -> dict[str, str | None]:
    """Run one event's claimed subscribers in one transaction, each in a savepoint of its own, and mark those that
    succeeded done with one UPDATE: on SQLite a transaction per subscriber took the write lock once for each, behind
    every citizen's turn. A failure undoes only its subscriber's work and is recorded after the commit. The first
    subscriber gets the Event the dispatch read; each later one reads it again, and so sees what the ones before it
    wrote. Returns the state each subscriber was left in (None: its claim was lost)."""
    states: dict[str, str | None] = {}
    failures: list[tuple[str, Exception]] = []
    try:
        with transaction.atomic():
            for position, subscriber in enumerate(subscribers):
                try:
                    handler = import_string(subscriber)
                    with transaction.atomic():
                        handler(event=event if position == 0 and event is not None else _event_read(event_id=event_id))
                except Exception as exc:  # noqa: BLE001 - any subscriber failure is recorded, never propagated
                    logger.exception("event %s: subscriber %s failed", event_id, subscriber)
                    failures.append((subscriber, exc))
                    states[subscriber] = None
                else:
                    states[subscriber] = State.DONE
            done = [s for s, state in states.items() if state == State.DONE]
            marked = EventHandling.objects.filter(
                event_id=event_id, subscriber__in=done, claim_token=token, state=State.RUNNING
            ).update(state=State.DONE, handled_at=timezone.now(), last_error="", retry_at=None)
            if marked < len(done):
                raise _ClaimLost
    except _ClaimLost:
        # Another worker took over (this one outlived its lease): all of this is undone, and the work is theirs.
        logger.warning("event %s: handlings of %s were re-claimed by another worker", event_id, subscribers)
        return dict.fromkeys(subscribers)
    for subscriber, exc in failures:
        states[subscriber] = _handling_failed(event_id=event_id, subscriber=subscriber, token=token, exc=exc)
    return states


def _handling_failed(*, event_id: int, subscriber: str, token: str, exc: Exception) -> str | None:
    row = EventHandling.objects.filter(event_id=event_id, subscriber=subscriber, claim_token=token).first()
    if row is None:
        return None
    error = "".join(traceback.format_exception(exc))[-4000:]
    if row.attempts >= MAX_ATTEMPTS:
        state, retry_at, delay = State.DEAD, None, 0
    else:
        delay = RETRY_BASE_SECONDS * 2 ** (row.attempts - 1)
        state, retry_at = State.FAILED, timezone.now() + timedelta(seconds=delay)
    updated = EventHandling.objects.filter(pk=row.pk, claim_token=token, state=State.RUNNING).update(
        state=state, retry_at=retry_at, last_error=error
    )
    if updated and state == State.FAILED:
        # If this scheduled retry is lost too, the sweep finds the row once retry_at has passed.
        event_handle_task.schedule(kwargs={"event_id": event_id, "subscriber": subscriber}, delay=delay)
    return state if updated else None


def event_handlings_retry(*, handlings: QuerySet[EventHandling]) -> int:
    """Staff's "try again" for given-up (or failing) handlings: a full set of attempts, from the next sweep on."""
    return handlings.filter(state__in=(State.DEAD, State.FAILED)).update(
        state=State.FAILED, attempts=0, retry_at=timezone.now()
    )


def events_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Re-dispatch, oldest first, recent events a subscriber has not handled and is not retrying on schedule."""
    now = now or timezone.now()
    subscribers = event_subscribers()
    if not subscribers:
        return 0
    handlings = EventHandling.objects.filter(event=OuterRef("pk"))
    unhandled = Exists(handlings.filter(_claimable(now=now), subscriber__in=subscribers))
    for subscriber in subscribers:
        unhandled |= ~Exists(handlings.filter(subscriber=subscriber))
    event_ids = list(
        Event.objects.filter(created_at__gte=now - SWEEP_HORIZON, created_at__lte=now - SWEEP_GRACE)
        .filter(unhandled)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for event_id in event_ids:
        event_dispatch_task(event_id)
    if event_ids:
        logger.info("events sweep re-dispatched %d event(s)", len(event_ids))
    return len(event_ids)


# The tasks live beside the functions they run, so that nothing here imports pencet.cases.tasks.
@db_task(retries=0)
def event_dispatch_task(event_id: int) -> None:
    event_dispatch(event_id=event_id)


@db_task(retries=0)
def event_handle_task(event_id: int, subscriber: str) -> None:
    event_handle(event_id=event_id, subscriber=subscriber)
