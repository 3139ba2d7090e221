"""The public status page: whoever holds a tracking code sees the service and the status, nothing personal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .selectors import application_public_status


@require_GET
def status_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "").strip().upper()
    if code:
        return redirect("delivery:status_detail", tracking_code=code[:20])
    return render(request, "delivery/status_lookup.html")


@require_GET
def status_detail(request: HttpRequest, tracking_code: str) -> HttpResponse:
    status = application_public_status(tracking_code=tracking_code)
    if status is None:
        # The same answer for every unknown code, so the page cannot be used to probe for codes.
        return render(request, "delivery/status_not_found.html", status=404)
    response = render(request, "delivery/status_detail.html", {"status": status})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
