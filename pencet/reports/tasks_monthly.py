"""The monthly report's periodic task (registered through pencet.reports.tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .monthly import monthly_reports_send_due


@db_periodic_task(crontab(minute="5"))
def reports_monthly_task() -> None:
    """Hourly: the previous month's PDF to the heads of office, once, from 07:00 on the 1st (office time)."""
    monthly_reports_send_due()
