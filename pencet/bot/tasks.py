from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import bot_drafts_expire


@db_periodic_task(crontab(minute="17"))
def bot_drafts_expire_task() -> None:
    """Hourly: drafts untouched for PENCET_DRAFT_EXPIRY_DAYS expire and the citizen is told."""
    bot_drafts_expire()
