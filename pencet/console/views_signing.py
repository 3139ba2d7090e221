"""Signing (TTE): the head of office's list, and the confirmation page that shows the very PDFs being signed and
asks for the passphrase, for one application or several at once (pencet.delivery.signing applies the signature)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pencet.accounts.models import Role
from pencet.cases.models import Application, Status
from pencet.cases.policies import sign_refusal
from pencet.cases.selectors import application_list_for_user, applications_page
from pencet.cases.services import TransitionError
from pencet.delivery import selectors as delivery_selectors
from pencet.delivery.signing import applications_sign

from .decorators import staff_required
from .views_application import _application


def _confirm_page(request: HttpRequest, chosen: list[Application], *, single: bool, status: int = 200) -> HttpResponse:
    rows = [{"application": a, "outputs": list(delivery_selectors.outputs_for(application=a))} for a in chosen]
    return render(request, "console/sign_confirm.html", {"rows": rows, "single": single}, status=status)


def _seen(request: HttpRequest) -> dict[str, list[str]] | None:
    """The documents the confirmation page showed, as it sent them back: "CODE:sha256" per PDF (None: not sent)."""
    if "document" not in request.POST:
        return None
    seen: dict[str, list[str]] = {}
    for value in request.POST.getlist("document"):
        code, _sep, digest = value.partition(":")
        seen.setdefault(code, []).append(digest)
    return seen


def _sign(request: HttpRequest, chosen: list[Application], *, single: bool) -> HttpResponse | None:
    """Signs when the passphrase is right (None); otherwise the confirmation page again with the reason."""
    try:
        applications_sign(
            applications=chosen,
            actor=request.user,
            passphrase=request.POST.get("passphrase", ""),
            seen=_seen(request),
        )
    except TransitionError as error:
        messages.error(request, error.message)
        return _confirm_page(request, chosen, single=single, status=400)
    messages.success(request, _("%(count)d permohonan ditandatangani.") % {"count": len(chosen)})
    return None


def _without_document(request: HttpRequest, chosen: list[Application]) -> list[Application]:
    """The chosen applications whose document exists; the others are named in a message."""
    ready = [a for a in chosen if a.outputs.exists()]
    missing = [a.tracking_code for a in chosen if a not in ready]
    if missing:
        messages.error(
            request,
            _("Dokumen hasil belum ada untuk %(codes)s: lampirkan atau buat dokumennya dulu.")
            % {"codes": ", ".join(missing)},
        )
    return ready


@staff_required
def sign_list(request: HttpRequest) -> HttpResponse:
    """The head of office's list: tick one or many, review them on the confirmation page, then sign."""
    if not request.user.has_role(Role.SIGNER):
        return HttpResponseForbidden(_("Hanya penandatangan yang dapat membuka halaman ini."))
    pending = application_list_for_user(user=request.user).filter(status=Status.AWAITING_SIGNATURE)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()]
        # A bundle is signed document by document on its own page (pencet.cases.components), never in bulk.
        bulk = pending.filter(pk__in=ids, components__isnull=True).select_related("service")
        chosen = _without_document(request, list(bulk))
        if not chosen:
            if not ids:
                messages.error(request, _("Pilih minimal satu permohonan untuk ditandatangani."))
            return redirect("console:sign_list")
        if "passphrase" not in request.POST:
            return _confirm_page(request, chosen, single=False)
        return _sign(request, chosen, single=False) or redirect("console:sign_list")
    page = applications_page(applications=pending, page=request.GET.get("halaman", 1))
    shown = [a.pk for a in page.object_list]
    with_document = set(Application.objects.filter(pk__in=shown, outputs__isnull=False).values_list("pk", flat=True))
    per_document = set(Application.objects.filter(pk__in=shown, components__isnull=False).values_list("pk", flat=True))
    context = {"page": page, "rows": page.object_list, "with_document": with_document - per_document}
    return render(request, "console/sign_list.html", context | {"per_document": per_document})


@staff_required
def sign(request: HttpRequest, code: str) -> HttpResponse:
    """One application: GET shows the PDF that will be signed, POST with the passphrase signs it."""
    application = _application(request, code)
    if not request.user.has_role(Role.SIGNER):
        return HttpResponseForbidden(_("Hanya penandatangan yang dapat menandatangani."))
    if application.status != Status.AWAITING_SIGNATURE:
        messages.error(request, _("Permohonan ini tidak sedang menunggu tanda tangan."))
        return redirect("console:application", code=application.tracking_code)
    refusal = sign_refusal(application=application, actor=request.user)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("console:application", code=application.tracking_code)
    if request.method != "POST":
        return _confirm_page(request, [application], single=True)
    return _sign(request, [application], single=True) or redirect("console:application", code=code)
