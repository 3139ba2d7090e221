"""Report reads: counts and durations from the daily aggregates; per officer from the events of the period."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Channel, Event, EventKind
from pencet.cases.models_clocks import StageTimer
from pencet.catalog.models import Service, Stage
from pencet.regions.models import Region

from .models import DailyStat
from .services import office_day_bounds

GROUP_BYS = ("channel", "service", "district", "village", "officer", "day", "month")
GROUP_LABELS = {
    "channel": gettext_lazy("Kanal"),
    "service": gettext_lazy("Layanan"),
    "district": gettext_lazy("Kecamatan"),
    "village": gettext_lazy("Desa/Kelurahan"),
    "officer": gettext_lazy("Petugas"),
    "day": gettext_lazy("Tanggal"),
    "month": gettext_lazy("Bulan"),
}
# Online = the citizen did not have to come: WhatsApp on their own, or through their village office.
ONLINE_CHANNELS = (Channel.WHATSAPP, Channel.VILLAGE_STAFF)
REPORT_ROLES = (Role.LEADERSHIP, Role.SIGNER, Role.ADMIN)
COUNTERS = ("received", "online", "ready", "same_day", "completed", "returned", "rejected", "priority")
DURATIONS = ("review", "siak_to_signed", "submission_to_ready")
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


class ReportError(ValueError):
    pass


def report_access_allowed(*, user: User) -> bool:
    """Leadership, the head of office and admins read reports; a superuser without an office reads every office."""
    if not user.is_authenticated:
        return False
    if user.is_superuser and user.office_id is None:
        return True
    return bool(user.office_id) and user.has_role(*REPORT_ROLES)


def report_offices_for(*, user: User) -> QuerySet[Office]:
    """The offices whose figures the user may see: their own (the console's rule), every one for a superuser."""
    if not report_access_allowed(user=user):
        raise PermissionDenied(_("Laporan hanya untuk pimpinan, kepala dinas dan admin."))
    if user.is_superuser and user.office_id is None:
        return Office.objects.all()
    return Office.objects.filter(pk=user.office_id)


def _value_at_rank(ordered: list[tuple[float, int]], rank: int) -> float:
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    return ordered[-1][0]


def histogram_median(histogram: dict[float, int]) -> float | None:
    """The median of {value: count}: the middle value, or the mean of the two middle ones; None when empty."""
    ordered = sorted((v, c) for v, c in histogram.items() if c)
    n = sum(c for _v, c in ordered)
    if not n:
        return None
    if n % 2:
        return _value_at_rank(ordered, (n + 1) // 2)
    return (_value_at_rank(ordered, n // 2) + _value_at_rank(ordered, n // 2 + 1)) / 2


def histogram_percentile(histogram: dict[float, int], fraction: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest); None when empty."""
    ordered = sorted((v, c) for v, c in histogram.items() if c)
    n = sum(c for _v, c in ordered)
    if not n:
        return None
    return _value_at_rank(ordered, max(1, math.ceil(fraction * n)))


@dataclass
class ReportRow:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    # {minutes: how many} per duration, merged from the daily aggregates.
    samples: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in DURATIONS})
    work: dict[str, int] = field(default_factory=dict)

    def _rate(self, part: str) -> float | None:
        received = self.counts["received"]
        return round(self.counts[part] / received, 4) if received else None

    def as_dict(self) -> dict:
        out: dict = {"key": self.key, "label": self.label, **self.counts}
        out["online_share"] = self._rate("online")
        out["same_day_rate"] = self._rate("same_day")
        out["return_rate"] = self._rate("returned")
        for name, histogram in self.samples.items():
            median = histogram_median(histogram)
            p90 = histogram_percentile(histogram, 0.9)
            out[f"{name}_median_minutes"] = None if median is None else round(median, 1)
            out[f"{name}_p90_minutes"] = None if p90 is None else round(p90, 1)
            out[f"{name}_count"] = sum(histogram.values())
        if self.work:
            out.update(self.work)
        return out


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def report_summary(*, user: User, date_from: date, date_to: date, group_by: str) -> dict:
    """The report table: one row per group and a total row, for the offices the user may see.

    Everything but the officer grouping is read from DailyStat. Durations are wall-clock minutes: review = each
    completeness review (submission or resubmission → decision), SIAK input → signed = first "selesai input SIAK" to
    first signature, submission → ready = submission to first signature. The officer grouping reads the period's
    events and review stage timers (per person, by the day the work was done).
    """
    if group_by not in GROUP_BYS:
        raise ReportError(_("Pengelompokan tidak dikenal: %(value)s.") % {"value": group_by})
    if date_to < date_from:
        raise ReportError(_("Tanggal akhir sebelum tanggal awal."))
    offices = list(report_offices_for(user=user))
    rows: dict[str, ReportRow] = {}
    total = ReportRow(key="", label=_("Jumlah"))

    def row_for(key: str, label: str) -> ReportRow:
        if key not in rows:
            rows[key] = ReportRow(key=key, label=label)
        return rows[key]

    if group_by == "officer":
        _officer_rows(offices=offices, date_from=date_from, date_to=date_to, rows=rows, row_for=row_for, total=total)
    else:
        _aggregate_rows(offices=offices, date_from=date_from, date_to=date_to, group_by=group_by, row_for=row_for,
                        total=total)  # fmt: skip
    if group_by in ("day", "month"):
        ordered = sorted(rows.values(), key=lambda r: r.key)
    else:
        ordered = sorted(rows.values(), key=lambda r: (-r.counts["received"], r.label))
    return {
        "group_by": group_by,
        "group_label": str(GROUP_LABELS[group_by]),
        "date_from": date_from,
        "date_to": date_to,
        "offices": [o.code for o in offices],
        "rows": [r.as_dict() for r in ordered],
        "total": total.as_dict(),
    }


STAT_COUNTERS = ("received", "ready", "same_day", "completed", "returned", "rejected", "priority")


def _aggregate_rows(*, offices, date_from, date_to, group_by, row_for, total) -> None:
    """Sum the aggregates into the rows. Plain tuples and label maps read once: a model per row would cost more than
    the sums themselves at a year's volume."""
    stats = DailyStat.objects.filter(office__in=offices, day__gte=date_from, day__lte=date_to)
    services = {pk: (code, name) for pk, code, name in Service.objects.values_list("pk", "code", "name")}
    villages = {
        pk: (name, parent_id or "", parent_name or "")
        for pk, name, parent_id, parent_name in Region.objects.filter(
            pk__in=stats.values("village_id").distinct()
        ).values_list("pk", "name", "parent_id", "parent__name")
    }
    keys: dict[tuple, tuple[str, str]] = {}

    def key_of(channel: str, service_id: int, village_id: str | None, day: date) -> tuple[str, str]:
        if group_by == "channel":
            return channel, str(Channel(channel).label) if channel in Channel.values else channel
        if group_by == "service":
            return services[service_id]
        if group_by in ("village", "district"):
            if village_id is None or village_id not in villages:
                return ("", _("Tanpa desa")) if group_by == "village" else ("", _("Tanpa kecamatan"))
            name, parent_id, parent_name = villages[village_id]
            return (village_id, name) if group_by == "village" else (parent_id, parent_name)
        if group_by == "month":
            return day.strftime("%Y-%m"), day.strftime("%Y-%m")
        return day.isoformat(), day.isoformat()

    fields = ("channel", "service_id", "village_id", "day", *STAT_COUNTERS, *(f"{d}_minutes" for d in DURATIONS))
    for values in stats.values_list(*fields):
        channel, service_id, village_id, day = values[:4]
        counts = values[4 : 4 + len(STAT_COUNTERS)]
        histograms = values[4 + len(STAT_COUNTERS) :]
        group = (
            (channel, service_id, village_id, day)
            if group_by in ("day", "month")
            else (channel, service_id, village_id)
        )
        if group not in keys:
            keys[group] = key_of(channel, service_id, village_id, day)
        row = row_for(*keys[group])
        online = counts[0] if channel in ONLINE_CHANNELS else 0
        for target in (row, total):
            target.counts["online"] += online
            for name, count in zip(STAT_COUNTERS, counts, strict=True):
                target.counts[name] += count
            for name, histogram in zip(DURATIONS, histograms, strict=True):
                for minutes, count in histogram.items():
                    target.samples[name][float(minutes)] += count


def _officer_rows(*, offices, date_from, date_to, rows, row_for, total) -> None:
    """Per officer: the transitions they made in the period (by the office's dates), and their review times."""
    for office in offices:
        start, _end = office_day_bounds(office=office, day=date_from)
        _start, end = office_day_bounds(office=office, day=date_to)
        events = Event.objects.filter(
            application__office=office,
            created_at__gte=start,
            created_at__lt=end,
            kind__in=list(OFFICER_KINDS),
            actor__isnull=False,
        ).select_related("actor")
        for event in events:
            label = event.actor.get_full_name() or event.actor.username
            for target in (row_for(event.actor.username, label), total):
                name = OFFICER_KINDS[event.kind]
                target.work[name] = target.work.get(name, 0) + 1
        timers = StageTimer.objects.filter(
            application__office=office,
            stage=Stage.REVIEW,
            ended_at__gte=start,
            ended_at__lt=end,
            ended_event__actor__isnull=False,
        ).select_related("ended_event__actor")
        for timer in timers:
            actor = timer.ended_event.actor
            for target in (row_for(actor.username, actor.get_full_name() or actor.username), total):
                target.samples["review"][round(_minutes(timer.started_at, timer.ended_at), 1)] += 1
    for target in [*rows.values(), total]:
        for name in set(OFFICER_KINDS.values()):
            target.work.setdefault(name, 0)
