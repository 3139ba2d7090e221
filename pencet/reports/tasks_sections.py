"""Periodic tasks of the dashboard's sections (registered through pencet.reports.tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .monthly import monthly_reports_send_due
from .section_stats import section_stats_rebuild_recent


@db_periodic_task(crontab(minute="5"))
def reports_monthly_task() -> None:
    """Hourly: the previous month's PDF to the heads of office, once, from 07:00 on the 1st (office time)."""
    monthly_reports_send_due()


@db_periodic_task(crontab(minute="*/30"))
def reports_section_stats_task() -> None:
    """Every half hour: yesterday's and today's closures and stage results of every office recomputed."""
    section_stats_rebuild_recent()
