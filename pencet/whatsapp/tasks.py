"""Periodic jobs of the channel. The queued tasks live beside the functions they run (webhook.webhook_process_task,
webhook.webhook_sweep_tick, outbox.outbox_send_task), so nothing in the channel imports this module."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from .outbox import outbox_sweep
from .poller import webhook_poller_start
from .templates_sync import TemplateSyncError, message_templates_sync
from .webhook import webhook_sweep, webhook_sweep_tick_ensure

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def whatsapp_sweep() -> None:
    """Safety net for lost tasks: unprocessed deliveries and due outbound messages. Huey's scheduler also runs it
    as soon as the consumer starts, which (re)starts the webhook sweep's few-second tick."""
    webhook_sweep_tick_ensure()
    webhook_sweep()
    outbox_sweep()


@db_periodic_task(crontab(minute="17"))
def message_templates_sync_hourly() -> None:
    """Meta's approval of the templates, hourly: a template Meta pauses or rejects stops announcements within the
    hour (pencet.whatsapp.templates_sync)."""
    if settings.WHATSAPP_BUSINESS_ACCOUNT_ID and settings.WHATSAPP_ACCESS_TOKEN:
        try:
            message_templates_sync()
        except TemplateSyncError:
            logger.warning("message template sync failed", exc_info=True)


@HUEY.on_startup()
def webhook_poller() -> None:
    """The wake-up for new webhook deliveries: this consumer's poller thread (one per host, poller.py)."""
    webhook_poller_start()
