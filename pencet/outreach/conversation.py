"""What this app adds to the citizen's WhatsApp conversation, through the bot's hooks (settings):

    PENCET_BOT_SERVICE_INFO_HOOKS: in_person_offer(*, contact, office, service)   after a service's information
    PENCET_BOT_INBOUND_HOOKS:      booking_reply(*, message) -> bool              before the bot reads a message

The bot and this app are siblings in one layer and never import each other: the bot names no outreach code, it
calls whatever settings list (as the channel calls WHATSAPP_INBOUND_HANDLER). The conversation here needs no state
of its own: every option carries what it stands for in its id ("ol:…"), and each tap is checked against the
database (the hour still free, the booking still the contact's), so a stale or repeated tap changes nothing.

    ol:d:<day>:<service>              a service day: list its free hours
    ol:o:<service>                    the office's recording desk: list its free hours
    ol:s:<day>:<service>:<unix>[:<booking>]    book (or move `booking` to) that hour of a service day
    ol:k:<desk>:<service>:<unix>[:<booking>]   the same at a desk
    ol:p:<application>                pickup of a ready document: the pickup desk's free hours
    ol:x:<booking> / ol:m:<booking>   cancel / move
    ol:f:<village>                    follow the village's service days (announcements)

Typed, as a whole message: `info desa` follows the village the office knows for the contact; `berhenti` (from a
follower) ends every subscription.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from pencet.accounts.models import Office
from pencet.cases.models import Application, Status
from pencet.catalog.models import Service
from pencet.regions.models import Region
from pencet.whatsapp.models import Contact, InboundMessage

from . import announcements, visits
from . import messages as m
from .bookings import BookingError, booking_cancel, booking_create, booking_move
from .models import Booking, Desk, ServiceDay
from .selectors import Slot, desk_for, desk_slots, service_day_slots, service_days_for
from .sending import contact_language, send_rows, send_text

REPLY_TYPES = ("interactive", "button")
# A list shows at most 10 rows.
MAX_ROWS = 10


def in_person_offer(*, contact: Contact, office: Office, service: Service) -> None:
    """For a service that needs the citizen there (first KTP-el recording, a biometric update, an original to be
    checked: the catalogue's `in_person`): the coming service days near them and the office's recording desk."""
    if not service.in_person:
        return
    days = service_days_for(contact=contact, service=service, limit=MAX_ROWS - 1)
    desk = desk_for(office=office, purpose=Desk.Purpose.RECORDING)
    if not days and desk is None:
        return
    zone = _zone(office)
    day_rows = [
        (
            f"ol:d:{d.pk}:{service.pk}",
            d.village.name,
            f"{m.short_when(datetime.combine(d.date, d.starts_at, zone), zone)}–{d.ends_at:%H.%M} · {d.place}",
        )
        for d in days
    ]
    office_rows = [(f"ol:o:{service.pk}", m.office_row(), m.office_row_description())] if desk else []
    send_rows(
        contact=contact,
        body=m.in_person_offer(
            service=service.name,
            has_days=bool(days),
            reason=_lowercase_first(str(service.get_in_person_display())),
            originals=[r.short_name for r in service.requirements.all() if r.original_shown],
        ),
        button=str(m.LIST_BUTTON),
        sections=[(str(m.SECTION_DAYS), day_rows), (str(m.SECTION_OFFICE), office_rows)],
    )


def _lowercase_first(text: str) -> str:
    """A label inside a sentence: "Perekaman KTP-el pertama" → "perekaman KTP-el pertama"."""
    return text[:1].lower() + text[1:]


def pickup_offer(*, application: Application) -> None:
    """After a document is ready for pickup: the pickup desk's hours (an event subscriber calls this)."""
    contact = application.contact
    desk = desk_for(office=application.office, purpose=Desk.Purpose.PICKUP)
    if contact is None or desk is None:
        return
    with contact_language(contact):
        _hours_send(
            contact=contact,
            slots=desk_slots(desk=desk),
            prefix=f"ol:k:{desk.pk}:{application.service_id}",
            suffix=f"::{application.pk}",
            zone=_zone(application.office),
            body=m.pickup_offer(code=application.tracking_code),
        )


def _zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone)


def _hours_send(
    *, contact: Contact, slots: list[Slot], prefix: str, zone: ZoneInfo, body: str, suffix: str = ""
) -> None:
    if not slots:
        send_text(contact=contact, body=m.nothing_free())
        return
    rows = [
        (f"{prefix}:{int(s.starts_at.timestamp())}{suffix}", m.short_when(s.starts_at, zone), m.seats(s.free))
        for s in slots[:MAX_ROWS]
    ]
    send_rows(contact=contact, body=body, button=str(m.LIST_BUTTON), sections=[(str(m.SECTION_HOURS), rows)])


def booking_reply(*, message: InboundMessage) -> bool:
    """Answer a tap on one of this app's options, `berhenti` from a follower, or a shared location for a planned
    home visit. True when answered (the bot then reads nothing of the message)."""
    contact = message.contact
    if message.type == "location":
        return visits.home_visit_location_take(message=message)
    if message.type == "text":
        return announcements.subscription_stop_word(
            contact=contact, text=message.text
        ) or announcements.subscription_follow_word(contact=contact, text=message.text)
    if message.type not in REPLY_TYPES or not message.reply_id.startswith("ol:"):
        return False
    parts = message.reply_id.split(":")[1:]
    with transaction.atomic():
        try:
            _reply(contact=contact, kind=parts[0], args=parts[1:])
        except BookingError as error:
            send_text(contact=contact, body=error.message)
        except (ValueError, IndexError, ServiceDay.DoesNotExist, Desk.DoesNotExist, Booking.DoesNotExist):
            send_text(contact=contact, body=m.booking_gone())
    return True


def _moment(unix: str) -> datetime:
    return datetime.fromtimestamp(int(unix), tz=UTC)


def _booking_of(contact: Contact, pk: str) -> Booking:
    return Booking.objects.select_related("service_day", "desk").get(pk=int(pk), contact=contact)


def _reply(*, contact: Contact, kind: str, args: list[str]) -> None:
    office = contact.office
    zone = _zone(office)
    if kind == "d":
        day = ServiceDay.objects.get(pk=int(args[0]), office=office, cancelled_at__isnull=True)
        _hours_send(
            contact=contact,
            slots=service_day_slots(day=day),
            prefix=f"ol:s:{day.pk}:{int(args[1])}",
            zone=zone,
            body=m.pick_hour(place=f"{day.place}, {day.village.name}"),
            suffix=f":{args[2]}" if len(args) > 2 else "",
        )
    elif kind == "o":
        desk = desk_for(office=office, purpose=Desk.Purpose.RECORDING)
        if desk is None:
            raise Desk.DoesNotExist
        _hours_send(
            contact=contact,
            slots=desk_slots(desk=desk),
            prefix=f"ol:k:{desk.pk}:{int(args[0])}",
            zone=zone,
            body=m.pick_hour(place=office.name),
            suffix=f":{args[1]}" if len(args) > 1 else "",
        )
    elif kind in ("s", "k"):
        place_pk, service_pk, unix = int(args[0]), int(args[1]), args[2]
        moving = args[3] if len(args) > 3 and args[3] else ""
        application_pk = args[4] if len(args) > 4 and args[4] else ""
        place = {"service_day": None, "desk": None}
        if kind == "s":
            place["service_day"] = ServiceDay.objects.get(pk=place_pk, office=office, cancelled_at__isnull=True)
        else:
            place["desk"] = Desk.objects.get(pk=place_pk, office=office, is_active=True)
        if moving:
            booking_move(booking=_booking_of(contact, moving), starts_at=_moment(unix))
            return
        application = None
        if application_pk:
            application = Application.objects.get(pk=int(application_pk), contact=contact, status=Status.READY)
        booking_create(
            contact=contact,
            service=Service.objects.get(pk=service_pk),
            starts_at=_moment(unix),
            application=application,
            **place,
        )
    elif kind == "x":
        booking_cancel(booking=_booking_of(contact, args[0]))
    elif kind == "m":
        booking = _booking_of(contact, args[0])
        if booking.status != Booking.Status.BOOKED:
            raise BookingError(m.booking_gone())
        service_pk = booking.service_id or 0
        if booking.service_day_id:
            _reply(contact=contact, kind="d", args=[str(booking.service_day_id), str(service_pk), str(booking.pk)])
        else:
            _hours_send(
                contact=contact,
                slots=desk_slots(desk=booking.desk),
                prefix=f"ol:k:{booking.desk_id}:{service_pk}",
                zone=zone,
                body=m.pick_hour(place=office.name),
                suffix=f":{booking.pk}",
            )
    elif kind == "f":
        village = Region.objects.get(pk=args[0], level=Region.Level.VILLAGE)
        announcements.subscription_follow(contact=contact, village=village)
    else:
        raise ValueError(kind)
