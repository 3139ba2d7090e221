"""/readyz/ (database and queue) and /metrics (Prometheus text, token or address protected)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry

from . import selectors
from .metrics import PencetCollector
from .middleware import latency_flush


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to take traffic: the database answers and the queue accepts work. 503 with the reason otherwise."""
    checks = {"database": selectors.database_probe(), "queue": selectors.queue_probe()}
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.PENCET_METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.PENCET_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and constant_time_compare(header, f"Bearer {token}"):
        return True
    # REMOTE_ADDR is the proxy's address behind nginx, so a public scrape through it never passes as loopback
    # unless the proxy is told to pass it (deploy/nginx.conf blocks /metrics from outside).
    return _address_allowed(request.META.get("REMOTE_ADDR", ""))


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    latency_flush()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PencetCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
