import logging
from importlib import import_module

from django.conf import settings
from django.utils.module_loading import import_string
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from pencet.lib.heap import heap_settle

from . import services

logger = logging.getLogger(__name__)


@HUEY.on_startup()
def worker_warm() -> None:
    """Import what the settings name (the inbound handler, status listeners, event subscribers) when a consumer
    worker starts, not when the first citizen writes: a scripted citizen's first reply after a restart took 5-7 s
    on a busy machine, later ones 0.1-0.3 s. A name that does not import is logged at start, not at 08:00."""
    paths = [settings.WHATSAPP_INBOUND_HANDLER, *settings.WHATSAPP_STATUS_LISTENERS, *settings.PENCET_EVENT_SUBSCRIBERS]
    for path in paths:
        try:
            import_string(path)
        except ImportError:
            logger.exception("setting names %s, which does not import", path)
    # The libraries a web worker imports on first use only (pencet.lib.lazy: the memory of each worker), imported
    # here now: a citizen's first PDF (pikepdf) or a signed output checked in a task (pyHanko) would wait for them.
    for name in WORKER_LIBRARIES:
        try:
            import_module(name)
        except ImportError:
            logger.exception("library %s does not import", name)
    heap_settle()


WORKER_LIBRARIES = ("pikepdf", "pyhanko.sign", "pyhanko.sign.validation", "pyhanko_certvalidator")


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
