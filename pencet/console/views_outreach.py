"""Service days (/keliling/): the coming days, one day's list of bookings with "hadir" and on-the-spot registration,
the printed list for the site, the announcement to the village's followers; bookings figures (no-shows)."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pencet.accounts.models import Role
from pencet.cases.services import TransitionError
from pencet.lib.nik import nik_parse
from pencet.outreach.models import Booking, ServiceDay
from pencet.outreach.selectors import office_bookings_figures, service_day_list, service_days_upcoming
from pencet.outreach.services import BookingError, booking_attend, booking_register, service_day_announce

from .decorators import staff_required

OUTREACH_ROLES = (Role.SERVICE_OFFICER, Role.ADMIN, Role.OPERATOR)


def _allowed(request: HttpRequest) -> bool:
    return request.user.office_id is not None and request.user.has_role(*OUTREACH_ROLES, Role.LEADERSHIP)


def _day(request: HttpRequest, pk: int) -> ServiceDay:
    return get_object_or_404(ServiceDay.objects.select_related("village"), pk=pk, office_id=request.user.office_id)


@staff_required
@require_GET
def service_days(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseForbidden()
    office = request.user.office
    today = timezone.localdate()
    return render(
        request,
        "console/outreach/days.html",
        {
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
