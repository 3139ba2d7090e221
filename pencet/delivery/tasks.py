from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task(retries=0)
def delivery_email_send_task(delivery_id: int) -> None:
    # No automatic retry: a failure is recorded on the Delivery and staff send again from the console.
    services.delivery_email_send(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliveries_whatsapp_sync_task() -> None:
    services.deliveries_whatsapp_sync()
