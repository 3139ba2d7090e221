"""The dashboard's sections beyond the aggregates: coverage, impact, complaints and SLA compliance per stage.

One call for the dashboard (pencet.reports.dashboard) and the monthly PDF, over the offices the viewer may see
(report_offices_for), for the chosen period and the one before it.
"""

from datetime import datetime

from pencet.accounts.models import Office

from .complaint_stats import complaint_figures
from .coverage import coverage_report
from .impact import impact_report
from .sla import sla_compliance, sla_overdue_now


def report_sections(*, offices: list[Office], period, now: datetime | None = None) -> dict:
    """`period` is a pencet.reports.dashboard.Period (date_from/date_to and previous_from/previous_to)."""
    current = {"date_from": period.date_from, "date_to": period.date_to}
    previous = {"date_from": period.previous_from, "date_to": period.previous_to}
    return {
        "coverage": coverage_report(offices=offices),
        "impact": impact_report(offices=offices, **current),
        "impact_previous": impact_report(offices=offices, **previous)["total"],
        "complaints": complaint_figures(offices=offices, now=now, **current),
        "complaints_previous": complaint_figures(offices=offices, now=now, **previous),
        "sla": sla_compliance(offices=offices, **current),
        "sla_overdue": sla_overdue_now(offices=offices, now=now),
    }
