"""The chats handed to a person: the list (all, mine, nobody's), one chat with the composer on top, taking it,
passing it to a colleague, giving it back, and closing it. The writes are pencet.bot.desk."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.bot.desk import chat_assign, chat_claim, chat_close, chat_release, chat_reply
from pencet.cases.access import AccessKind, access_record
from pencet.cases.policies import user_may_message_citizens
from pencet.cases.selectors import application_list_for_user
from pencet.cases.services import TransitionError

from . import selectors
from .decorators import staff_required
from .forms import ChatReplyForm
from .services import contact_window_open

FILTERS = ("semua", "saya", "belum")


def _contact_or_404(request: HttpRequest, pk: int):  # noqa: ANN202 - a whatsapp Contact
    contact = selectors.contact_for_user(user=request.user, pk=pk)
    if contact is None:
        raise Http404
    return contact


@staff_required
def chat_list(request: HttpRequest) -> HttpResponse:
    """Every chat waiting for a person, who holds it and what the citizen asked; ?filter=saya for one's own."""
    chosen = request.GET.get("filter", "semua")
    chosen = chosen if chosen in FILTERS else "semua"
    chats = selectors.contacts_needing_human(user=request.user, limit=200, mine=chosen == "saya")
    if chosen == "belum":
        chats = [c for c in chats if not _holder_id(c)]
    return render(
        request,
        "console/chats.html",
        {
            "chats": chats,
            "chosen": chosen,
            "counts": selectors.handoff_counts(user=request.user),
            "may_message": user_may_message_citizens(user=request.user),
        },
    )


def _holder_id(contact: object) -> int | None:
    conversation = getattr(contact, "conversation", None)
    return conversation.assigned_to_id if conversation is not None else None


@staff_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    canned = selectors.canned_replies_for(user=request.user)
    form = ChatReplyForm(request.POST or None, canned=canned)
    may_message = user_may_message_citizens(user=request.user)
    if request.method == "POST":
        if not may_message:
            return HttpResponseForbidden(_("Peran Anda tidak dapat mengirim pesan WhatsApp atas nama kantor."))
        if form.is_valid():
            try:
                chat_reply(
                    contact=contact,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                    canned_reply=form.cleaned_data["canned"],
                )
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Pesan dimasukkan ke antrean kirim."))
                return redirect("console:contact", pk=contact.pk)
    access_record(request=request, kind=AccessKind.CONTACT, object_type="contact", object_id=contact.pk)
    handoff = selectors.contact_handoff(contact=contact)
    conversation = selectors.contact_conversation(contact=contact)
    conversation.reverse()
    return render(
        request,
        "console/contact.html",
        {
            "contact": contact,
            "form": form,
            "canned": canned,
            "may_message": may_message,
            "handoff": handoff,
            "asked_id": handoff.handoff_message_id if handoff and contact.needs_human else None,
            "colleagues": selectors.colleagues_for_chats(user=request.user) if may_message else [],
            # Newest first, right under the composer.
            "conversation": conversation,
            "window_open": contact_window_open(contact=contact),
            "applications": application_list_for_user(user=request.user).filter(contact=contact)[:20],
        },
    )


def _back(request: HttpRequest, contact_pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "list":
        return redirect("console:chats")
    return redirect(reverse("console:contact", args=[contact_pk]))


@staff_required
@require_POST
def contact_claim(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    try:
        chat_claim(contact=contact, actor=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    return _back(request, contact.pk)


@staff_required
@require_POST
def contact_assign(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    colleagues = {str(u.pk): u for u in selectors.colleagues_for_chats(user=request.user)}
    assignee = colleagues.get(request.POST.get("assignee", ""))
    if assignee is None:
        messages.error(request, _("Pilih petugas yang akan menangani chat ini."))
        return _back(request, contact.pk)
    try:
        chat_assign(contact=contact, actor=request.user, assignee=assignee)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Chat diteruskan ke %(name)s.") % {"name": assignee.get_full_name() or assignee.username}
        )
    return _back(request, contact.pk)


@staff_required
@require_POST
def contact_release(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    try:
        chat_release(contact=contact, actor=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    return _back(request, contact.pk)


@staff_required
@require_POST
def contact_done(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    if selectors.is_read_only(user=request.user):
        return HttpResponseForbidden(_("Pimpinan hanya dapat melihat."))
    try:
        chat_close(contact=contact, actor=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect("console:home")
