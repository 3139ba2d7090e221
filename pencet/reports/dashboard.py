"""The leadership dashboard's reads: a period and the one before it, returns by requirement, IKM."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from pencet.accounts.models import Office, User
from pencet.surveys.selectors import ikm_headline

from .histograms import DURATIONS
from .sections import report_sections
from .selectors import report_offices_for, report_summaries, report_summary, return_reasons_read, timeliness_read

PERIOD_KINDS = {
    "day": _("Hari"),
    "week": _("Minggu"),
    "month": _("Bulan"),
    "year": _("Tahun"),
}
# The seed's own figures: the completeness check in 5–15 minutes, the document about 15 minutes after SIAK input.
REVIEW_TARGET_MINUTES = (5, 15)
# The tables show the review median only: the other durations' bins are not read for them.
TABLE_MEASURES = ("review",)
SIAK_TO_SIGNED_TARGET_MINUTES = 15


@dataclass(frozen=True)
class Period:
    kind: str
    date_from: date
    date_to: date
    previous_from: date
    previous_to: date


def period_for(*, kind: str, on: date) -> Period:
    """The day, ISO week (Monday first), month or year holding `on`, and the same span just before it."""
    if kind == "day":
        start = end = on
        previous_from = previous_to = on - timedelta(days=1)
    elif kind == "week":
        start = on - timedelta(days=on.isoweekday() - 1)
        end = start + timedelta(days=6)
        previous_from, previous_to = start - timedelta(days=7), start - timedelta(days=1)
    elif kind == "month":
        start = on.replace(day=1)
        end = on.replace(day=calendar.monthrange(on.year, on.month)[1])
        previous_to = start - timedelta(days=1)
        previous_from = previous_to.replace(day=1)
    else:
        start, end = date(on.year, 1, 1), date(on.year, 12, 31)
        previous_from, previous_to = date(on.year - 1, 1, 1), date(on.year - 1, 12, 31)
    return Period(kind=kind, date_from=start, date_to=end, previous_from=previous_from, previous_to=previous_to)


def return_reasons_top(*, offices: list[Office], date_from: date, date_to: date, limit: int = 10) -> list[dict]:
    """Where citizens go wrong: the requirements (and verdicts) most often found lacking in the period."""
    return return_reasons_read(offices=offices, date_from=date_from, date_to=date_to, limit=limit)


def timeliness(*, offices: list[Office], date_from: date, date_to: date) -> list[dict]:
    """Per service with a legal deadline (births 60 days, deaths 30…): the share registered within it."""
    return timeliness_read(offices=offices, date_from=date_from, date_to=date_to)


def trend_points(*, trend: dict, period: Period) -> list[tuple[str, int]]:
    """Received per day (per month for a year) over the whole period, zero where nothing arrived."""
    received = {row["key"]: row["received"] for row in trend["rows"]}
    if period.kind == "year":
        keys = [f"{period.date_from.year}-{month:02d}" for month in range(1, 13)]
    else:
        days = (period.date_to - period.date_from).days + 1
        keys = [(period.date_from + timedelta(days=n)).isoformat() for n in range(days)]
    return [(key, received.get(key, 0)) for key in keys]


def _change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return round(current - previous, 4)


def report_dashboard(*, user: User, kind: str, on: date) -> dict:
    """Everything the /laporan/ page shows for one period, with the previous period's totals beside it."""
    offices = list(report_offices_for(user=user))
    period = period_for(kind=kind if kind in PERIOD_KINDS else "month", on=on)

    def summary(group_by: str, previous: bool = False, durations: bool = True, measures=TABLE_MEASURES) -> dict:
        start, end = (period.previous_from, period.previous_to) if previous else (period.date_from, period.date_to)
        return report_summary(
            user=user, date_from=start, date_to=end, group_by=group_by, durations=durations, measures=measures
        )

    span = {"user": user, "date_from": period.date_from, "date_to": period.date_to}
    # The turnaround table shows every duration of the total; a province's per-office table is read with it (both
    # from the channel rows), the district table with the village table (the village rows carry their district).
    several = len(offices) > 1
    tables = report_summaries(**span, group_bys=("channel", "office") if several else ("channel",), measures=DURATIONS)
    tables |= report_summaries(**span, group_bys=("village", "district"), measures=TABLE_MEASURES)
    channel = tables["channel"]
    previous = summary("channel", previous=True, measures=DURATIONS)["total"]  # the monthly PDF compares them all
    total = channel["total"]
    trend_by = "month" if period.kind == "year" else "day"
    ikm = None
    if len(offices) == 1:
        ikm = ikm_headline(office=offices[0], date_from=period.date_from, date_to=period.date_to)
    return {
        "period": period,
        "offices": offices,
        "total": total,
        "previous": previous,
        "changes": {
            name: _change(total.get(name), previous.get(name))
            for name in ("received", "online_share", "same_day_rate", "return_rate", "review_median_minutes")
        },
        "channel": channel,
        "service": summary("service"),
        "district": tables["district"],
        "village": tables["village"],
        "officer": summary("officer"),
        # Leadership of several offices (a province, the Directorate General): every office side by side.
        "office": tables["office"] if several else None,
        "trend": summary(trend_by, durations=False),
        "return_reasons": return_reasons_top(offices=offices, date_from=period.date_from, date_to=period.date_to),
        "ikm": ikm,
        "timeliness": timeliness(offices=offices, date_from=period.date_from, date_to=period.date_to),
        "review_target": REVIEW_TARGET_MINUTES,
        "siak_target": SIAK_TO_SIGNED_TARGET_MINUTES,
        **report_sections(offices=offices, period=period),
    }
