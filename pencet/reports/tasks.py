"""Periodic rebuild of the recent aggregates (the subscriber keeps them live; this catches anything lost)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import daily_stats_rebuild_recent


@db_periodic_task(crontab(minute="*/30"))
def reports_daily_stats_task() -> None:
    """Every half hour: yesterday and today of every office, every aggregate, recomputed from source."""
    daily_stats_rebuild_recent()


from . import tasks_sections  # noqa: E402, F401  (registers the monthly report's task with the consumer)
