"""Sayang Dilan home visits: staff plan one from an elderly or disabled citizen's application (when, who, where,
what to bring), the citizen is told at once and reminded the day before, a location shared on WhatsApp gives the
officers a map link, and the outcome is recorded. Each step leaves a note on the application's timeline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import User
from pencet.cases import services as cases
from pencet.cases.models import CLOSED_STATUSES, Application
from pencet.cases.policies import application_can_access
from pencet.catalog.models import MessageTemplate
from pencet.whatsapp.models import InboundMessage

from . import messages as m
from .bookings import BookingError
from .models import HomeVisit
from .sending import contact_language, send_text


def _when(visit: HomeVisit) -> str:
    return m.when(visit.planned_for, ZoneInfo(visit.application.office.time_zone))


@transaction.atomic
def home_visit_plan(
    *,
    application: Application,
    actor: User,
    planned_for: datetime,
    officers: list[User],
    address: str,
    bring: str = "",
) -> HomeVisit:
    if not application_can_access(application=application, user=actor):
        raise BookingError(_("Anda tidak berwenang atas permohonan ini."))
    if not application.is_priority:
        raise BookingError(_("Kunjungan rumah untuk pemohon lansia atau penyandang disabilitas (Sayang Dilan)."))
    if application.status in CLOSED_STATUSES:
        raise BookingError(_("Permohonan ini sudah selesai."))
    if any(o.office_id != application.office_id for o in officers) or not officers:
        raise BookingError(_("Pilih petugas dari kantor ini."))
    if planned_for <= timezone.now():
        raise BookingError(_("Waktu kunjungan harus di masa depan."))
    visit = HomeVisit.objects.create(
        application=application,
        planned_for=planned_for,
        address=address,
        bring=bring or m.home_visit_bring_default(),
        created_by=actor,
    )
    visit.officers.set(officers)
    cases.application_note_add(
        application=application,
        actor=actor,
        note=_("Kunjungan rumah direncanakan: %(at)s, %(address)s.") % {"at": _when(visit), "address": address},
    )
    _tell(visit=visit, reminder=False)
    return visit


def _tell(*, visit: HomeVisit, reminder: bool) -> None:
    application = visit.application
    contact = application.contact
    if contact is None:
        return
    with contact_language(contact):
        name = application.applicant_name or contact.profile_name or "-"
        at = _when(visit)
        officers = ", ".join(o.get_full_name() or o.username for o in visit.officers.all())
        if reminder:
            body = m.home_visit_reminder(name=name, at=at)
        else:
            body = m.home_visit(name=name, at=at, address=visit.address, bring=visit.bring, officers=officers)
        send_text(
            contact=contact,
            body=body,
            template_event=MessageTemplate.Event.HOME_VISIT,
            params=[name, at, visit.address, visit.bring],
            application=application,
        )


@transaction.atomic
def home_visit_record(*, visit: HomeVisit, actor: User, done: bool, outcome: str) -> HomeVisit:
    """What happened at the visit (recorded, biometrics taken, nobody home…)."""
    locked = HomeVisit.objects.select_for_update(of=("self",)).select_related("application").get(pk=visit.pk)
    if not application_can_access(application=locked.application, user=actor):
        raise BookingError(_("Anda tidak berwenang atas permohonan ini."))
    if locked.status != HomeVisit.Status.PLANNED:
        raise BookingError(_("Hasil kunjungan ini sudah dicatat."))
    if not outcome.strip():
        raise BookingError(_("Tulis hasil kunjungan."))
    locked.status = HomeVisit.Status.DONE if done else HomeVisit.Status.FAILED
    locked.outcome = outcome.strip()
    locked.outcome_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "outcome_at"])
    cases.application_note_add(
        application=locked.application,
        actor=actor,
        note=_("Hasil kunjungan rumah (%(status)s): %(outcome)s")
        % {"status": locked.get_status_display(), "outcome": locked.outcome},
    )
    return locked


def home_visits_remind(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    visits = HomeVisit.objects.filter(
        status=HomeVisit.Status.PLANNED, reminded_at__isnull=True, planned_for__gt=now,
        planned_for__lt=now + timedelta(days=2),
    ).select_related("application__office", "application__contact")  # fmt: skip
    for visit in visits:
        zone = ZoneInfo(visit.application.office.time_zone)
        if timezone.localtime(visit.planned_for, zone).date() != timezone.localtime(now, zone).date() + timedelta(1):
            continue
        with transaction.atomic():
            if HomeVisit.objects.filter(pk=visit.pk, reminded_at__isnull=True).update(reminded_at=now):
                _tell(visit=visit, reminder=True)
                sent += 1
    return sent


def home_visit_location_take(*, message: InboundMessage) -> bool:
    """A location shared by a citizen with a planned home visit is kept for the officers' map link. Other locations
    are left to the bot's polite answer."""
    location = (message.payload or {}).get("location") or {}
    try:
        latitude, longitude = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return False
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return False
    visit = (
        HomeVisit.objects.filter(application__contact=message.contact, status=HomeVisit.Status.PLANNED)
        .order_by("planned_for")
        .first()
    )
    if visit is None:
        return False
    with transaction.atomic():
        visit.latitude, visit.longitude = latitude, longitude
        if location.get("address") and not visit.address:
            visit.address = str(location["address"])[:500]
        visit.save(update_fields=["latitude", "longitude", "address"])
        cases.application_note_add(
            application=visit.application, actor=None, note=_("Lokasi dari WhatsApp: %(url)s") % {"url": visit.map_url}
        )
        with contact_language(message.contact):
            send_text(contact=message.contact, body=m.location_noted(), application=visit.application)
    return True
