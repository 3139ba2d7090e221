"""Keeping the aggregates true: one office's day is recomputed from source, then its month re-summed from the days."""

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.models import Application, Channel, Component, Event, EventKind, ReviewItem, Status
from pencet.regions.models import Region

from .histograms import DURATIONS, histogram_add, histogram_columns
from .models import DailyStat, Dimension, Grain, OfficerStat, ReturnReasonStat

COMPLETED = (Status.DELIVERED, Status.PICKED_UP)
READY_OR_LATER = (Status.READY, Status.DELIVERED, Status.PICKED_UP)
REVIEW_STARTS = (EventKind.SUBMIT, EventKind.RESUBMIT)
REVIEW_ENDS = (EventKind.ACCEPT, EventKind.RETURN, EventKind.REJECT, EventKind.REFER_LATE)
# Online = the citizen did not have to come: WhatsApp on their own, or through their village office.
ONLINE_CHANNELS = (Channel.WHATSAPP, Channel.VILLAGE_STAFF)
STAT_COUNTERS = (
    "received", "documents", "online", "ready", "same_day", "completed", "returned", "rejected", "priority",
    "deadline_total", "deadline_in_time",
)  # fmt: skip
STAT_SUMS = (*STAT_COUNTERS, *histogram_columns(DURATIONS))
# The officer's work, per transition they made.
OFFICER_KINDS = {
    EventKind.ACCEPT: "reviewed",
    EventKind.RETURN: "reviewed",
    EventKind.REJECT: "reviewed",
    EventKind.COMPLETE_SIAK: "siak",
    EventKind.APPROVE: "verified",
    EventKind.SEND_BACK: "verified",
    EventKind.SIGN: "signed",
    EventKind.DELIVER: "handed_over",
    EventKind.PICK_UP: "handed_over",
}
OFFICER_COUNTERS = ("reviewed", "siak", "verified", "signed", "handed_over")
OFFICER_SUMS = (*OFFICER_COUNTERS, *histogram_columns(("review",)))


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


def _month_days(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _review_pairs(
    *, application_ids: list[int], until: datetime | None = None
) -> list[tuple[int, int | None, datetime, float]]:
    """Each completeness review read from the events (a submission or resubmission to the decision that ended it) as
    (application, who decided, when, seconds): the events are written in the transition's transaction, so this never
    waits for another subscriber."""
    found = []
    started: dict[int, datetime] = {}
    events = Event.objects.filter(application_id__in=application_ids, kind__in=REVIEW_STARTS + REVIEW_ENDS)
    if until is not None:
        events = events.filter(created_at__lt=until)
    rows = events.order_by("application_id", "created_at", "id").values_list(
        "application_id", "kind", "created_at", "actor_id"
    )
    for application_id, kind, created_at, actor_id in rows:
        if kind in REVIEW_STARTS:
            started[application_id] = created_at
        elif application_id in started:
            begun = started.pop(application_id)
            found.append((application_id, actor_id, created_at, (created_at - begun).total_seconds()))
    return found


def _application_values(*, office: Office, day: date, row: dict, reviews: list[float]) -> dict[str, int]:
    """What one application adds to each of its rows."""
    values: dict[str, int] = defaultdict(int)
    values["received"] = 1
    values["online"] = row["channel"] in ONLINE_CHANNELS
    signed_at = row["signed_at"]
    values["ready"] = signed_at is not None or row["status"] in READY_OR_LATER
    if signed_at is not None:
        values["same_day"] = office_local_date(office=office, moment=signed_at) == day
        histogram_add(values, measure="submission_to_ready", seconds=(signed_at - row["submitted_at"]).total_seconds())
        if row["siak_done_at"] is not None:
            histogram_add(values, measure="siak_to_signed", seconds=(signed_at - row["siak_done_at"]).total_seconds())
    for seconds in reviews:
        histogram_add(values, measure="review", seconds=seconds)
    values["completed"] = row["status"] in COMPLETED
    values["returned"] = row["returns"] > 0
    values["rejected"] = row["status"] == Status.REJECTED
    values["priority"] = bool(row["priority_elderly"] or row["priority_disability"])
    deadline = row["service__legal_deadline_days"]
    if deadline is not None and row["event_date"] is not None:
        values["deadline_total"] = 1
        values["deadline_in_time"] = (day - row["event_date"]).days <= deadline
    return values


def _daily_stats_day(*, office: Office, day: date) -> int:
    start, end = office_day_bounds(office=office, day=day)
    applications = list(
        Application.objects.filter(office=office, submitted_at__gte=start, submitted_at__lt=end)
        .annotate(
            signed_at=Min("events__created_at", filter=Q(events__kind=EventKind.SIGN)),
            siak_done_at=Min("events__created_at", filter=Q(events__kind=EventKind.COMPLETE_SIAK)),
            returns=Count("events", filter=Q(events__kind=EventKind.RETURN)),
        )
        .values(
            "pk", "channel", "service_id", "village_id", "status", "submitted_at", "signed_at", "siak_done_at",
            "returns", "priority_elderly", "priority_disability", "event_date", "service__legal_deadline_days",
        )
    )  # fmt: skip
    reviews: dict[int, list[float]] = defaultdict(list)
    for application_id, _actor, _at, seconds in _review_pairs(application_ids=[r["pk"] for r in applications]):
        reviews[application_id].append(seconds)
    documents = _documents([row["pk"] for row in applications])
    villages = {row["village_id"] for row in applications if row["village_id"]}
    districts = dict(Region.objects.filter(pk__in=villages).values_list("pk", "parent_id"))
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in applications:
        values = _application_values(office=office, day=day, row=row, reviews=reviews[row["pk"]])
        # Services ("layanan": `received`) and documents ("dokumen") are counted separately.
        values["documents"] = documents.get(row["pk"], 1)
        for group in (
            (Dimension.CHANNEL, row["channel"]),
            (Dimension.SERVICE, str(row["service_id"])),
            (Dimension.VILLAGE, row["village_id"] or ""),
        ):
            target = rows[group]
            for name, value in values.items():
                target[name] += value
    DailyStat.objects.filter(office=office, grain=Grain.DAY, day=day).delete()
    _rows_insert(
        model=DailyStat,
        rows=[
            {
                "office_id": office.pk,
                "grain": Grain.DAY.value,
                "day": day,
                "dimension": dimension,
                "key": key,
                "district": (districts.get(key) or "") if dimension == Dimension.VILLAGE else "",
                **values,
            }  # fmt: skip
            for (dimension, key), values in rows.items()
        ],
    )
    return len(rows)


def _officer_stats_day(*, office: Office, day: date, actor_id: int | None = None) -> None:
    start, end = office_day_bounds(office=office, day=day)
    events = Event.objects.filter(
        application__office=office,
        created_at__gte=start,
        created_at__lt=end,
        kind__in=list(OFFICER_KINDS) + list(REVIEW_ENDS),
        actor__isnull=False,
    )
    existing = OfficerStat.objects.filter(office=office, grain=Grain.DAY, day=day)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
        existing = existing.filter(actor_id=actor_id)
    rows: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ended = []
    for application_id, kind, actor in events.values_list("application_id", "kind", "actor_id"):
        if kind in OFFICER_KINDS:
            rows[actor][OFFICER_KINDS[kind]] += 1
        if kind in REVIEW_ENDS:
            ended.append(application_id)
    for _application, actor, at, seconds in _review_pairs(application_ids=ended, until=end):
        if actor is not None and at >= start and (actor_id is None or actor == actor_id):
            histogram_add(rows[actor], measure="review", seconds=seconds)
    existing.delete()
    _rows_insert(
        model=OfficerStat,
        rows=[
            {"office_id": office.pk, "grain": Grain.DAY.value, "day": day, "actor_id": actor, **values}
            for actor, values in rows.items()
        ],
    )


def _return_reason_stats_day(*, office: Office, day: date) -> None:
    start, end = office_day_bounds(office=office, day=day)
    found = (
        ReviewItem.objects.filter(application__office=office, created_at__gte=start, created_at__lt=end)
        .exclude(verdict=ReviewItem.Verdict.OK)
        .values("requirement_id", "verdict")
        .annotate(count=Count("id"))
    )
    ReturnReasonStat.objects.filter(office=office, grain=Grain.DAY, day=day).delete()
    ReturnReasonStat.objects.bulk_create(
        ReturnReasonStat(office=office, grain=Grain.DAY, day=day, **row) for row in found
    )


def _rows_insert(*, model, rows: list[dict]) -> None:
    """Aggregate rows written with one executemany: bulk_create prepares each of some three hundred integer columns
    through the ORM per row, which costs more than reading the day's applications."""
    if not rows:
        return
    names = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    table = model._meta.db_table
    marks = ", ".join("%s" for _ in names)
    values = [[row.get(name, now if name == "rebuilt_at" else 0) for name in names] for row in rows]
    values = [[connection.ops.adapt_datefield_value(v) if isinstance(v, date) and not isinstance(v, datetime) else v
               for v in row] for row in values]  # fmt: skip
    if "rebuilt_at" in names:
        at = names.index("rebuilt_at")
        for row in values:
            row[at] = connection.ops.adapt_datetimefield_value(row[at])
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)  # noqa: S608


def aggregate_month_rollup(*, model, office: Office, day: date, group: tuple[str, ...], sums: tuple[str, ...]) -> None:
    """The month's row per group: the sum of its day rows, written again from scratch by the database."""
    first, last = _month_days(day)
    model.objects.filter(office=office, grain=Grain.MONTH, day=first).delete()
    columns = ["office_id", "grain", "day", *group, *sums]
    has_rebuilt = any(f.column == "rebuilt_at" for f in model._meta.concrete_fields)
    selected = ["office_id", "%s", "%s", *group, *(f"SUM({name})" for name in sums)]
    if has_rebuilt:
        columns.append("rebuilt_at")
        selected.append("%s")
    table = model._meta.db_table
    adapt = connection.ops.adapt_datefield_value
    params = [Grain.MONTH.value, adapt(first)]
    if has_rebuilt:
        params.append(connection.ops.adapt_datetimefield_value(timezone.now()))
    params += [office.pk, Grain.DAY.value, adapt(first), adapt(last)]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(selected)} FROM {table} "  # noqa: S608
        f"WHERE office_id = %s AND grain = %s AND day >= %s AND day <= %s GROUP BY office_id, {', '.join(group)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _daily_stats_month(*, office: Office, day: date) -> None:
    aggregate_month_rollup(
        model=DailyStat, office=office, day=day, group=("dimension", "key", "district"), sums=STAT_SUMS
    )


def _officer_stats_month(*, office: Office, day: date) -> None:
    aggregate_month_rollup(model=OfficerStat, office=office, day=day, group=("actor_id",), sums=OFFICER_SUMS)


def _return_reason_stats_month(*, office: Office, day: date) -> None:
    aggregate_month_rollup(
        model=ReturnReasonStat, office=office, day=day, group=("requirement_id", "verdict"), sums=("count",)
    )


@transaction.atomic
def daily_stats_rebuild(*, office: Office, day: date) -> int:
    """Recompute the applications submitted on the office's day, then their month; returns the day rows written."""
    written = _daily_stats_day(office=office, day=day)
    _daily_stats_month(office=office, day=day)
    return written


@transaction.atomic
def officer_stats_rebuild(*, office: Office, day: date, actor_id: int | None = None) -> None:
    """Recompute the work done on the office's day (by one officer, or by everyone), then its month."""
    _officer_stats_day(office=office, day=day, actor_id=actor_id)
    _officer_stats_month(office=office, day=day)


@transaction.atomic
def return_reason_stats_rebuild(*, office: Office, day: date) -> None:
    """Recompute the requirements found lacking on the office's day, then its month."""
    _return_reason_stats_day(office=office, day=day)
    _return_reason_stats_month(office=office, day=day)


def report_stats_rebuild_range(*, office: Office, date_from: date, date_to: date) -> None:
    """Every aggregate of every day of a range, each month summed once, a transaction per month: after an import, an
    upgrade, or when the aggregates are first switched on (`pencet reports-rebuild`)."""
    month = date_from.replace(day=1)
    while month <= date_to:
        _first, last = _month_days(month)
        with transaction.atomic():
            day = max(month, date_from)
            while day <= min(last, date_to):
                _daily_stats_day(office=office, day=day)
                _officer_stats_day(office=office, day=day)
                _return_reason_stats_day(office=office, day=day)
                day += timedelta(days=1)
            _daily_stats_month(office=office, day=month)
            _officer_stats_month(office=office, day=month)
            _return_reason_stats_month(office=office, day=month)
        month = last + timedelta(days=1)


def daily_stats_rebuild_range(*, office: Office, date_from: date, date_to: date) -> None:
    report_stats_rebuild_range(office=office, date_from=date_from, date_to=date_to)


def daily_stats_rebuild_recent(*, now: datetime | None = None) -> int:
    """Yesterday and today of every office, every aggregate: what the periodic task runs, in case an event's handling
    was lost. Returns the application day rows written."""
    now = now or timezone.now()
    rows = 0
    for office in Office.objects.all():
        today = office_local_date(office=office, moment=now)
        for day in (today - timedelta(days=1), today):
            rows += daily_stats_rebuild(office=office, day=day)
            officer_stats_rebuild(office=office, day=day)
            return_reason_stats_rebuild(office=office, day=day)
    return rows


def report_stats_rebuild_office(*, office: Office, date_from: date | None = None, date_to: date | None = None) -> int:
    """The office's aggregates from its first application (or date_from) to today (or date_to); returns the days."""
    today = office_local_date(office=office, moment=timezone.now())
    if date_from is None:
        first = Application.objects.filter(office=office, submitted_at__isnull=False).aggregate(m=Min("submitted_at"))
        date_from = office_local_date(office=office, moment=first["m"]) if first["m"] else today
    date_to = date_to or today
    report_stats_rebuild_range(office=office, date_from=date_from, date_to=date_to)
    return max(0, (date_to - date_from).days + 1)
