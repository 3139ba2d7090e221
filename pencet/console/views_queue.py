"""Queues, search, bulk signature and the contacts asking for a person."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases.access import AccessKind, access_record
from pencet.cases.policies import user_may_message_citizens
from pencet.cases.selectors import (
    application_list_for_user,
    application_search,
    queue_counts_for_user,
    queue_get,
    queue_page,
)
from pencet.cases.services import TransitionError

from . import selectors
from .decorators import staff_required
from .forms import MessageForm
from .services import contact_human_done, contact_message_send, contact_window_open


@staff_required
def queue_counts(request: HttpRequest) -> HttpResponse:
    """The home page's counts and waiting contacts; htmx polls it every 10 seconds."""
    return render(
        request,
        "console/_queue_counts.html",
        {
            "queues": queue_counts_for_user(user=request.user),
            "contacts": selectors.contacts_needing_human(user=request.user),
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
    rows = application_search(user=request.user, query=query)
    if query:
        access_record(request=request, kind=AccessKind.SEARCH, query=query, shown=rows)
    if len(rows) == 1 and rows[0].tracking_code.lower() == query.lower():
        return redirect("console:application", code=rows[0].tracking_code)
    return render(request, "console/search.html", {"query": query, "rows": rows})


def _contact_or_404(request: HttpRequest, pk: int):  # noqa: ANN202 - a whatsapp Contact
    contact = selectors.contact_for_user(user=request.user, pk=pk)
    if contact is None:
        raise Http404
    return contact


@staff_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = MessageForm(request.POST or None)
    may_message = user_may_message_citizens(user=request.user)
    if request.method == "POST":
        if not may_message:
            return HttpResponseForbidden(_("Peran Anda tidak dapat mengirim pesan WhatsApp atas nama kantor."))
        if form.is_valid():
            try:
                contact_message_send(contact=contact, actor=request.user, body=form.cleaned_data["body"])
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Pesan dimasukkan ke antrean kirim."))
                return redirect("console:contact", pk=contact.pk)
    access_record(request=request, kind=AccessKind.CONTACT, object_type="contact", object_id=contact.pk)
    return render(
        request,
        "console/contact.html",
        {
            "contact": contact,
            "form": form,
            "may_message": may_message,
            "conversation": selectors.contact_conversation(contact=contact),
            "window_open": contact_window_open(contact=contact),
            "applications": application_list_for_user(user=request.user).filter(contact=contact)[:20],
        },
    )


@staff_required
@require_POST
def contact_done(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    if selectors.is_read_only(user=request.user):
        return HttpResponseForbidden(_("Pimpinan hanya dapat melihat."))
    try:
        contact_human_done(contact=contact, actor=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect("console:home")
