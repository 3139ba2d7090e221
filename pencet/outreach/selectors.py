"""Reads: the free hours of a service day or a desk, the service days a citizen may be offered, a day's list and the
figures (bookings, attended, no-shows)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.clocks import office_calendar
from pencet.cases.models import Application
from pencet.catalog.models import MessageTemplate, Service
from pencet.lib.calendar import working_day_bounds
from pencet.regions.models import Region
from pencet.whatsapp.models import Contact

from .models import Booking, Desk, ServiceDay, Subscription

ANNOUNCEMENT_TEMPLATE_EVENTS = (
    MessageTemplate.Event.SERVICE_DAY_ANNOUNCEMENT,
    MessageTemplate.Event.PROGRAMME_ANNOUNCEMENT,
)

SLOT = timedelta(hours=1)
# A booked citizen not marked present this long after the hour began is a no-show: the seat is released, and the
# hour stays on offer until then.
RELEASE_AFTER = timedelta(minutes=30)
# Bookings that hold their hour; a cancelled or released (no-show) one frees it.
HOLDING = (Booking.Status.BOOKED, Booking.Status.ATTENDED)
# How far ahead the bot offers: service days and office desk hours.
OFFER_DAYS = 21
DESK_DAYS = 5


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    free: int


def _zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone)


def _hours(*, start: datetime, end: datetime) -> list[datetime]:
    moments, moment = [], start
    while moment + SLOT <= end:
        moments.append(moment)
        moment += SLOT
    return moments


def _free(*, bookings: QuerySet[Booking], moments: list[datetime], capacity: int, now: datetime) -> list[Slot]:
    taken = Counter(bookings.filter(status__in=HOLDING).values_list("starts_at", flat=True))
    return [
        Slot(starts_at=m, free=capacity - taken[m]) for m in moments if m + RELEASE_AFTER > now and taken[m] < capacity
    ]


def service_day_bounds(*, day: ServiceDay) -> tuple[datetime, datetime]:
    zone = _zone(day.office)
    return datetime.combine(day.date, day.starts_at, zone), datetime.combine(day.date, day.ends_at, zone)


def service_day_slots(*, day: ServiceDay, now: datetime | None = None) -> list[Slot]:
    """The day's hours that still have room, from now on."""
    start, end = service_day_bounds(day=day)
    return _free(
        bookings=day.bookings.all(),
        moments=_hours(start=start, end=end),
        capacity=day.capacity_per_hour,
        now=now or timezone.now(),
    )


def desk_slots(*, desk: Desk, now: datetime | None = None, days: int = DESK_DAYS) -> list[Slot]:
    """The desk's free hours in the office's opening hours over the next `days` working days (today included)."""
    now = now or timezone.now()
    calendar = office_calendar(office=desk.office)
    moments: list[datetime] = []
    day = timezone.localtime(now, _zone(desk.office)).date()
    for _i in range(days * 3):
        bounds = working_day_bounds(calendar=calendar, day=day)
        if bounds is not None:
            moments += _hours(start=bounds[0], end=bounds[1])
            days -= 1
            if days == 0:
                break
        day += timedelta(days=1)
    return _free(bookings=desk.bookings.all(), moments=moments, capacity=desk.capacity_per_hour, now=now)


def desk_for(*, office: Office, purpose: str) -> Desk | None:
    return Desk.objects.filter(office=office, purpose=purpose, is_active=True).first()


def contact_villages(*, contact: Contact) -> list[Region]:
    """Where the citizen is from, as far as the office knows: the villages they follow, then their applications'."""
    followed = Subscription.objects.filter(contact=contact, opted_out_at__isnull=True, village__isnull=False)
    codes = list(followed.values_list("village_id", flat=True))
    applied = Application.objects.filter(contact=contact, village__isnull=False).order_by("-created_at")
    codes += [c for c in applied.values_list("village_id", flat=True)[:5] if c not in codes]
    if contact.staff_user_id:
        codes += [c for c in contact.staff_user.villages.values_list("code", flat=True) if c not in codes]
    by_code = Region.objects.in_bulk(codes)
    return [by_code[c] for c in codes if c in by_code]


def nearby_villages(*, village: Region) -> QuerySet[Region]:
    """The village and the other villages of its district."""
    return Region.objects.filter(Q(pk=village.pk) | Q(parent_id=village.parent_id, level=Region.Level.VILLAGE))


def service_days_upcoming(*, office: Office, today: date | None = None) -> QuerySet[ServiceDay]:
    today = today or timezone.localdate(timezone=_zone(office))
    return ServiceDay.objects.filter(
        office=office, cancelled_at__isnull=True, date__gte=today, date__lte=today + timedelta(days=OFFER_DAYS)
    ).select_related("village")


def service_days_for(*, contact: Contact, service: Service, limit: int = 5) -> list[ServiceDay]:
    """The coming service days offering `service` with free hours: in the citizen's village or its district, the own
    village first; for a citizen whose village the office does not know yet, every coming one (they pick theirs)."""
    villages = contact_villages(contact=contact)
    days = service_days_upcoming(office=contact.office).filter(services=service)
    own = {v.pk for v in villages}
    if villages:
        days = days.filter(Q(village__in=own) | Q(village__parent_id__in={v.parent_id for v in villages}))
    found = [d for d in days if service_day_slots(day=d)]
    found.sort(key=lambda d: (d.village_id not in own, d.date, d.starts_at))
    return found[:limit]


def service_day_list(*, day: ServiceDay) -> list[Booking]:
    """The day's bookings for the site, by hour (cancelled ones left out)."""
    return list(
        day.bookings.exclude(status=Booking.Status.CANCELLED)
        .select_related("service", "application", "contact")
        .order_by("starts_at", "pk")
    )


def bookings_figures(*, bookings: QuerySet[Booking]) -> dict[str, int]:
    counts = Counter(bookings.values_list("status", flat=True))
    return {status: counts.get(status, 0) for status in Booking.Status.values}


def office_bookings_figures(*, office: Office, date_from: date, date_to: date) -> dict[str, dict[str, int]]:
    """Bookings by status, for service days and for the office's desks, in the office's dates."""
    zone = _zone(office)
    start = datetime.combine(date_from, time.min, zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, zone)
    bookings = Booking.objects.filter(office=office, starts_at__gte=start, starts_at__lt=end)
    return {
        "service_day": bookings_figures(bookings=bookings.filter(service_day__isnull=False)),
        "desk": bookings_figures(bookings=bookings.filter(desk__isnull=False)),
    }


def contact_bookings_active(*, contact: Contact) -> QuerySet[Booking]:
    return Booking.objects.filter(contact=contact, status=Booking.Status.BOOKED, starts_at__gt=timezone.now())


def announcement_templates(*, office: Office) -> list[MessageTemplate]:
    """The templates an announcement of `office` may use (its own and the shared ones), with Meta's status."""
    return list(
        MessageTemplate.objects.filter(event__in=ANNOUNCEMENT_TEMPLATE_EVENTS, is_active=True)
        .filter(Q(office=office) | Q(office__isnull=True))
        .order_by("event", "name", "language")
    )
