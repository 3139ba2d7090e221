"""Report reads: sums of the aggregates in the database (whole months from the month rows, the days around them from
the day rows), medians and p90s from the summed duration bins. Nothing here reads the applications or events."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Channel, ReviewItem
from pencet.catalog.models import Requirement, Service
from pencet.regions.models import Region

from .histograms import DURATIONS, binned_summary, count_column, histogram_columns
from .models import DailyStat, Dimension, Grain, OfficerStat, ReturnReasonStat
from .services import OFFICER_COUNTERS, OFFICER_SUMS, STAT_COUNTERS, STAT_SUMS

GROUP_BYS = ("channel", "service", "district", "village", "officer", "office", "day", "month")
GROUP_LABELS = {
    "channel": gettext_lazy("Kanal"),
    "service": gettext_lazy("Layanan"),
    "district": gettext_lazy("Kecamatan"),
    "village": gettext_lazy("Desa/Kelurahan"),
    "officer": gettext_lazy("Petugas"),
    "office": gettext_lazy("Kantor"),
    "day": gettext_lazy("Tanggal"),
    "month": gettext_lazy("Bulan"),
}
REPORT_ROLES = (Role.LEADERSHIP, Role.SIGNER, Role.ADMIN)
# "received" counts services (layanan), "documents" what they issue (dokumen: a One Three is one and three).
COUNTERS = ("received", "documents", "online", "ready", "same_day", "completed", "returned", "rejected", "priority")
# Which aggregate rows answer each grouping, and the column that makes the group.
SOURCES = {
    "channel": (Dimension.CHANNEL, "key"),
    "service": (Dimension.SERVICE, "key"),
    "village": (Dimension.VILLAGE, "key"),
    "district": (Dimension.VILLAGE, "district"),
    "office": (Dimension.CHANNEL, "office_id"),
    "day": (Dimension.CHANNEL, "day"),
    "month": (Dimension.CHANNEL, "day"),
}


class ReportError(ValueError):
    pass


def _is_cross_office(user: User) -> bool:
    """Leadership above the offices (a province's Disdukcapil, the Directorate General): pimpinan without an office."""
    return user.office_id is None and user.has_role(Role.LEADERSHIP)


def report_access_allowed(*, user: User) -> bool:
    """Leadership, the head of office and admins read their office's reports; leadership of a province or of the
    Directorate General reads their region's offices; a superuser without an office reads every office."""
    if not user.is_authenticated:
        return False
    if user.is_superuser and user.office_id is None:
        return True
    if _is_cross_office(user):
        return user.report_national or user.report_region_id is not None
    return bool(user.office_id) and user.has_role(*REPORT_ROLES)


def report_offices_for(*, user: User) -> QuerySet[Office]:
    """The offices whose figures the user may see: their own (the console's rule); for leadership without an office,
    those whose regency lies in their region, or every office nationally; every one for a superuser."""
    if not report_access_allowed(user=user):
        raise PermissionDenied(_("Laporan hanya untuk pimpinan, kepala dinas dan admin."))
    if (user.is_superuser and user.office_id is None) or (_is_cross_office(user) and user.report_national):
        return Office.objects.order_by("code")
    if _is_cross_office(user):
        region = user.report_region_id
        return Office.objects.filter(Q(regency_id=region) | Q(regency__code__startswith=f"{region}.")).order_by("code")
    return Office.objects.filter(pk=user.office_id)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _period_spans(*, date_from: date, date_to: date, by_day: bool) -> list[tuple[str, date, date]]:
    """(grain, first, last) spans covering [date_from, date_to] exactly once: the month rows of the months it holds
    whole (`day` is their 1st), the day rows of the days before and after them; empty spans are left out."""
    first = date_from if date_from.day == 1 else _month_end(date_from) + timedelta(days=1)
    last = _month_end(date_to) if _month_end(date_to) == date_to else date_to.replace(day=1) - timedelta(days=1)
    if by_day or first > last:
        return [(Grain.DAY.value, date_from, date_to)]
    spans = [(Grain.MONTH.value, first, last.replace(day=1))]
    if date_from < first:
        spans.insert(0, (Grain.DAY.value, date_from, first - timedelta(days=1)))
    if last < date_to:
        spans.append((Grain.DAY.value, last + timedelta(days=1), date_to))
    return spans


def period_filter(*, date_from: date, date_to: date, by_day: bool = False, within: Q | None = None) -> Q:
    """The aggregate rows covering [date_from, date_to] exactly once (see _period_spans). `within` (the offices…) is
    repeated inside every span: SQLite reads each span through the (office, grain, day) index only when each
    alternative names the office itself, otherwise it walks every row of the office."""
    found = Q()
    for grain, first, last in _period_spans(date_from=date_from, date_to=date_to, by_day=by_day):
        span = Q(grain=grain, day__gte=first, day__lte=last)
        found |= (within & span) if within is not None else span
    return found


def _summed(queryset: QuerySet, group: str, sums: tuple[str, ...]) -> list[dict]:
    """One dict per group with every column summed by the database (the annotations renamed back)."""
    found = queryset.values(group).annotate(**{f"t_{name}": Sum(name) for name in sums}).order_by()
    return [{"group": row[group], **{name: row[f"t_{name}"] or 0 for name in sums}} for row in found]


def period_sql(
    *, date_from: date, date_to: date, by_day: bool, within: str = "1 = 1", params: list | tuple = ()
) -> tuple[str, list]:
    """period_filter as SQL, with the condition `within` (and its params) repeated inside every span."""
    day = connection.ops.adapt_datefield_value
    spans = _period_spans(date_from=date_from, date_to=date_to, by_day=by_day)
    sql = " OR ".join(f"({within} AND grain = %s AND day >= %s AND day <= %s)" for _ in spans)
    arguments = [value for grain, first, last in spans for value in (*params, grain, day(first), day(last))]
    return f"({sql})", arguments


def _sums_read(
    *, model, offices: list[Office], where: str, params: list, group: str, sums: tuple[str, ...], period: dict
) -> tuple[list[dict], dict]:
    """Every column summed per group by the database in one statement, and the total: the sum of the groups (they
    partition the rows read), added up here rather than read a second time. `group` is one column or several
    ("key, district"), then each row's "group" is the tuple of them.

    Written as SQL: the ORM would compile some three hundred Sum() expressions on every call, which costs more than
    the sums themselves. The column names are this module's own constants."""
    if not offices:
        return [], {}
    table = model._meta.db_table
    # Summed to integers by the database (PostgreSQL sums bigint columns as numeric): no conversion per value here.
    as_integer = "CAST(COALESCE(SUM({}), 0) AS BIGINT)" if connection.vendor == "postgresql" else "COALESCE(SUM({}), 0)"
    columns = ", ".join(as_integer.format(name) for name in sums)
    within = f"office_id IN ({', '.join('%s' for _ in offices)}) AND {where}"
    condition, arguments = period_sql(**period, within=within, params=[o.pk for o in offices] + params)
    width = group.count(",") + 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {group}, {columns} FROM {table} WHERE {condition} GROUP BY {group}", arguments)  # noqa: S608
        found_rows = cursor.fetchall()
    found = [
        {"group": row[0] if width == 1 else tuple(row[:width]), **dict(zip(sums, row[width:], strict=True))}
        for row in found_rows
    ]
    summed = [sum(column) for column in zip(*(row[width:] for row in found_rows), strict=True)] if found_rows else []
    return found, dict(zip(sums, summed or [0] * len(sums), strict=True))


@dataclass
class ReportRow:
    key: str
    label: str
    # Summed counters and duration bins (count and seconds per bin).
    values: dict[str, int] = field(default_factory=dict)
    work: dict[str, int] = field(default_factory=dict)

    def add(self, values: dict[str, int]) -> None:
        for name, value in values.items():
            if name != "group":
                self.values[name] = self.values.get(name, 0) + value

    def _rate(self, part: str) -> float | None:
        received = self.values.get("received", 0)
        return round(self.values.get(part, 0) / received, 4) if received else None

    def as_dict(self) -> dict:
        out: dict = {"key": self.key, "label": self.label, **{n: self.values.get(n, 0) for n in COUNTERS}}
        out["online_share"] = self._rate("online")
        out["same_day_rate"] = self._rate("same_day")
        out["return_rate"] = self._rate("returned")
        for name in DURATIONS:
            # A measure not read (report_summary's `measures`) has no bins to walk.
            read = count_column(name, 0) in self.values
            count, median, p90 = binned_summary(self.values, name) if read else (0, None, None)
            out[f"{name}_median_minutes"] = None if median is None else round(median, 1)
            out[f"{name}_p90_minutes"] = None if p90 is None else round(p90, 1)
            out[f"{name}_count"] = count
        if self.work:
            out.update(self.work)
        return out


def _checked(*, group_by: str, date_from: date, date_to: date) -> None:
    if group_by not in GROUP_BYS:
        raise ReportError(_("Pengelompokan tidak dikenal: %(value)s.") % {"value": group_by})
    if date_to < date_from:
        raise ReportError(_("Tanggal akhir sebelum tanggal awal."))


def report_summary(
    *,
    user: User,
    date_from: date,
    date_to: date,
    group_by: str,
    durations: bool = True,
    measures: tuple[str, ...] = DURATIONS,
) -> dict:
    """The report table: one row per group and a total row, for the offices the user may see.

    Read from the aggregates by the application's submission day (the officer grouping: by the day the work was
    done). Durations are wall-clock minutes: review = each completeness review (submission or resubmission →
    decision), SIAK input → signed = first "selesai input SIAK" to first signature, submission → ready = submission to
    first signature; medians and p90s (nearest rank) come from one-minute bins below half an hour, wider above.
    durations=False reads the counts only (a trend line needs no medians); `measures` reads the bins of those
    durations only (a table showing the review median needs a third of the columns), the others come out empty.
    """
    _checked(group_by=group_by, date_from=date_from, date_to=date_to)
    if group_by != "officer":
        return report_summaries(
            user=user, date_from=date_from, date_to=date_to, group_bys=(group_by,), durations=durations,
            measures=measures,
        )[group_by]  # fmt: skip
    offices = list(report_offices_for(user=user))
    period = {"date_from": date_from, "date_to": date_to, "by_day": False}
    found, summed = _sums_read(
        model=OfficerStat, offices=offices, where="1 = 1", params=[], group="actor_id", sums=OFFICER_SUMS,
        period=period,
    )  # fmt: skip
    people = {u.pk: u for u in User.objects.filter(pk__in=[row["group"] for row in found])}
    rows: dict[str, ReportRow] = {}
    for row in found:
        person = people[row["group"]]
        label = person.get_full_name() or person.username
        rows.setdefault(person.username, ReportRow(key=person.username, label=label)).add(row)
    total = ReportRow(key="", label=_("Jumlah"), values=summed)
    for target in [*rows.values(), total]:
        target.work = {name: target.values.get(name, 0) for name in OFFICER_COUNTERS}
    return _summary_out(group_by=group_by, offices=offices, rows=rows, total=total, date_from=date_from,
                        date_to=date_to)  # fmt: skip


def report_summaries(
    *,
    user: User,
    date_from: date,
    date_to: date,
    group_bys: tuple[str, ...],
    durations: bool = True,
    measures: tuple[str, ...] = DURATIONS,
) -> dict[str, dict]:
    """Several report tables read from the same aggregate rows in one grouped statement: village and district (the
    village rows carry their district), channel and office (the channel rows), each as report_summary gives it."""
    for group_by in group_bys:
        _checked(group_by=group_by, date_from=date_from, date_to=date_to)
    dimensions = {SOURCES[g][0] for g in group_bys if g != "officer"}
    if len(dimensions) != 1 or len(group_bys) != 1 and ("day" in group_bys or "officer" in group_bys):
        raise ReportError(_("Pengelompokan ini tidak dapat dibaca bersama."))
    offices = list(report_offices_for(user=user))
    columns = list(dict.fromkeys(SOURCES[g][1] for g in group_bys))
    found, summed = _sums_read(
        model=DailyStat, offices=offices, where="dimension = %s", params=[dimensions.pop()], group=", ".join(columns),
        sums=(STAT_SUMS if measures == DURATIONS else _stat_sums(measures)) if durations else STAT_COUNTERS,
        period={"date_from": date_from, "date_to": date_to, "by_day": group_bys == ("day",)},
    )  # fmt: skip
    out = {}
    for group_by in group_bys:
        at = columns.index(SOURCES[group_by][1])
        values = [row["group"] if len(columns) == 1 else row["group"][at] for row in found]
        labels = _labels(group_by=group_by, offices=offices, values=values)
        rows: dict[str, ReportRow] = {}
        for value, row in zip(values, found, strict=True):
            key, label = labels(value)
            if key in rows:
                rows[key].add(row)
            else:
                rows[key] = ReportRow(key=key, label=label, values={**row})
        total = ReportRow(key="", label=_("Jumlah"), values=summed)
        out[group_by] = _summary_out(group_by=group_by, offices=offices, rows=rows, total=total,
                                     date_from=date_from, date_to=date_to)  # fmt: skip
    return out


def _summary_out(
    *, group_by: str, offices: list[Office], rows: dict[str, ReportRow], total: ReportRow, date_from: date,
    date_to: date,
) -> dict:  # fmt: skip
    if group_by in ("day", "month"):
        ordered = sorted(rows.values(), key=lambda r: r.key)
    else:
        ordered = sorted(rows.values(), key=lambda r: (-r.values.get("received", 0), r.label))
    return {
        "group_by": group_by,
        "group_label": str(GROUP_LABELS[group_by]),
        "date_from": date_from,
        "date_to": date_to,
        "offices": [o.code for o in offices],
        "rows": [r.as_dict() for r in ordered],
        "total": total.as_dict(),
    }


def _stat_sums(measures: tuple[str, ...]) -> tuple[str, ...]:
    return (*STAT_COUNTERS, *histogram_columns(tuple(m for m in DURATIONS if m in measures)))


def _labels(*, group_by: str, offices: list[Office], values: list):
    """(key, label) of a group value, with the names read once."""
    if group_by == "channel":
        return lambda value: (value, str(Channel(value).label) if value in Channel.values else value)
    if group_by == "service":
        services = {str(pk): (code, name) for pk, code, name in Service.objects.values_list("pk", "code", "name")}
        return lambda value: services.get(value, (value, value))
    if group_by in ("village", "district"):
        names = dict(Region.objects.filter(pk__in=[v for v in values if v]).values_list("pk", "name"))
        empty = _("Tanpa desa") if group_by == "village" else _("Tanpa kecamatan")
        return lambda value: (value, names.get(value, value)) if value else ("", empty)
    if group_by == "office":
        names = {o.pk: (o.code, o.name) for o in offices}
        return lambda value: names[value]
    if group_by == "month":
        return lambda value: (str(value)[:7], str(value)[:7])
    return lambda value: (str(value)[:10], str(value)[:10])


def return_reasons_read(*, offices: list[Office], date_from: date, date_to: date, limit: int = 10) -> list[dict]:
    """Where citizens go wrong: the requirements (and verdicts) most often found lacking in the period."""
    found = (
        ReturnReasonStat.objects.filter(
            period_filter(date_from=date_from, date_to=date_to, within=Q(office__in=offices))
        )
        .values("requirement_id", "verdict")
        .annotate(total=Sum("count"))
        .order_by()
    )
    counts: dict[tuple[int, str], int] = {(r["requirement_id"], r["verdict"]): r["total"] for r in found}
    names = {
        pk: (service, name)
        for pk, service, name in Requirement.objects.filter(pk__in={k[0] for k in counts}).values_list(
            "pk", "service__name", "name"
        )
    }
    merged: dict[tuple[str, str, str], int] = {}
    for (requirement, verdict), count in counts.items():
        service, name = names[requirement]
        merged[(service, name, verdict)] = merged.get((service, name, verdict), 0) + count
    ordered = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        {"service": s, "requirement": r, "verdict": str(ReviewItem.Verdict(v).label), "count": n}
        for (s, r, v), n in ordered
    ]


def timeliness_read(*, offices: list[Office], date_from: date, date_to: date) -> list[dict]:
    """Per service with a legal deadline (births 60 days, deaths 30…): the share registered within it, over the
    applications submitted in the period that carry the event's date."""
    within = Q(office__in=offices, dimension=Dimension.SERVICE, deadline_total__gt=0)
    stats = DailyStat.objects.filter(period_filter(date_from=date_from, date_to=date_to, within=within))
    found = _summed(stats, "key", ("deadline_total", "deadline_in_time"))
    services = {
        str(pk): (name, days)
        for pk, name, days in Service.objects.filter(pk__in=[r["group"] for r in found]).values_list(
            "pk", "name", "legal_deadline_days"
        )
    }
    out = []
    for row in found:
        name, days = services[row["group"]]
        total, in_time = row["deadline_total"], row["deadline_in_time"]
        out.append(
            {"service": name, "days": days, "total": total, "in_time": in_time, "share": round(in_time / total, 4)}
        )
    return sorted(out, key=lambda r: r["service"])
