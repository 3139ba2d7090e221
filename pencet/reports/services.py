"""Keeping the daily aggregates true: one (office, day) bucket is recomputed from the applications of that day."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.models import Application, Component, Event, EventKind, Status

from .models import DailyStat

COMPLETED = (Status.DELIVERED, Status.PICKED_UP)
READY_OR_LATER = (Status.READY, Status.DELIVERED, Status.PICKED_UP)
REVIEW_STARTS = (EventKind.SUBMIT, EventKind.RESUBMIT)
REVIEW_ENDS = (EventKind.ACCEPT, EventKind.RETURN, EventKind.REJECT, EventKind.REFER_LATE)
DURATION_FIELDS = ("review_minutes", "siak_to_signed_minutes", "submission_to_ready_minutes")


def _minutes_key(start: datetime, end: datetime) -> str:
    return f"{(end - start).total_seconds() / 60:.1f}"


def _review_minutes(application_ids: list[int]) -> dict[int, list[str]]:
    """Each completeness review read from the events (a submission or resubmission to the decision that ended it):
    the events are written in the transition's transaction, so this never waits for another subscriber."""
    found: dict[int, list[str]] = defaultdict(list)
    started: dict[int, datetime] = {}
    events = (
        Event.objects.filter(application_id__in=application_ids, kind__in=REVIEW_STARTS + REVIEW_ENDS)
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "kind", "created_at")
    )
    for application_id, kind, created_at in events:
        if kind in REVIEW_STARTS:
            started[application_id] = created_at
        elif application_id in started:
            found[application_id].append(_minutes_key(started.pop(application_id), created_at))
    return found


def _documents(application_ids: list[int]) -> dict[int, int]:
    """How many documents each bundle application asks for (its components); absent: a single service's one."""
    rows = (
        Component.objects.filter(application_id__in=application_ids)
        .values("application_id")
        .annotate(n=Count("id"))
        .values_list("application_id", "n")
    )
    return dict(rows)


def office_zone(*, office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone or "Asia/Makassar")


def office_day_bounds(*, office: Office, day: date) -> tuple[datetime, datetime]:
    zone = office_zone(office=office)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def office_local_date(*, office: Office, moment: datetime) -> date:
    return timezone.localtime(moment, office_zone(office=office)).date()


@transaction.atomic
def daily_stats_rebuild(*, office: Office, day: date) -> int:
    """Recompute every row of the office's day from source; returns the number of rows written."""
    start, end = office_day_bounds(office=office, day=day)
    applications = (
        Application.objects.filter(office=office, submitted_at__gte=start, submitted_at__lt=end)
        .annotate(
            signed_at=Min("events__created_at", filter=Q(events__kind=EventKind.SIGN)),
            siak_done_at=Min("events__created_at", filter=Q(events__kind=EventKind.COMPLETE_SIAK)),
            returns=Count("events", filter=Q(events__kind=EventKind.RETURN)),
        )
        .values(
            "pk", "channel", "service_id", "village_id", "status", "submitted_at", "signed_at", "siak_done_at",
            "returns", "priority_elderly", "priority_disability",
        )
    )  # fmt: skip
    applications = list(applications)
    reviews = _review_minutes([row["pk"] for row in applications])
    documents = _documents([row["pk"] for row in applications])
    buckets: dict[tuple[str, int, str | None], dict] = defaultdict(lambda: defaultdict(int))
    for row in applications:
        counters = buckets[(row["channel"], row["service_id"], row["village_id"])]
        for name in DURATION_FIELDS:
            counters.setdefault(name, defaultdict(int))
        for minutes in reviews.get(row["pk"], []):
            counters["review_minutes"][minutes] += 1
        counters["received"] += 1
        counters["documents"] += documents.get(row["pk"], 1)
        signed_at = row["signed_at"]
        if signed_at is not None or row["status"] in READY_OR_LATER:
            counters["ready"] += 1
        if signed_at is not None and office_local_date(office=office, moment=signed_at) == day:
            counters["same_day"] += 1
        if signed_at is not None:
            counters["submission_to_ready_minutes"][_minutes_key(row["submitted_at"], signed_at)] += 1
            if row["siak_done_at"] is not None:
                counters["siak_to_signed_minutes"][_minutes_key(row["siak_done_at"], signed_at)] += 1
        counters["completed"] += row["status"] in COMPLETED
        counters["returned"] += row["returns"] > 0
        counters["rejected"] += row["status"] == Status.REJECTED
        counters["priority"] += row["priority_elderly"] or row["priority_disability"]
    DailyStat.objects.filter(office=office, day=day).delete()
    DailyStat.objects.bulk_create(
        DailyStat(
            office=office,
            day=day,
            channel=channel,
            service_id=service_id,
            village_id=village_id,
            **{name: dict(value) if name in DURATION_FIELDS else value for name, value in counters.items()},
        )
        for (channel, service_id, village_id), counters in buckets.items()
    )
    return len(buckets)


def daily_stats_rebuild_recent(*, now: datetime | None = None) -> int:
    """Yesterday and today of every office: what the periodic task runs, in case an event's handling was lost."""
    now = now or timezone.now()
    rows = 0
    for office in Office.objects.all():
        today = office_local_date(office=office, moment=now)
        for day in (today - timedelta(days=1), today):
            rows += daily_stats_rebuild(office=office, day=day)
    return rows


def daily_stats_rebuild_range(*, office: Office, date_from: date, date_to: date) -> None:
    """Every day of a range, e.g. after an import or when the aggregates are first switched on."""
    day = date_from
    while day <= date_to:
        daily_stats_rebuild(office=office, day=day)
        day += timedelta(days=1)
