from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .complaints import complaints_escalate


@db_periodic_task(crontab(minute="*/15"))
def complaints_escalate_task() -> None:
    """Every quarter hour: complaints unanswered past their target go to the head of office."""
    complaints_escalate()
