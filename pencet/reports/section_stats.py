"""The daily aggregates behind impact, coverage and SLA per stage, kept true the way DailyStat is: one (office, day)
bucket recomputed whole from its source, so a repeated or late event counts nothing twice.

- ClosureStat: the day's deliveries and pickups (channel × service × village × how), read from that day's "deliver" /
  "pick_up" events (the Event table's `created_at` index: one day's events, never the whole applications table);
- ImpactStat (impact's reader) and CoverageStat (coverage's reader): narrow roll-ups written from the same day's
  ClosureStat rows in the same statement batch: the online documents sent per village (with its district), and the
  new-owner documents handed over per village and kind;
- StageStat: the stages with a target that ended that day, from the stage timers (`ended_at` index);
- every table but StageStat has month rows, re-summed from the month's days by the database.

Every write is set-based (INSERT … SELECT): the subscriber rewrites one day, `pencet reports-rebuild` a whole month per
statement (the office's local date computed by the database), so a rebuild of two years is seconds, not hours.

The subscriber (`section_event_record`, in PENCET_EVENT_SUBSCRIBERS after the clocks) rebuilds the day of each status
change; the half-hourly task rebuilds yesterday and today of every office, which also catches a stage timer the
clocks subscriber closed after this one ran.
"""

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.events import event_subscriber
from pencet.cases.models import Application, Event, EventKind
from pencet.cases.models_clocks import StageTimer
from pencet.catalog.models import Service
from pencet.regions.models import Region

from .models import Grain
from .models_sections import ClosureStat, CoverageStat, ImpactStat, StageStat
from .services import ONLINE_CHANNELS, aggregate_month_rollup, office_day_bounds, office_local_date, office_zone

CLOSING_KINDS = {EventKind.DELIVER: ClosureStat.How.DELIVERED, EventKind.PICK_UP: ClosureStat.How.PICKED_UP}
# Services whose document gives someone a card or deed they did not have, per kind of document (coverage).
OWNER_KIND_SERVICES = {"ktp": ("ktp-baru",), "kia": ("kia",), "kk": ("kk-baru",), "akta": ("akta-kelahiran",)}
# The month rows of each roll-up: (model, group columns, summed columns).
MONTH_ROLLUPS = (
    (ClosureStat, ("channel", "service_id", "village_id", "how"), ("count",)),
    (ImpactStat, ("village_id", "district"), ("trips",)),
    (CoverageStat, ("village_id", "kind"), ("count",)),
)


def owner_kinds() -> dict[int, set[str]]:
    """Service id → the kinds of document its completion gives a new owner (bundles through their components)."""
    codes = {code: kind for kind, names in OWNER_KIND_SERVICES.items() for code in names}
    code_of = dict(Service.objects.values_list("pk", "code"))
    kinds: dict[int, set[str]] = defaultdict(set)
    for pk, code in code_of.items():
        if code in codes:
            kinds[pk].add(codes[code])
    for bundle, component in Service.components.through.objects.values_list("from_service_id", "to_service_id"):
        if code_of.get(component) in codes:
            kinds[bundle].add(codes[code_of[component]])
    return kinds


def closures_between(*, office: Office, start: datetime, end: datetime) -> list[dict]:
    """Deliveries and pickups of the office between two moments, grouped (channel, service, village, how): the
    events of those moments through their created_at index (outer table), each application joined by its key."""
    moment = connection.ops.adapt_datetimefield_value
    kinds = list(CLOSING_KINDS)
    sql = (
        "SELECT a.channel, a.service_id, a.village_id, e.kind, COUNT(*) "  # noqa: S608
        f"FROM {Event._meta.db_table} e CROSS JOIN {Application._meta.db_table} a "
        f"WHERE a.id = e.application_id AND a.office_id = %s AND e.kind IN ({_marks(kinds)}) "
        "AND e.created_at >= %s AND e.created_at < %s GROUP BY a.channel, a.service_id, a.village_id, e.kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [office.pk, *kinds, moment(start), moment(end)])
        return [
            {"channel": channel, "service_id": service_id, "village_id": village_id, "how": CLOSING_KINDS[kind],
             "count": count}
            for channel, service_id, village_id, kind, count in cursor
        ]  # fmt: skip


def _local_day_sql(*, column: str, office: Office, first: date, last: date) -> tuple[str, list] | None:
    """The office's local date of a timestamp column as SQL, for moments from `first` to `last` (local days); None
    when SQLite cannot say it with one offset (a zone that changes its offset within the days: go day by day)."""
    adapt = connection.ops.adapt_datefield_value
    if first == last:
        return "%s", [adapt(first)]
    zone = office_zone(office=office)
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE %s) AS date)", [zone.key]
    offsets = {office_day_bounds(office=office, day=first + timedelta(days=n))[0].utcoffset()
               for n in range((last - first).days + 2)}  # fmt: skip
    if len(offsets) != 1:
        return None
    minutes = int(offsets.pop().total_seconds() // 60)
    return f"date({column}, %s)", [f"{minutes:+d} minutes"]


def _execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _marks(values) -> str:
    return ", ".join("%s" for _ in values)


def _closures_write(*, office: Office, day_sql: str, day_params: list, start: datetime, end: datetime) -> None:
    """ClosureStat day rows of the moments [start, end) from the events, grouped by local day in the database.
    The event is the outer table (its created_at index: only those moments), the application joined by its key."""
    moment = connection.ops.adapt_datetimefield_value
    kinds = list(CLOSING_KINDS)
    sql = (
        f"INSERT INTO {ClosureStat._meta.db_table} "  # noqa: S608
        f"(office_id, grain, day, channel, service_id, village_id, how, count) "
        f"SELECT a.office_id, %s, {day_sql}, a.channel, a.service_id, a.village_id, "
        f"CASE e.kind WHEN %s THEN %s ELSE %s END, COUNT(*) "
        f"FROM {Event._meta.db_table} e CROSS JOIN {Application._meta.db_table} a "
        f"WHERE a.id = e.application_id AND a.office_id = %s AND e.kind IN ({_marks(kinds)}) "
        f"AND e.created_at >= %s AND e.created_at < %s "
        f"GROUP BY a.office_id, {day_sql}, a.channel, a.service_id, a.village_id, e.kind"
    )
    params = [Grain.DAY.value, *day_params, EventKind.DELIVER.value, ClosureStat.How.DELIVERED.value,
              ClosureStat.How.PICKED_UP.value, office.pk, *kinds, moment(start), moment(end), *day_params]  # fmt: skip
    _execute(sql, params)


def _stages_write(*, office: Office, day_sql: str, day_params: list, start: datetime, end: datetime) -> None:
    """StageStat rows of the stages with a target that ended in [start, end), per local day and stage."""
    moment = connection.ops.adapt_datetimefield_value
    sql = (
        f"INSERT INTO {StageStat._meta.db_table} (office_id, day, stage, total, met) "  # noqa: S608
        f"SELECT a.office_id, {day_sql}, t.stage, COUNT(*), SUM(CASE WHEN t.target_met THEN 1 ELSE 0 END) "
        f"FROM {StageTimer._meta.db_table} t CROSS JOIN {Application._meta.db_table} a "
        f"WHERE a.id = t.application_id AND a.office_id = %s AND t.ended_at >= %s AND t.ended_at < %s "
        f"AND t.target_minutes IS NOT NULL AND t.target_met IS NOT NULL "
        f"GROUP BY a.office_id, {day_sql}, t.stage"
    )
    _execute(sql, [*day_params, office.pk, moment(start), moment(end), *day_params])


def _readers_write(*, office: Office, first: date, last: date, kinds: dict[int, set[str]]) -> None:
    """ImpactStat and CoverageStat day rows of [first, last] from the ClosureStat day rows just written."""
    adapt = connection.ops.adapt_datefield_value
    closures = ClosureStat._meta.db_table
    span = "c.office_id = %s AND c.grain = %s AND c.day >= %s AND c.day <= %s"
    span_params = [office.pk, Grain.DAY.value, adapt(first), adapt(last)]
    _execute(
        f"INSERT INTO {ImpactStat._meta.db_table} (office_id, grain, day, village_id, district, trips) "  # noqa: S608
        f"SELECT c.office_id, %s, c.day, c.village_id, COALESCE(r.parent_id, ''), SUM(c.count) "
        f"FROM {closures} c LEFT JOIN {Region._meta.db_table} r ON r.code = c.village_id "
        f"WHERE {span} AND c.how = %s AND c.channel IN ({_marks(ONLINE_CHANNELS)}) "
        f"GROUP BY c.office_id, c.day, c.village_id, r.parent_id",
        [Grain.DAY.value, *span_params, ClosureStat.How.DELIVERED.value, *ONLINE_CHANNELS],
    )
    pairs = [(service_id, kind) for service_id, names in sorted(kinds.items()) for kind in sorted(names)]
    if not pairs:
        return
    # The catalogue's service → kind pairs as a VALUES table (column1, column2 on both databases).
    values = ", ".join("(%s, %s)" for _ in pairs)
    _execute(
        f"INSERT INTO {CoverageStat._meta.db_table} (office_id, grain, day, village_id, kind, count) "  # noqa: S608
        f"SELECT c.office_id, %s, c.day, c.village_id, k.column2, SUM(c.count) "
        f"FROM {closures} c JOIN (VALUES {values}) AS k ON k.column1 = c.service_id "
        f"WHERE {span} AND c.village_id IS NOT NULL GROUP BY c.office_id, c.day, c.village_id, k.column2",
        [Grain.DAY.value, *[v for pair in pairs for v in pair], *span_params],
    )


def _days_write(*, office: Office, first: date, last: date, kinds: dict[int, set[str]]) -> None:
    """Every day row of [first, last] (local days) recomputed: a statement per table for the whole span."""
    for model in (ClosureStat, ImpactStat, CoverageStat):
        model.objects.filter(office=office, grain=Grain.DAY, day__gte=first, day__lte=last).delete()
    StageStat.objects.filter(office=office, day__gte=first, day__lte=last).delete()
    spans = [(first, last)]
    if _local_day_sql(column="x", office=office, first=first, last=last) is None:
        spans = [(first + timedelta(days=n),) * 2 for n in range((last - first).days + 1)]
    for span_first, span_last in spans:
        start, end = (
            office_day_bounds(office=office, day=span_first)[0],
            office_day_bounds(office=office, day=span_last)[1],
        )
        for write, column in ((_closures_write, "e.created_at"), (_stages_write, "t.ended_at")):
            day_sql, day_params = _local_day_sql(column=column, office=office, first=span_first, last=span_last)
            write(office=office, day_sql=day_sql, day_params=day_params, start=start, end=end)
    _readers_write(office=office, first=first, last=last, kinds=kinds)


def _months_write(*, office: Office, day: date) -> None:
    for model, group, sums in MONTH_ROLLUPS:
        aggregate_month_rollup(model=model, office=office, day=day, group=group, sums=sums)


@transaction.atomic
def section_stats_rebuild(*, office: Office, day: date) -> None:
    """One office's day recomputed from its events and timers, then the day's month re-summed."""
    _days_write(office=office, first=day, last=day, kinds=owner_kinds())
    _months_write(office=office, day=day)


def section_stats_rebuild_range(*, office: Office, date_from: date, date_to: date) -> None:
    """Every day of a range, a few statements and a transaction per month: when the aggregates are first switched
    on, or after an import (`pencet reports-rebuild`)."""
    kinds = owner_kinds()
    month = date_from.replace(day=1)
    while month <= date_to:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        with transaction.atomic():
            _days_write(office=office, first=max(month, date_from), last=min(last, date_to), kinds=kinds)
            _months_write(office=office, day=month)
        month = last + timedelta(days=1)


def section_rollups_from_closures(*, office: Office, first: date, last: date) -> None:
    """The readers' roll-ups and every month row re-made from ClosureStat day rows already there (a benchmark that
    writes closures directly, as the subscriber would have left them)."""
    with transaction.atomic():
        for model in (ImpactStat, CoverageStat):
            model.objects.filter(office=office, grain=Grain.DAY, day__gte=first, day__lte=last).delete()
        _readers_write(office=office, first=first, last=last, kinds=owner_kinds())
        month = first.replace(day=1)
        while month <= last:
            _months_write(office=office, day=month)
            month = (month + timedelta(days=32)).replace(day=1)


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
