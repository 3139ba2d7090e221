from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import events


@db_periodic_task(crontab(minute="*"))
def events_sweep_task() -> None:
    # The dispatch and retry tasks live in pencet.cases.events; importing it here registers them with the consumer.
    events.events_sweep()
