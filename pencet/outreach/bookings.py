"""Service days and desks, and the bookings of their hours: plan, book, cancel, move, come, register on the spot,
release the no-shows, remind the day before."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, User
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel
from pencet.catalog.models import MessageTemplate, Service
from pencet.regions.models import Region
from pencet.whatsapp.models import Contact

from . import messages as m
from .models import Booking, Desk, ServiceDay
from .selectors import RELEASE_AFTER, desk_slots, service_day_slots
from .sending import contact_language, send_buttons, send_text


class BookingError(Exception):
    """A booking that cannot be made or changed; the message is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def service_day_plan(
    *,
    office: Office,
    actor: User | None,
    programme: str,
    place: str,
    place_kind: str,
    village: Region,
    day: date,
    starts_at: time,
    ends_at: time,
    services: list[Service],
    capacity_per_hour: int,
    note: str = "",
) -> ServiceDay:
    """An outreach day at a village office or school of the office's regency."""
    if not village.code.startswith(office.regency_id + ".") or village.level != Region.Level.VILLAGE:
        raise BookingError(_("Desa/kelurahan harus di wilayah kantor ini."))
    if ends_at <= starts_at:
        raise BookingError(_("Jam selesai harus setelah jam mulai."))
    if capacity_per_hour < 1 or not services:
        raise BookingError(_("Isi kapasitas per jam dan paling sedikit satu layanan."))
    service_day = ServiceDay.objects.create(
        office=office,
        programme=programme,
        place=place,
        place_kind=place_kind,
        village=village,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity_per_hour=capacity_per_hour,
        note=note,
        created_by=actor,
    )
    service_day.services.set(services)
    return service_day


def _zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone)


def _slot_free(*, service_day: ServiceDay | None, desk: Desk | None, starts_at: datetime) -> bool:
    slots = service_day_slots(day=service_day) if service_day else desk_slots(desk=desk)
    return any(s.starts_at == starts_at for s in slots)


@transaction.atomic
def booking_create(
    *,
    contact: Contact | None,
    service: Service | None,
    starts_at: datetime,
    service_day: ServiceDay | None = None,
    desk: Desk | None = None,
    application: Application | None = None,
    name: str = "",
    phone: str = "",
    notify: bool = True,
) -> Booking:
    """Book one hour; refused when the hour is full or gone. The place's row is locked, so two citizens tapping the
    last seat at once cannot both get it."""
    place = service_day or desk
    type(place).objects.select_for_update().get(pk=place.pk)
    if service_day is not None and service is not None and not service_day.services.filter(pk=service.pk).exists():
        raise BookingError(_("Layanan ini tidak dibuka pada layanan keliling itu."))
    if not _slot_free(service_day=service_day, desk=desk, starts_at=starts_at):
        raise BookingError(m.full())
    booking = Booking.objects.create(
        office=place.office,
        service_day=service_day,
        desk=desk,
        starts_at=starts_at,
        service=service,
        contact=contact,
        application=application,
        name=name or (contact.profile_name if contact else ""),
        phone=phone or ((contact.phone or "") if contact else ""),
    )
    if notify and contact is not None:
        booking_confirmation_send(booking=booking)
    return booking


def booking_where(booking: Booking) -> tuple[str, str]:
    """The place's name and address line as the citizen reads them."""
    if booking.service_day_id:
        day = booking.service_day
        return day.place, f"{day.village.name}"
    return booking.office.name, booking.office.address


def booking_confirmation_send(*, booking: Booking) -> None:
    contact = booking.contact
    with contact_language(contact):
        place, address = booking_where(booking)
        at = m.when(booking.starts_at, _zone(booking.office))
        body = m.booked(service=booking.service.name if booking.service else "", place=place, at=at, address=address)
        buttons = [(f"ol:x:{booking.pk}", str(m.BTN_CANCEL)), (f"ol:m:{booking.pk}", str(m.BTN_MOVE))]
        if booking.service_day_id:
            buttons.append((f"ol:f:{booking.service_day.village_id}", str(m.BTN_FOLLOW)))
        send_buttons(contact=contact, body=body, buttons=buttons)


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service_day", "desk", "office")
        .get(pk=booking.pk)
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, notify: bool = True) -> Booking:
    locked = _lock(booking)
    if locked.status != Booking.Status.BOOKED:
        raise BookingError(m.booking_gone())
    locked.status = Booking.Status.CANCELLED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    if notify and locked.contact is not None:
        with contact_language(locked.contact):
            send_text(contact=locked.contact, body=m.cancelled())
    return locked


@transaction.atomic
def booking_move(*, booking: Booking, starts_at: datetime) -> Booking:
    """Another hour at the same place."""
    locked = _lock(booking)
    if locked.status != Booking.Status.BOOKED:
        raise BookingError(m.booking_gone())
    place = locked.service_day or locked.desk
    type(place).objects.select_for_update().get(pk=place.pk)
    if not _slot_free(service_day=locked.service_day, desk=locked.desk, starts_at=starts_at):
        raise BookingError(m.full())
    locked.starts_at = starts_at
    locked.moves += 1
    locked.reminded_at = None
    locked.save(update_fields=["starts_at", "moves", "reminded_at"])
    if locked.contact is not None:
        booking_confirmation_send(booking=locked)
    return locked


@transaction.atomic
def booking_attend(*, booking: Booking, actor: User) -> Booking:
    """Staff mark the citizen present (also a released no-show who came late after all)."""
    locked = _lock(booking)
    if locked.office_id != actor.office_id:
        raise BookingError(_("Janji temu ini bukan dari kantor Anda."))
    if locked.status not in (Booking.Status.BOOKED, Booking.Status.NO_SHOW, Booking.Status.ATTENDED):
        raise BookingError(m.booking_gone())
    if locked.status != Booking.Status.ATTENDED:
        locked.status = Booking.Status.ATTENDED
        locked.attended_at = timezone.now()
        locked.closed_at = locked.attended_at
        locked.save(update_fields=["status", "attended_at", "closed_at"])
    return locked


@transaction.atomic
def booking_register(
    *, booking: Booking, actor: User, applicant_name: str, nik: str = "", phone: str = "", **fields: object
) -> Application:
    """Register the booked citizen's application on the spot (channel "layanan keliling" at a service day, walk-in
    at an office desk) and submit it to the review queue; the citizen is marked present."""
    locked = booking_attend(booking=booking, actor=actor)
    if locked.application_id is not None and locked.service_day_id:
        raise BookingError(_("Permohonan untuk janji temu ini sudah didaftarkan: %(code)s.") % {
            "code": locked.application.tracking_code
        })  # fmt: skip
    if locked.service is None:
        raise BookingError(_("Janji temu ini tidak menyebut layanannya."))
    channel = Channel.SERVICE_DAY if locked.service_day_id else Channel.WALK_IN
    if locked.service_day_id:
        fields.setdefault("village", locked.service_day.village)
    application = cases.application_create(
        office=locked.office,
        service=locked.service,
        channel=channel,
        actor=actor,
        contact=locked.contact,
        applicant_name=applicant_name,
        nik=nik,
        phone=phone or locked.phone,
        **fields,
    )
    cases.application_submit(application=application, actor=actor, actor_label="")
    locked.application = application
    locked.save(update_fields=["application"])
    return application


def bookings_release_no_shows(*, now: datetime | None = None) -> int:
    """Bookings whose citizen did not come within RELEASE_AFTER of the hour: released (no-show, counted)."""
    now = now or timezone.now()
    due = Booking.objects.filter(status=Booking.Status.BOOKED, starts_at__lt=now - RELEASE_AFTER)
    return due.update(status=Booking.Status.NO_SHOW, closed_at=now)


def bookings_remind(*, now: datetime | None = None) -> int:
    """The day before (in the office's time zone), each booked citizen is reminded once; returns how many."""
    now = now or timezone.now()
    sent = 0
    candidates = Booking.objects.filter(
        status=Booking.Status.BOOKED,
        reminded_at__isnull=True,
        contact__isnull=False,
        starts_at__gt=now,
        starts_at__lt=now + timedelta(days=2),
    ).select_related("office", "service", "service_day__village", "desk", "contact")
    for booking in candidates:
        zone = _zone(booking.office)
        if timezone.localtime(booking.starts_at, zone).date() != timezone.localtime(now, zone).date() + timedelta(1):
            continue
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            booking_reminder_send(booking=booking)
            sent += 1
    return sent


def booking_reminder_send(*, booking: Booking) -> None:
    contact = booking.contact
    with contact_language(contact):
        place, _address = booking_where(booking)
        at = m.when(booking.starts_at, _zone(booking.office))
        service = booking.service.name if booking.service else ""
        name = booking.name or contact.profile_name or "-"
        send_buttons(
            contact=contact,
            body=m.reminder(name=name, service=service, place=place, at=at),
            buttons=[(f"ol:x:{booking.pk}", str(m.BTN_CANCEL)), (f"ol:m:{booking.pk}", str(m.BTN_MOVE))],
            template_event=MessageTemplate.Event.APPOINTMENT_REMINDER,
            params=[name, service, place, at],
        )
