from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services

# services.delivery_email_send_task (defined beside delivery_email_send) is registered by the import above.


@db_periodic_task(crontab(minute="*"))
def deliveries_whatsapp_sync_task() -> None:
    services.deliveries_whatsapp_sync()
