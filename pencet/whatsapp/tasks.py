"""Periodic jobs of the channel. The queued tasks live beside the functions they run (webhook.webhook_process_task,
outbox.outbox_send_task), so nothing in the channel imports this module."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .outbox import outbox_sweep
from .webhook import webhook_sweep


@db_periodic_task(crontab(minute="*"))
def whatsapp_sweep() -> None:
    """Safety net for lost tasks: unprocessed deliveries and due outbound messages."""
    webhook_sweep()
    outbox_sweep()
