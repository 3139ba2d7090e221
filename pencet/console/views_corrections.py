"""Work on an application after it was registered: add a file, resubmit a returned one registered in the console,
correct its data; and the village staff's list of what they registered ("Pengajuan saya")."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pencet.cases import services as cases
from pencet.cases.corrections import application_correct
from pencet.cases.policies import attachment_refusal, correction_refusal
from pencet.cases.selectors import applications_registered_by_page
from pencet.cases.services import TransitionError

from .decorators import staff_required
from .forms import AttachmentForm, CorrectionForm
from .services import attachment_from_upload
from .views_application import _application, _back, _forbidden, _run


@staff_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    """Everything this person registered, newest first, with where each application stands now."""
    page = applications_registered_by_page(user=request.user, page=request.GET.get("halaman", 1))
    return render(request, "console/my_submissions.html", {"page": page, "rows": page.object_list})


@staff_required
@require_POST
def attachment_add(request: HttpRequest, code: str) -> HttpResponse:
    application = _application(request, code)
    if refused := _forbidden(attachment_refusal(application=application, user=request.user)):
        return refused
    form = AttachmentForm(request.POST, request.FILES, service=application.service)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan ditambahkan."))
        return _back(application)
    _run(
        request,
        application,
        lambda: attachment_from_upload(
            application=application,
            requirement=form.cleaned_data["requirement"],
            upload=form.cleaned_data["file"],
            actor=request.user,
        ),
        _("Berkas ditambahkan."),
    )
    return _back(application)


@staff_required
@require_POST
def resubmit(request: HttpRequest, code: str) -> HttpResponse:
    """A returned application registered in the console goes back to the review queue once its files are there."""
    application = _application(request, code)
    _run(
        request,
        application,
        lambda: cases.application_resubmit(application=application, actor=request.user, actor_label=""),
        _("Permohonan diajukan ulang dan kembali ke antrean pemeriksaan."),
    )
    return _back(application)


@staff_required
def correct(request: HttpRequest, code: str) -> HttpResponse:
    """The correction form: the registered data, changed where wrong, with a reason; an Event shows old → new."""
    application = _application(request, code)
    refusal = correction_refusal(application=application, user=request.user)
    if refused := _forbidden(refusal):
        return refused
    if refusal is not None:
        messages.error(request, refusal.message)
        return _back(application)
    form = CorrectionForm(request.POST or None, user=request.user, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            event = application_correct(
                application=application,
                actor=request.user,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            if event is None:
                messages.info(request, _("Tidak ada data yang berubah."))
            else:
                messages.success(request, _("Data permohonan dikoreksi."))
            return _back(application)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/correct.html", {"application": application, "form": form}, status=status)
