"""The daily aggregates behind impact, coverage and SLA per stage, kept true the way DailyStat is: one (office, day)
bucket recomputed whole from its source, so a repeated or late event counts nothing twice.

- ClosureStat: the day's deliveries and pickups, read from that day's "deliver" / "pick_up" events (the Event
  table's `created_at` index: one day's events, never the whole applications table), and the month's rows summed
  from its day rows (whole months of a period are read from those, only the edge days from day rows);
- StageStat: the stages with a target that ended that day, from the stage timers (`ended_at` index).

The subscriber (`section_event_record`, in PENCET_EVENT_SUBSCRIBERS after the clocks) rebuilds the day of each status
change; the half-hourly task rebuilds yesterday and today of every office, which also catches a stage timer the
clocks subscriber closed after this one ran.
"""

import calendar
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.events import event_subscriber
from pencet.cases.models import Event, EventKind
from pencet.cases.models_clocks import StageTimer

from .models import Grain
from .models_sections import ClosureStat, StageStat
from .services import aggregate_month_rollup, office_day_bounds, office_local_date

CLOSING_KINDS = {EventKind.DELIVER: ClosureStat.How.DELIVERED, EventKind.PICK_UP: ClosureStat.How.PICKED_UP}


def closures_between(*, office: Office, start: datetime, end: datetime) -> list[dict]:
    """Deliveries and pickups of the office between two moments, grouped (channel, service, village, how)."""
    rows = (
        Event.objects.filter(
            application__office=office, kind__in=list(CLOSING_KINDS), created_at__gte=start, created_at__lt=end
        )
        .values("application__channel", "application__service_id", "application__village_id", "kind")
        .annotate(count=Count("id"))
    )
    return [
        {
            "channel": row["application__channel"],
            "service_id": row["application__service_id"],
            "village_id": row["application__village_id"],
            "how": CLOSING_KINDS[row["kind"]],
            "count": row["count"],
        }
        for row in rows
    ]


def _closure_stats_day(*, office: Office, day: date) -> None:
    start, end = office_day_bounds(office=office, day=day)
    # Only the day's rows: the month's row sits on its 1st under the same `day`.
    ClosureStat.objects.filter(office=office, grain=Grain.DAY, day=day).delete()
    ClosureStat.objects.bulk_create(
        ClosureStat(office=office, grain=Grain.DAY, day=day, **row)
        for row in closures_between(office=office, start=start, end=end)
    )


def _closure_stats_month(*, office: Office, day: date) -> None:
    aggregate_month_rollup(
        model=ClosureStat, office=office, day=day, group=("channel", "service_id", "village_id", "how"), sums=("count",)
    )


def _stage_stats_day(*, office: Office, day: date) -> None:
    start, end = office_day_bounds(office=office, day=day)
    stages = (
        StageTimer.objects.filter(
            application__office=office,
            ended_at__gte=start,
            ended_at__lt=end,
            target_minutes__isnull=False,
            target_met__isnull=False,
        )
        .values("stage")
        .annotate(total=Count("id"), met=Count("id", filter=Q(target_met=True)))
    )
    StageStat.objects.filter(office=office, day=day).delete()
    StageStat.objects.bulk_create(
        StageStat(office=office, day=day, stage=row["stage"], total=row["total"], met=row["met"]) for row in stages
    )


@transaction.atomic
def section_stats_rebuild(*, office: Office, day: date) -> None:
    """One office's day recomputed from its events and timers, then the day's month re-summed."""
    _closure_stats_day(office=office, day=day)
    _closure_stats_month(office=office, day=day)
    _stage_stats_day(office=office, day=day)


def section_stats_rebuild_range(*, office: Office, date_from: date, date_to: date) -> None:
    """Every day of a range, each month summed once, a transaction per month: when the aggregates are first switched
    on, or after an import (`pencet reports-rebuild`)."""
    month = date_from.replace(day=1)
    while month <= date_to:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        with transaction.atomic():
            day = max(month, date_from)
            while day <= min(last, date_to):
                _closure_stats_day(office=office, day=day)
                _stage_stats_day(office=office, day=day)
                day += timedelta(days=1)
            _closure_stats_month(office=office, day=month)
        month = last + timedelta(days=1)


def section_stats_rebuild_recent(*, now: datetime | None = None) -> None:
    now = now or timezone.now()
    for office in Office.objects.all():
        today = office_local_date(office=office, moment=now)
        section_stats_rebuild_range(office=office, date_from=today - timedelta(days=1), date_to=today)


@event_subscriber(when=lambda event: bool(event.from_status) and event.from_status != event.to_status)
def section_event_record(*, event: Event) -> None:
    """Event subscriber: a status change (a stage ended, a document handed over) rebuilds the day it happened."""
    if not event.from_status or event.from_status == event.to_status:
        return
    office = event.application.office
    section_stats_rebuild(office=office, day=office_local_date(office=office, moment=event.created_at))
