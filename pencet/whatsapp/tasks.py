from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services
from .models import WebhookDelivery


@db_task(retries=0)
def outbox_send(message_id: int) -> None:
    """Send a queued outbound message (and the contact's earlier ones, in order); retries are scheduled by the
    service itself with backoff."""
    services.outbox_send(message_id=message_id)


@db_task(retries=5, retry_delay=30, retry_backoff=2)
def webhook_process(delivery_id: int) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is not None:
        services.webhook_delivery_process(delivery=delivery)


@db_periodic_task(crontab(minute="*"))
def whatsapp_sweep() -> None:
    """Safety net for lost tasks: unprocessed deliveries and due outbound messages."""
    services.webhook_sweep()
    services.outbox_sweep()
