"""Other ways in: staff intake (files received elsewhere), walk-in at the counter, village staff."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pencet.accounts.models import Role
from pencet.cases.models import Channel
from pencet.cases.services import TransitionError
from pencet.catalog.models import SUBJECT_EVENT_DATE_FIELDS, Service
from pencet.regions.models import Region

from .decorators import staff_required
from .forms import IntakeForm
from .kept_files import KeptFile, kept_file_keep, kept_files_load
from .selectors import is_read_only
from .services import IntakeFile, application_intake_register, upload_check


def _may_register(request: HttpRequest) -> bool:
    return request.user.office_id is not None and not is_read_only(user=request.user)


@staff_required
def intake_start(request: HttpRequest) -> HttpResponse:
    """Step one: which service."""
    if not _may_register(request):
        return HttpResponseForbidden(_("Peran Anda tidak dapat mendaftarkan permohonan."))
    services = Service.objects.filter(is_active=True)
    return render(request, "console/intake_start.html", {"services": services})


def _files_keep(request: HttpRequest, service: Service, requirements: list) -> tuple[list[KeptFile], list[str]]:
    """The files kept from earlier attempts (still ticked) plus this POST's uploads, each checked and kept; the
    uploads that failed the check are named in the errors."""
    user = request.user
    kept = kept_files_load(tokens=request.POST.getlist("kept"), user=user, service_id=service.pk)
    errors: list[str] = []
    slots = [(r.pk, f"file_{r.pk}") for r in requirements] + [(None, "file_other")]
    for requirement_id, name in slots:
        for upload in request.FILES.getlist(name):
            try:
                checked = upload_check(upload=upload)
            except TransitionError as error:
                errors.append(error.message)
                continue
            kept.append(
                kept_file_keep(
                    checked=checked,
                    name=upload.name or "",
                    requirement_id=requirement_id,
                    service_id=service.pk,
                    user=user,
                )
            )
    return kept, errors


def _intake_fields(form: IntakeForm, service: Service) -> dict:
    data = form.cleaned_data
    fields = {
        name: data.get(name)
        for name in (
            "applicant_name",
            "nik",
            "kk_number",
            "phone",
            "email",
            "village",
            "delivery_preference",
            "event_date",
            "priority_elderly",
            "priority_disability",
            "disability_support",
            "note",
        )
    }
    if not fields["priority_disability"]:
        fields["disability_support"] = ""
    subject = form.subject_data()
    fields["subject"] = {code: getattr(v, "isoformat", lambda v=v: v)() for code, v in subject.items() if v}
    event = next((subject[c] for c in form.subject_codes if c in SUBJECT_EVENT_DATE_FIELDS), None)
    if event and service.legal_deadline_days:
        fields["event_date"] = event
    return fields


@staff_required
def intake(request: HttpRequest, service_code: str) -> HttpResponse:
    """Step two: the applicant, where they live, how they want the document, and the files per requirement.

    A form with an error keeps the files already uploaded (kept_files) and lists them, so nobody uploads twice."""
    if not _may_register(request):
        return HttpResponseForbidden(_("Peran Anda tidak dapat mendaftarkan permohonan."))
    service = get_object_or_404(Service, code=service_code, is_active=True)
    requirements = list(service.requirements.all())
    user = request.user
    form = IntakeForm(
        request.POST or None,
        user=user,
        service=service,
        district_code=request.POST.get("district", "") if request.method == "POST" else "",
        initial={"channel": request.GET.get("kanal", Channel.STAFF_INTAKE)},
    )
    kept: list[KeptFile] = []
    if request.method == "POST":
        kept, file_errors = _files_keep(request, service, requirements)
        for message in file_errors:
            messages.error(request, message)
        if form.is_valid() and not file_errors:
            by_id = {r.pk: r for r in requirements}
            files = [IntakeFile(requirement=by_id.get(k.requirement_id), kept=k) for k in kept]
            try:
                application = application_intake_register(
                    office=user.office,
                    service=service,
                    channel=form.cleaned_data.get("channel", Channel.VILLAGE_STAFF),
                    actor=user,
                    files=files,
                    **_intake_fields(form, service),
                )
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Permohonan %(code)s terdaftar dan masuk antrean pemeriksaan.")
                    % {"code": application.tracking_code},
                )
                return redirect("console:application", code=application.tracking_code)
    names = {r.pk: r.short_name for r in requirements}
    return render(
        request,
        "console/intake.html",
        {
            "service": service,
            "requirements": requirements,
            "form": form,
            "kept": [(k, names.get(k.requirement_id) or _("Berkas lain")) for k in kept],
            "is_village_staff": user.roles == {Role.VILLAGE_STAFF},
        },
    )


@staff_required
def village_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of one district's villages, for the district → village select (htmx)."""
    district = request.GET.get("district", "")
    user = request.user
    if user.roles == {Role.VILLAGE_STAFF}:
        villages = user.villages.all()
    else:
        regency = user.office.regency_id if user.office else "-"
        villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{regency}.")
    if district:
        villages = villages.filter(parent_id=district)
    return render(request, "console/_village_options.html", {"villages": villages.order_by("name")})
