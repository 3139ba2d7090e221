"""Periodic clock jobs (imported by CasesConfig.ready so the consumer registers them)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .clocks_alerts import digests_send_due, overdue_alerts_raise


@db_periodic_task(crontab(minute="*"))
def clocks_overdue_alerts_task() -> None:
    """Every minute: stages past their target alert their on-duty staff, far past it the head of office."""
    overdue_alerts_raise()


@db_periodic_task(crontab(minute="*/5"))
def clocks_digest_task() -> None:
    """At each office's opening (checked every five minutes): the head of office's morning digest."""
    digests_send_due()
