from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import events
from .planner import planner_statistics_refresh


@db_periodic_task(crontab(minute="*"))
def events_sweep_task() -> None:
    # The dispatch and retry tasks live in pencet.cases.events; importing it here registers them with the consumer.
    events.events_sweep()


@db_periodic_task(crontab(minute="17"))
def planner_statistics_task() -> None:
    """Hourly: SQLite's planner statistics follow the data (a no-op on PostgreSQL)."""
    planner_statistics_refresh()
