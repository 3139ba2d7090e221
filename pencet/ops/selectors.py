"""Operations reads: probes of the database and the queue, consumer heartbeats."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat


def database_probe() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": str(error)[:300]}
    return {"ok": True, "vendor": connection.vendor}


def queue_probe() -> dict:
    """The queue's storage answers (Redis ping, the SQLite file or the PostgreSQL tables)."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return {"ok": True, "backend": "immediate"}
    try:
        pending = HUEY.pending_count()
    except Exception as error:
        return {"ok": False, "backend": type(HUEY).__name__, "error": str(error)[:300]}
    return {"ok": True, "backend": type(HUEY).__name__, "pending": pending}


def heartbeats_recent() -> list[WorkerHeartbeat]:
    since = timezone.now() - timedelta(seconds=settings.PENCET_HEARTBEAT_MAX_AGE_SECONDS)
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=since).order_by("-seen_at"))


def heartbeat_latest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()
