"""Queues and search (the chats asking for a person: views_chats)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pencet.cases.access import AccessKind, access_record
from pencet.cases.selectors import (
    application_search,
    queue_counts_for_user,
    queue_get,
    queue_page,
)

from . import selectors
from .decorators import staff_required


@staff_required
def queue_counts(request: HttpRequest) -> HttpResponse:
    """The home page's counts and waiting contacts; htmx polls it every 10 seconds."""
    return render(
        request,
        "console/_queue_counts.html",
        {
            "queues": queue_counts_for_user(user=request.user),
            "contacts": selectors.contacts_needing_human(user=request.user),
            "handoff_counts": selectors.handoff_counts(user=request.user),
        },
    )


@staff_required
def queue_list(request: HttpRequest, key: str) -> HttpResponse:
    queue = queue_get(user=request.user, key=key)
    if queue is None:
        raise Http404
    page = queue_page(user=request.user, queue=queue, page=request.GET.get("halaman", 1))
    return render(
        request,
        "console/queue.html",
        {"queue": queue, "page": page, "rows": page.object_list, "is_signing": False},
    )


@staff_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = application_search(user=request.user, query=query)
    rows = found.rows
    if query:
        access_record(request=request, kind=AccessKind.SEARCH, query=query, shown=rows)
    if len(rows) == 1 and rows[0].tracking_code.lower() == query.lower():
        return redirect("console:application", code=rows[0].tracking_code)
    return render(request, "console/search.html", {"query": query, "rows": rows, "found": found})
