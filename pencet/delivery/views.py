"""The public status page: whoever holds the receipt's status token sees the service and the status, nothing
personal. Tracking codes are sequential, so they open nothing here; the token in the QR code is random."""

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .ratelimit import WINDOW_SECONDS, status_lookup_allowed
from .selectors import application_public_status

# What a status token looks like (secrets.token_urlsafe); anything else is not looked up at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,32}")


def _not_found(request: HttpRequest) -> HttpResponse:
    # The same answer for every unknown, malformed or old-style value, so the page cannot be used to probe.
    return render(request, "delivery/status_not_found.html", status=404)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "delivery/status_too_many.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _token_from(value: str) -> str | None:
    """The token typed or pasted into the form: the token itself or the whole address from the receipt."""
    value = value.strip()
    if "/status/" in value:
        value = value.split("/status/", 1)[1].strip("/")
    return value if TOKEN_PATTERN.fullmatch(value) else None


@require_GET
def status_lookup(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("kode", "")
    if not value.strip():
        return render(request, "delivery/status_lookup.html")
    if not status_lookup_allowed(request=request):
        return _too_many(request)
    token = _token_from(value)
    if token is None:
        return _not_found(request)
    return redirect("delivery:status_detail", token=token)


@require_GET
def status_detail(request: HttpRequest, token: str) -> HttpResponse:
    if not status_lookup_allowed(request=request):
        return _too_many(request)
    status = application_public_status(token=token) if TOKEN_PATTERN.fullmatch(token) else None
    if status is None:
        return _not_found(request)
    response = render(request, "delivery/status_detail.html", {"status": status})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
