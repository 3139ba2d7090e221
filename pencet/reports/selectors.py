"""Report reads: counts from the daily aggregates, durations from the stage timers and events of the period."""

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Application, Channel, Event, EventKind
from pencet.cases.models_clocks import StageTimer
from pencet.catalog.models import Stage

from .models import DailyStat
from .services import office_day_bounds, office_local_date

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


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class ReportRow:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    samples: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in DURATIONS})
    work: dict[str, int] = field(default_factory=dict)

    def _rate(self, part: str) -> float | None:
        received = self.counts["received"]
        return round(self.counts[part] / received, 4) if received else None

    def as_dict(self) -> dict:
        out: dict = {"key": self.key, "label": self.label, **self.counts}
        out["online_share"] = self._rate("online")
        out["same_day_rate"] = self._rate("same_day")
        out["return_rate"] = self._rate("returned")
        for name, values in self.samples.items():
            median = statistics.median(values) if values else None
            p90 = percentile(values, 0.9)
            out[f"{name}_median_minutes"] = None if median is None else round(median, 1)
            out[f"{name}_p90_minutes"] = None if p90 is None else round(p90, 1)
            out[f"{name}_count"] = len(values)
        if self.work:
            out.update(self.work)
        return out


def _stat_key(stat: DailyStat, group_by: str) -> tuple[str, str]:
    if group_by == "channel":
        return stat.channel, str(Channel(stat.channel).label) if stat.channel in Channel.values else stat.channel
    if group_by == "service":
        return stat.service.code, stat.service.name
    if group_by == "village":
        return (stat.village_id, stat.village.name) if stat.village else ("", _("Tanpa desa"))
    if group_by == "district":
        district = stat.village.parent if stat.village else None
        return (district.code, district.name) if district else ("", _("Tanpa kecamatan"))
    if group_by == "month":
        return stat.day.strftime("%Y-%m"), stat.day.strftime("%Y-%m")
    return stat.day.isoformat(), stat.day.isoformat()


def _application_key(application: Application, group_by: str, office: Office) -> tuple[str, str]:
    # The same keys as _stat_key, read from the application (the day is the office's date of submission).
    stat = DailyStat(
        channel=application.channel,
        service=application.service,
        village=application.village,
        day=office_local_date(office=office, moment=application.submitted_at),
    )
    return _stat_key(stat, group_by)


def _period_applications(*, offices: Iterable[Office], date_from: date, date_to: date) -> list[Application]:
    found: list[Application] = []
    for office in offices:
        start, _end = office_day_bounds(office=office, day=date_from)
        _start, end = office_day_bounds(office=office, day=date_to)
        found += list(
            Application.objects.filter(office=office, submitted_at__gte=start, submitted_at__lt=end)
            .select_related("service", "village__parent", "office")
            .annotate(
                siak_done_at=Min("events__created_at", filter=Q(events__kind=EventKind.COMPLETE_SIAK)),
                signed_at=Min("events__created_at", filter=Q(events__kind=EventKind.SIGN)),
            )
        )
    return found


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def report_summary(*, user: User, date_from: date, date_to: date, group_by: str) -> dict:
    """The report table: one row per group and a total row, for the offices the user may see.

    Counts come from DailyStat. Durations are wall-clock minutes: review = each ended completeness-review stage
    timer, SIAK input → signed = first "selesai input SIAK" to first signature, submission → ready = submission to
    first signature.
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
        stats = DailyStat.objects.filter(office__in=offices, day__gte=date_from, day__lte=date_to).select_related(
            "service", "village__parent"
        )
        for stat in stats:
            row = row_for(*_stat_key(stat, group_by))
            for target in (row, total):
                for name in COUNTERS:
                    if name == "online":
                        target.counts["online"] += stat.received if stat.channel in ONLINE_CHANNELS else 0
                    else:
                        target.counts[name] += getattr(stat, name)
        _duration_samples(
            offices=offices, date_from=date_from, date_to=date_to, group_by=group_by, row_for=row_for, total=total
        )
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


def _duration_samples(*, offices, date_from, date_to, group_by, row_for, total) -> None:
    applications = _period_applications(offices=offices, date_from=date_from, date_to=date_to)
    by_id = {}
    for application in applications:
        row = row_for(*_application_key(application, group_by, application.office))
        by_id[application.pk] = row
        if application.signed_at:
            for target in (row, total):
                target.samples["submission_to_ready"].append(_minutes(application.submitted_at, application.signed_at))
                if application.siak_done_at:
                    target.samples["siak_to_signed"].append(_minutes(application.siak_done_at, application.signed_at))
    reviews = StageTimer.objects.filter(
        application_id__in=list(by_id), stage=Stage.REVIEW, ended_at__isnull=False
    ).values_list("application_id", "started_at", "ended_at")
    for application_id, started_at, ended_at in reviews:
        for target in (by_id[application_id], total):
            target.samples["review"].append(_minutes(started_at, ended_at))


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
                target.samples["review"].append(_minutes(timer.started_at, timer.ended_at))
    for target in [*rows.values(), total]:
        for name in set(OFFICER_KINDS.values()):
            target.work.setdefault(name, 0)
