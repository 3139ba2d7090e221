"""The consumer's wake-up for new webhook deliveries: a short poll of the delivery table, no message per POST.

    WebhookPoller().poll() -> int          one look: queue a task for each delivery stored since the last look
    webhook_poller_start() -> None         the poller thread of this consumer process (a Huey startup hook)

The acknowledgement only commits its row (webhook.webhook_delivery_store). A Huey enqueue from the web process
per POST cost the acknowledgement a third more CPU (pickling, a Redis round trip, the Redis server's own work):
below 1,000 acknowledgements/s at 16 clients on this 2-core machine (bench/README.md "Webhook
acknowledgement"). Instead one thread per consumer host looks at the pending rows every
WHATSAPP_WEBHOOK_POLL_SECONDS (one indexed SELECT on webhook_delivery_pending) and queues webhook_process_task for
each new one, so the first reply waits at most that long more. The sweep (webhook.webhook_sweep_tick, every 2 s)
still takes whatever the poller missed, and the claim makes a delivery queued twice run once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Max
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from .models import WebhookDelivery
from .webhook import WEBHOOK_MAX_ATTEMPTS, due_filter, webhook_process_task

try:
    import fcntl
except ImportError:  # Windows: every consumer process polls; a delivery queued twice still runs once.
    fcntl = None

logger = logging.getLogger(__name__)

WEBHOOK_POLL_SECONDS = 0.05
# New deliveries queued per look; a burst larger than this is queued over the next looks, without a pause.
WEBHOOK_POLL_BATCH = 200
# Ids below the newest seen that were not there yet: a POST whose INSERT took its id first but committed after a
# later one. The poller looks for them for this long (then the sweep's few seconds take over).
WEBHOOK_POLL_GAP_SECONDS = 5.0
WEBHOOK_POLL_MAX_GAPS = 1000

_started = threading.Lock()
_thread: threading.Thread | None = None


class WebhookPoller:
    """Which deliveries were queued already: every id up to `newest`, except the `gaps` still awaited."""

    def __init__(self) -> None:
        self.newest: int | None = None
        self.gaps: dict[int, float] = {}

    def poll(self) -> int:
        """Queue a processing task for each due delivery stored since the last look; returns how many."""
        now = timezone.now()
        due = WebhookDelivery.objects.filter(
            due_filter(now), attempts__lt=int(getattr(settings, "WHATSAPP_WEBHOOK_MAX_ATTEMPTS", WEBHOOK_MAX_ATTEMPTS))
        )
        fresh = list(
            due.filter(pk__gt=self.newest or 0).order_by("pk").values_list("pk", flat=True)[:WEBHOOK_POLL_BATCH]
        )
        late: list[int] = []
        if self.gaps:
            late = list(due.filter(pk__in=list(self.gaps)).values_list("pk", flat=True))
            expired = time.monotonic() - WEBHOOK_POLL_GAP_SECONDS
            for pk in late:
                self.gaps.pop(pk, None)
            self.gaps = {pk: seen for pk, seen in self.gaps.items() if seen > expired}
        if fresh:
            self._note_gaps(fresh)
        elif self.newest is None:
            # The first look found nothing pending: every row so far is done, none of them is awaited.
            self.newest = WebhookDelivery.objects.aggregate(newest=Max("pk"))["newest"] or 0
        for pk in [*late, *fresh]:
            webhook_process_task(pk)
        return len(late) + len(fresh)

    def _note_gaps(self, fresh: list[int]) -> None:
        """Remember the ids skipped between the last newest and these (not at the first look: everything older
        that is still due was just queued, in order)."""
        now = time.monotonic()
        if self.newest is not None:
            previous = self.newest
            for pk in fresh:
                for missing in range(previous + 1, pk):
                    if len(self.gaps) >= WEBHOOK_POLL_MAX_GAPS:
                        break
                    self.gaps[missing] = now
                previous = pk
        self.newest = fresh[-1]


def _poll_forever() -> None:
    interval = float(getattr(settings, "WHATSAPP_WEBHOOK_POLL_SECONDS", WEBHOOK_POLL_SECONDS))
    with _poller_turn():
        poller = WebhookPoller()
        while True:
            try:
                queued = poller.poll()
            except Exception:  # the database or the queue is away for a moment: the sweep covers, try again
                logger.warning("webhook poller: a look failed; trying again in a second", exc_info=True)
                close_old_connections()
                time.sleep(1.0)
                continue
            if queued < WEBHOOK_POLL_BATCH:
                time.sleep(interval)


@contextlib.contextmanager
def _poller_turn() -> Iterator[None]:
    """One poller per host: the consumer processes (process workers, a second consumer) take turns on a file
    lock; the kernel hands it to a waiting process as soon as the holder dies, even by kill -9."""
    if fcntl is None:
        yield
        return
    path = Path(settings.VAR_DIR) / "webhook-poller.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def webhook_poller_start() -> None:
    """Start this process's poller thread, once (the startup hook runs in every worker of a consumer). Not with
    Huey immediate: there each delivery is processed right after its commit."""
    global _thread
    if HUEY.immediate:
        return
    with _started:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_poll_forever, name="webhook-poller", daemon=True)
        _thread.start()
