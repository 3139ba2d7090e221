"""Periodic jobs of the channel. The queued tasks live beside the functions they run (webhook.webhook_process_task,
webhook.webhook_sweep_tick, outbox.outbox_send_task), so nothing in the channel imports this module."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .outbox import outbox_sweep
from .poller import webhook_poller_start
from .webhook import webhook_sweep, webhook_sweep_tick_ensure


@db_periodic_task(crontab(minute="*"))
def whatsapp_sweep() -> None:
    """Safety net for lost tasks: unprocessed deliveries and due outbound messages. Huey's scheduler also runs it
    as soon as the consumer starts, which (re)starts the webhook sweep's few-second tick."""
    webhook_sweep_tick_ensure()
    webhook_sweep()
    outbox_sweep()


@HUEY.on_startup()
def webhook_poller() -> None:
    """The wake-up for new webhook deliveries: this consumer's poller thread (one per host, poller.py)."""
    webhook_poller_start()
