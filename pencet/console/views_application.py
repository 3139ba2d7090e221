"""One application: review, forum/SIAK, verification, signature, output, delivery, pickup, messages, files."""

import os
from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases import services as cases
from pencet.cases.access import AccessKind, access_record
from pencet.cases.messaging import officer_message_send
from pencet.cases.models import Application, ReviewItem
from pencet.cases.policies import (
    Refusal,
    application_actions_for,
    message_refusal,
    output_refusal,
    personal_data_policy_for,
)
from pencet.cases.selectors import (
    application_deadline,
    application_list_for_user,
    application_open_review_items,
    application_priority_flags,
    application_timeline,
    application_warnings,
)
from pencet.cases.services import TransitionError
from pencet.cases.subject import application_subject_lines
from pencet.delivery import selectors as delivery_selectors
from pencet.delivery import services as delivery_services
from pencet.lib.nik import nik_parse
from pencet.regions.selectors import region_names

from .decorators import staff_required
from .forms import (
    CANNED_REASONS,
    AttachmentForm,
    CancelForm,
    DeliverForm,
    MessageForm,
    OutputForm,
    PickupForm,
    RejectForm,
    SendBackForm,
    SiakForm,
    TakeOverForm,
)
from .review import pickup_originals, review_checklist, review_checklist_complete
from .services import contact_window_open
from .views_components import component_rows
from .views_outreach import home_visit_context


def _application(request: HttpRequest, code: str) -> Application:
    """The application if the user may see it; another office's or village's is simply not found."""
    return get_object_or_404(application_list_for_user(user=request.user), tracking_code=code)


def _forbidden(refusal: Refusal | None) -> HttpResponse | None:
    # A question of who answers 403 at once; any other refusal is the service's to explain on the page.
    if refusal is not None and refusal.forbidden:
        return HttpResponseForbidden(refusal.message)
    return None


@staff_required
def application_detail(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    access_record(request=request, kind=AccessKind.APPLICATION, application=application)
    user = request.user
    requirements = list(application.service.requirements.all())
    attachments = list(application.attachments.select_related("requirement", "uploaded_by"))
    checklist = review_checklist(
        requirements=requirements,
        attachments=attachments,
        open_items=application_open_review_items(application=application),
    )
    unassigned = [a for a in attachments if a.requirement_id is None]
    outputs = list(delivery_selectors.outputs_for(application=application))
    contact = application.contact
    personal = personal_data_policy_for(user=user, application=application)
    timeline = application_timeline(application=application, with_chat=personal.chat)
    actions = application_actions_for(application=application, user=user)
    return render(
        request,
        "console/application.html",
        {
            "application": application,
            "nik": personal.nik(application),
            "kk_number": personal.kk_number(application),
            "nik_masked": not personal.full_identity,
            # The child's or the deceased's data; their NIK follows the same policy as the applicant's.
            "subject_lines": application_subject_lines(application=application, full_nik=personal.full_identity),
            # What the NIK encodes (birth date, sex, district) is the NIK: only for those who see it in full.
            "nik_check": nik_parse(value=application.nik, region_names=region_names)
            if application.nik and personal.full_identity
            else None,
            "flags": application_priority_flags(application=application),
            "deadline": application_deadline(application=application),
            "warnings": application_warnings(application=application, user=user),
            "checklist": checklist,
            # Focus goes to "accept" only when every requirement looks present; otherwise to "return".
            "looks_complete": review_checklist_complete(items=checklist),
            "unassigned": unassigned,
            "canned": [(v, ReviewItem.Verdict(v).label, reasons) for v, reasons in CANNED_REASONS.items()],
            "actions": actions,
            # A bundle's documents, each with its own steps (views_components).
            "components": component_rows(application=application, user=user, actions=actions),
            "reject_form": RejectForm(),
            "cancel_form": CancelForm(),
            "siak_form": SiakForm(),
            "send_back_form": SendBackForm(),
            "take_over_form": TakeOverForm(office=application.office),
            "message_form": MessageForm(),
            "output_form": OutputForm(),
            "attachment_form": AttachmentForm(service=application.service),
            "deliver_form": DeliverForm(),
            "needs_override": not all(o.is_valid for o in outputs),
            "pickup_form": PickupForm(
                requirements=pickup_originals(requirements=requirements, attachments=attachments)
            ),
            "outputs": outputs,
            "deliveries": list(delivery_selectors.deliveries_for(application=application)),
            "timeline": timeline,
            "chat_count": sum(1 for entry in timeline if entry.kind != "event"),
            "show_chat": personal.chat,
            "window_open": contact_window_open(contact=contact) if contact and personal.chat else None,
            # Sayang Dilan (pencet.outreach): home visits of an elderly or disabled applicant.
            **home_visit_context(application=application, user=user),
        },
    )


def _run(request: HttpRequest, application: Application, action: Callable[[], object], success: str) -> None:
    """Call a service; a refusal becomes a message on the page, never a 500."""
    try:
        action()
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def _back(application: Application) -> HttpResponse:
    return redirect("console:application", code=application.tracking_code)


@staff_required
@require_POST
def forum_claim(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    _run(
        request,
        application,
        lambda: cases.application_claim(application=application, actor=request.user),
        _("Permohonan Anda ambil. Silakan input di SIAK."),
    )
    return _back(application)


@staff_required
@require_POST
def forum_release(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    _run(
        request,
        application,
        lambda: cases.application_release(
            application=application, actor=request.user, note=request.POST.get("note", "")
        ),
        _("Permohonan dilepas kembali ke forum."),
    )
    return _back(application)


@staff_required
@require_POST
def forum_take_over(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    form = TakeOverForm(request.POST, office=application.office)
    if not form.is_valid():
        messages.error(request, _("Pilih operator pengganti."))
        return _back(application)
    _run(
        request,
        application,
        lambda: cases.application_take_over(
            application=application,
            actor=request.user,
            operator=form.cleaned_data["operator"],
            note=form.cleaned_data["note"],
        ),
        _("Permohonan dialihkan ke operator lain."),
    )
    return _back(application)


@staff_required
@require_POST
def siak_record(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    form = SiakForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nomor registrasi atau dokumen SIAK wajib diisi."))
        return _back(application)
    _run(
        request,
        application,
        lambda: cases.application_complete_siak(
            application=application,
            actor=request.user,
            siak_reference=form.cleaned_data["siak_reference"],
            note=form.cleaned_data["note"],
        ),
        _("Hasil SIAK dicatat; menunggu verifikasi."),
    )
    return _back(application)


@staff_required
@require_POST
def verify(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if request.POST.get("decision") == "approve":
        _run(
            request,
            application,
            lambda: cases.application_approve(
                application=application, actor=request.user, note=request.POST.get("note", "")
            ),
            _("Disetujui; menunggu tanda tangan."),
        )
        return _back(application)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pengembalian ke operator wajib diisi."))
        return _back(application)
    _run(
        request,
        application,
        lambda: cases.application_send_back(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Dikembalikan ke operator."),
    )
    return _back(application)


@staff_required
@require_POST
def output_upload(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if refused := _forbidden(output_refusal(application=application, user=request.user)):
        return refused
    form = OutputForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas PDF dokumen hasil."))
        return _back(application)
    _run(
        request,
        application,
        lambda: delivery_services.output_document_add(
            application=application, uploaded_file=form.cleaned_data["file"], actor=request.user
        ),
        _("Dokumen hasil dilampirkan."),
    )
    return _back(application)


@staff_required
@require_POST
def output_specimen(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if not application.office.is_demo:
        return HttpResponseForbidden(_("Spesimen hanya untuk kantor demo."))
    if refused := _forbidden(output_refusal(application=application, user=request.user)):
        return refused
    _run(
        request,
        application,
        lambda: delivery_services.output_specimen_create(application=application, actor=request.user),
        _("Spesimen dokumen hasil dibuat."),
    )
    return _back(application)


@staff_required
@require_POST
def output_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    application = _application(request, code)
    output = get_object_or_404(application.outputs, pk=pk)
    if refused := _forbidden(output_refusal(application=application, user=request.user)):
        return refused
    _run(
        request,
        application,
        lambda: delivery_services.output_document_remove(output=output, actor=request.user),
        _("Dokumen hasil dihapus."),
    )
    return _back(application)


@staff_required
@require_POST
def deliver(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    form = DeliverForm(request.POST)
    form.is_valid()
    _run(
        request,
        application,
        lambda: delivery_services.application_deliver(
            application=application,
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
        ),
        _("Pengiriman dokumen dijalankan."),
    )
    return _back(application)


@staff_required
@require_POST
def pick_up(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    requirements = list(application.service.requirements.all())
    originals = pickup_originals(requirements=requirements, attachments=list(application.attachments.all()))
    form = PickupForm(request.POST, requirements=originals)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(application)
    representative = form.cleaned_data["collector"] == "representative"
    collected_by = (
        form.cleaned_data["representative_name"].strip()
        if representative
        else application.applicant_name or _("Pemohon")
    )
    _run(
        request,
        application,
        lambda: cases.application_pick_up(
            application=application,
            actor=request.user,
            collected_by=collected_by,
            is_representative=representative,
            originals_seen=form.cleaned_data["originals_seen"],
            note=form.cleaned_data["note"],
            collector=form.collector_record(),
        ),
        _("Dokumen tercatat sudah diambil."),
    )
    return _back(application)


@staff_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen withdrew (at the counter, on the phone): closed with the reason they gave."""
    application = _application(request, code)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pembatalan wajib diisi."))
        return _back(application)
    _run(
        request,
        application,
        lambda: cases.application_cancel(
            application=application, actor=request.user, reason=form.cleaned_data["reason"], actor_label=""
        ),
        _("Permohonan dibatalkan."),
    )
    return _back(application)


@staff_required
@require_POST
def message_send(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if refused := _forbidden(message_refusal(application=application, user=request.user)):
        return refused
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis pesannya terlebih dahulu."))
        return _back(application)
    _run(
        request,
        application,
        lambda: officer_message_send(application=application, actor=request.user, body=form.cleaned_data["body"]),
        _("Pesan dimasukkan ke antrean kirim."),
    )
    return redirect(reverse("console:application", kwargs={"code": application.tracking_code}) + "#transkrip")


def _inline(file_field: object, *, content_type: str, filename: str) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type, as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A citizen's file never runs script in the console's origin, even if a viewer would let it.
    response["Content-Security-Policy"] = "sandbox"
    return response


@staff_required
def attachment_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Served only after the office/village check; documents never sit behind a public media URL."""
    application = _application(request, code)
    if not cases.application_can_access(application=application, user=request.user):
        raise Http404
    attachment = get_object_or_404(application.attachments, pk=pk)
    access_record(request=request, kind=AccessKind.ATTACHMENT, application=application, object_id=pk)
    filename = attachment.original_name or os.path.basename(attachment.file.name)
    return _inline(attachment.file, content_type=attachment.content_type, filename=filename)


@staff_required
def output_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    application = _application(request, code)
    if not cases.application_can_access(application=application, user=request.user):
        raise Http404
    output = get_object_or_404(application.outputs, pk=pk)
    access_record(request=request, kind=AccessKind.OUTPUT, application=application, object_id=pk)
    filename = output.filename or os.path.basename(output.file.name)
    return _inline(output.file, content_type="application/pdf", filename=filename)


@staff_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if application.submitted_at is None:
        raise Http404
    pdf = delivery_services.receipt_render(application=application)
    access_record(request=request, kind=AccessKind.RECEIPT, application=application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{application.tracking_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
