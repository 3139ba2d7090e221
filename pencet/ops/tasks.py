from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def ops_heartbeat() -> None:
    """Every consumer that takes this task proves the queue is read; `pencet doctor` and /metrics look at it."""
    services.heartbeat_record()


@db_periodic_task(crontab(hour="2", minute="30"))
def ops_photos_purge() -> None:
    """Nightly retention of citizens' document photos (UU PDP), office by office."""
    from pencet.accounts.models import Office

    for office in Office.objects.all():
        services.photos_purge(office=office)
