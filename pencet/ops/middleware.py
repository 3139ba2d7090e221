"""Request latency per view, kept in memory for a few seconds and then added to the shared histogram rows."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .buckets import BUCKETS

logger = logging.getLogger(__name__)


class LatencyBuffer:
    """One process's observations since the last flush: {view: [count per bucket..., +Inf count, sum]}."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.data: dict[str, list[float]] = {}
        self.flushed_at = time.monotonic()

    def observe(self, view: str, seconds: float) -> None:
        with self.lock:
            row = self.data.setdefault(view, [0.0] * (len(BUCKETS) + 2))
            for index, le in enumerate(BUCKETS):
                if seconds <= le:
                    row[index] += 1
            row[len(BUCKETS)] += 1
            row[len(BUCKETS) + 1] += seconds

    def take(self) -> dict[str, list[float]]:
        with self.lock:
            data, self.data = self.data, {}
            self.flushed_at = time.monotonic()
        return data

    def due(self) -> bool:
        return time.monotonic() - self.flushed_at >= settings.PENCET_METRICS_FLUSH_SECONDS


BUFFER = LatencyBuffer()


def latency_flush() -> None:
    """Add this process's buffered observations to the database rows (one UPDATE per touched bucket)."""
    from .services import view_latency_add

    data = BUFFER.take()
    if not data:
        return
    try:
        view_latency_add(data=data)
    except Exception:  # metrics must never break a request
        logger.exception("request latency flush failed; %d view(s) dropped", len(data))


class RequestLatencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The route's name, never the raw path: tracking codes and ids would make every URL its own series.
        view = (match.view_name or match._func_path) if match else "unmatched"
        BUFFER.observe(view, time.perf_counter() - started)
        # /healthz/ stays free of the database; /metrics flushes before it reads.
        if BUFFER.due() and view not in ("healthz", "ops:metrics"):
            latency_flush()
        return response
