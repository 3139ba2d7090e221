"""Service days (/keliling/): the coming days, one day's list of bookings with "hadir" and on-the-spot registration,
the printed list for the site, the announcement to the village's followers; bookings figures (no-shows)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pencet.accounts.models import Role, User
from pencet.cases.models import CLOSED_STATUSES, Application
from pencet.cases.selectors import application_list_for_user
from pencet.cases.services import TransitionError
from pencet.lib.nik import nik_parse
from pencet.outreach.messages import home_visit_bring_default
from pencet.outreach.models import Announcement, Booking, HomeVisit, ServiceDay
from pencet.outreach.selectors import (
    announcement_templates,
    office_bookings_figures,
    service_day_list,
    service_days_upcoming,
)
from pencet.outreach.services import (
    BookingError,
    booking_attend,
    booking_register,
    home_visit_plan,
    home_visit_record,
    programme_announce,
    service_day_announce,
    service_day_plan,
)
from pencet.whatsapp.templates_sync import TemplateSyncError, message_templates_sync

from .decorators import staff_required
from .forms_outreach import ProgrammeAnnouncementForm, ServiceDayForm

OUTREACH_ROLES = (Role.SERVICE_OFFICER, Role.ADMIN, Role.OPERATOR)


def _allowed(request: HttpRequest) -> bool:
    return request.user.office_id is not None and request.user.has_role(*OUTREACH_ROLES, Role.LEADERSHIP)


def _day(request: HttpRequest, pk: int) -> ServiceDay:
    return get_object_or_404(ServiceDay.objects.select_related("village"), pk=pk, office_id=request.user.office_id)


@staff_required
def service_days(request: HttpRequest) -> HttpResponse:
    """The coming days (and last week's), the form to plan one, and the bookings figures."""
    if not _allowed(request):
        return HttpResponseForbidden()
    office = request.user.office
    today = timezone.localdate()
    can_plan = request.user.has_role(Role.SERVICE_OFFICER, Role.ADMIN)
    form = ServiceDayForm(request.POST or None, office=office)
    if request.method == "POST":
        if not can_plan:
            return HttpResponseForbidden()
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = service_day_plan(
                    office=office,
                    actor=request.user,
                    programme=data["programme"],
                    place=data["place"],
                    place_kind=data["place_kind"],
                    village=data["village"],
                    day=data["date"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    services=list(data["services"]),
                    capacity_per_hour=data["capacity_per_hour"],
                    note=data["note"],
                )
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Layanan keliling dijadwalkan."))
                return redirect("console:service_day", pk=day.pk)
    return render(
        request,
        "console/outreach/days.html",
        {
            "form": form if can_plan else None,
            "announcement_form": ProgrammeAnnouncementForm(office=office) if can_plan else None,
            "announcements": Announcement.objects.filter(office=office).select_related("template")[:10],
            "templates": announcement_templates(office=office),
            "can_sync_templates": can_plan,
            "days": service_days_upcoming(office=office, today=today - timedelta(days=7)),
            "figures": office_bookings_figures(office=office, date_from=today - timedelta(days=30), date_to=today),
        },
    )


@staff_required
@require_GET
def service_day(request: HttpRequest, pk: int) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseForbidden()
    day = _day(request, pk)
    template = "console/outreach/print.html" if request.GET.get("cetak") else "console/outreach/day.html"
    bookings = service_day_list(day=day)
    return render(
        request,
        template,
        {
            "day": day,
            "bookings": bookings,
            "can_act": request.user.has_role(*OUTREACH_ROLES),
            "counts": {s: sum(b.status == s for b in bookings) for s in Booking.Status.values},
        },
    )


def _booking(request: HttpRequest, pk: int, booking_pk: int) -> Booking:
    return get_object_or_404(Booking, pk=booking_pk, service_day_id=pk, office_id=request.user.office_id)


@staff_required
@require_POST
def booking_present(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    if not request.user.has_role(*OUTREACH_ROLES):
        return HttpResponseForbidden()
    booking = _booking(request, pk, booking_pk)
    name = request.POST.get("applicant_name", "").strip()
    nik = "".join(request.POST.get("nik", "").split())
    try:
        if request.POST.get("register"):
            if not name:
                raise BookingError(_("Isi nama pemohon untuk mendaftarkan permohonan."))
            if nik and not nik_parse(value=nik).valid:
                raise BookingError(_("NIK tidak valid."))
            application = booking_register(booking=booking, actor=request.user, applicant_name=name, nik=nik)
            messages.success(
                request, _("Permohonan %(code)s didaftarkan (layanan keliling).") % {"code": application.tracking_code}
            )
        else:
            booking_attend(booking=booking, actor=request.user)
            messages.success(request, _("%(name)s ditandai hadir.") % {"name": booking.name or booking.phone})
    except (BookingError, TransitionError) as error:
        messages.error(request, error.message)
    return redirect("console:service_day", pk=pk)


@staff_required
@require_POST
def service_day_announcement(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_role(Role.SERVICE_OFFICER, Role.ADMIN):
        return HttpResponseForbidden()
    day = _day(request, pk)
    try:
        announcement = service_day_announce(service_day=day, actor=request.user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pengumuman dikirim ke %(count)s kontak yang berlangganan.") % {"count": announcement.recipients.count()},
        )
    return redirect("console:service_day", pk=pk)


@staff_required
@require_POST
def programme_announcement(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.SERVICE_OFFICER, Role.ADMIN):
        return HttpResponseForbidden()
    form = ProgrammeAnnouncementForm(request.POST, office=request.user.office)
    if not form.is_valid():
        messages.error(request, _("Periksa isian pengumuman."))
        return redirect("console:service_days")
    try:
        announcement = programme_announce(
            office=request.user.office,
            actor=request.user,
            programme=form.cleaned_data["programme"],
            message=form.cleaned_data["message"],
            village=form.cleaned_data["village"],
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pengumuman dikirim ke %(count)s kontak yang berlangganan.") % {"count": announcement.recipients.count()},
        )
    return redirect("console:service_days")


@staff_required
@require_POST
def templates_sync(request: HttpRequest) -> HttpResponse:
    """Read the templates' approval from Meta now (the hourly job does it too): only Meta approves a template."""
    if not request.user.has_role(Role.SERVICE_OFFICER, Role.ADMIN):
        return HttpResponseForbidden()
    try:
        result = message_templates_sync()
    except TemplateSyncError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Status %(read)s template dibaca dari Meta; %(unknown)s template kantor belum ada di Meta.")
            % {"read": result.read, "unknown": result.unknown},
        )
    return redirect("console:service_days")


# --- Sayang Dilan home visits, from the application page -------------------------------------------------


def home_visit_context(*, application: Application, user: User) -> dict:
    can_plan = (
        application.is_priority
        and application.status not in CLOSED_STATUSES
        and user.office_id == application.office_id
        and user.has_role(*OUTREACH_ROLES)
    )
    return {
        "home_visits": list(application.home_visits.prefetch_related("officers")),
        "can_plan_visit": can_plan,
        "visit_officers": list(
            User.objects.filter(office_id=application.office_id, is_active=True)
            .exclude(role_grants__role=Role.VILLAGE_STAFF)
            .order_by("first_name", "username")
        )
        if can_plan
        else [],
        "visit_bring_default": home_visit_bring_default() if can_plan else "",
    }


def _own_application(request: HttpRequest, code: str) -> Application:
    return get_object_or_404(
        application_list_for_user(user=request.user), tracking_code=code, office_id=request.user.office_id
    )


@staff_required
@require_POST
def home_visit_plan_view(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.has_role(*OUTREACH_ROLES):
        return HttpResponseForbidden()
    application = _own_application(request, code)
    try:
        moment = datetime.fromisoformat(request.POST.get("planned_for", ""))
    except ValueError:
        messages.error(request, _("Isi waktu kunjungan."))
        return redirect("console:application", code=code)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(application.office.time_zone))
    officers = list(User.objects.filter(office_id=application.office_id, pk__in=request.POST.getlist("officers")))
    try:
        home_visit_plan(
            application=application,
            actor=request.user,
            planned_for=moment,
            officers=officers,
            address=request.POST.get("address", "").strip(),
            bring=request.POST.get("bring", "").strip(),
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kunjungan rumah direncanakan; pemohon dikabari lewat WhatsApp."))
    return redirect("console:application", code=code)


@staff_required
@require_POST
def home_visit_record_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    if not request.user.has_role(*OUTREACH_ROLES):
        return HttpResponseForbidden()
    application = _own_application(request, code)
    visit = get_object_or_404(HomeVisit, pk=pk, application=application)
    try:
        home_visit_record(
            visit=visit,
            actor=request.user,
            done=request.POST.get("done") == "1",
            outcome=request.POST.get("outcome", ""),
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Hasil kunjungan dicatat."))
    return redirect("console:application", code=code)
