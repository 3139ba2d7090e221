"""Service clocks: the office's working calendar, stage timers recorded from Events, the service's due moment and
service interruptions (issue 11).

Timers are written by `clock_event_record`, an Event subscriber (settings.PENCET_EVENT_SUBSCRIBERS). The service's
`due_at` is recomputed at every transition: from the first submission, "sehari jadi" (the office's closing time the
same working day when submitted before the cut-off, else the office's hour of the next working day) or the service's
working hours, converted to a budget of working time and pushed later by every pause: the citizen's turn (returned)
and service interruptions while the application sat in a stage that needs SIAK.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User
from pencet.catalog.models import Stage
from pencet.catalog.services import service_same_day, service_stage_minutes, service_target_hours
from pencet.lib.calendar import (
    Interval,
    NationalHolidaysAnd,
    WorkingCalendar,
    calendar_add,
    calendar_between,
    working_day_bounds,
    working_day_next,
)
from pencet.whatsapp.services import outbox_enqueue

from .events import event_subscriber
from .models import CLOSED_STATUSES, Application, DeliveryPreference, Event, Status
from .models_clocks import InterruptionNotice, ServiceInterruption, StageTimer
from .recipients import application_recipient

STATUS_STAGE: dict[str, str] = {
    Status.SUBMITTED: Stage.REVIEW,
    Status.RETURNED: Stage.WAITING_CITIZEN,
    Status.AWAITING_DECISION: Stage.HEAD_DECISION,
    Status.ACCEPTED: Stage.FORUM,
    Status.IN_PROCESS: Stage.SIAK,
    Status.AWAITING_VERIFICATION: Stage.VERIFICATION,
    Status.AWAITING_SIGNATURE: Stage.SIGNATURE,
    Status.READY: Stage.DELIVERY,
}
# Input, verification and the signed print all happen in SIAK: an interruption stops these clocks.
SIAK_STAGES = frozenset({Stage.SIAK, Stage.VERIFICATION, Stage.SIGNATURE})
# Whose queue a stage sits in, i.e. who is alerted when it runs over.
STAGE_ROLES: dict[str, str] = {
    Stage.REVIEW: Role.SERVICE_OFFICER,
    Stage.HEAD_DECISION: Role.SIGNER,
    Stage.FORUM: Role.OPERATOR,
    Stage.SIAK: Role.OPERATOR,
    Stage.VERIFICATION: Role.VERIFIER,
    Stage.SIGNATURE: Role.SIGNER,
    Stage.DELIVERY: Role.SERVICE_OFFICER,
}
# Who may open and close an interruption: whoever works the desk, not leadership or village staff.
INTERRUPTION_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VERIFIER, Role.SIGNER, Role.ADMIN)
# Applications waiting on SIAK work; their citizens are told about an interruption.
WAITING_ON_SIAK = (Status.ACCEPTED, Status.IN_PROCESS, Status.AWAITING_VERIFICATION, Status.AWAITING_SIGNATURE)


class ClockError(Exception):
    """A refused clock action; the message is safe to show to the officer."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- The office's calendar ---


def office_calendar(*, office: Office) -> WorkingCalendar:
    """Opening hours per weekday (or the office's single opening time), national holidays, cuti bersama, days off."""
    rows = list(office.opening_hours.all())
    if rows:
        hours = {r.weekday: (r.opens_at, r.closes_at) for r in rows}
    else:
        hours = {d: (office.opens_at, office.closes_at) for d in office.working_weekdays}
    days_off = office.days_off.values_list("date", flat=True)
    return WorkingCalendar(tz=office.time_zone, hours=hours, closed=NationalHolidaysAnd(days_off))


def office_working_time_add(*, office: Office, start: datetime, hours: float) -> datetime:
    return calendar_add(calendar=office_calendar(office=office), start=start, duration=timedelta(hours=hours))


def office_interruptions(*, office: Office, start: datetime, end: datetime, now: datetime) -> list[Interval]:
    """Interruptions overlapping [start, end), an open one lasting until `now`."""
    rows = ServiceInterruption.objects.filter(office=office, opened_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=start)
    )
    return [(max(r.opened_at, start), min(r.closed_at or now, end)) for r in rows]


def office_interruption_open(*, office: Office) -> ServiceInterruption | None:
    return ServiceInterruption.objects.filter(office=office, closed_at__isnull=True).order_by("opened_at").first()


# --- Stage timers ---


def stage_target_minutes(*, application: Application, stage: str) -> int | None:
    # Waiting for a pickup is the citizen's time, like waiting for a fixed file.
    if stage == Stage.DELIVERY and application.delivery_preference == DeliveryPreference.PICKUP:
        return None
    return service_stage_minutes(service=application.service, stage=stage)


def office_interruptions_since(*, office: Office, start: datetime) -> list[ServiceInterruption]:
    """Every interruption open now or closed after `start`, read once for many timers (see timer_pauses)."""
    rows = ServiceInterruption.objects.filter(office=office)
    return list(rows.filter(Q(closed_at__isnull=True) | Q(closed_at__gt=start)))


def timer_pauses(
    *, timer: StageTimer, office: Office, now: datetime, interruptions: list[ServiceInterruption] | None = None
) -> list[Interval]:
    """The interruptions pausing a SIAK stage; `interruptions` (office_interruptions_since the timer started) saves
    the query per timer when many are timed at once."""
    if timer.stage not in SIAK_STAGES:
        return []
    end = timer.ended_at or now
    if interruptions is None:
        return office_interruptions(office=office, start=timer.started_at, end=end, now=now)
    return [
        (max(r.opened_at, timer.started_at), min(r.closed_at or now, end))
        for r in interruptions
        if r.opened_at < end and (r.closed_at is None or r.closed_at > timer.started_at)
    ]


def timer_due(
    *,
    timer: StageTimer,
    office: Office,
    calendar: WorkingCalendar,
    now: datetime,
    interruptions: list[ServiceInterruption] | None = None,
) -> datetime | None:
    if timer.target_minutes is None:
        return None
    paused = calendar.with_pauses(timer_pauses(timer=timer, office=office, now=now, interruptions=interruptions))
    return calendar_add(calendar=paused, start=timer.started_at, duration=timedelta(minutes=timer.target_minutes))


def timer_working_time(
    *,
    timer: StageTimer,
    office: Office,
    calendar: WorkingCalendar,
    now: datetime,
    interruptions: list[ServiceInterruption] | None = None,
) -> timedelta:
    end = timer.ended_at or now
    paused = calendar.with_pauses(timer_pauses(timer=timer, office=office, now=now, interruptions=interruptions))
    return calendar_between(calendar=paused, start=timer.started_at, end=end)


def _timer_close(*, timer: StageTimer, office: Office, calendar: WorkingCalendar, event: Event) -> None:
    timer.ended_at = event.created_at
    timer.ended_event = event
    working = timer_working_time(timer=timer, office=office, calendar=calendar, now=event.created_at)
    timer.working_seconds = int(working.total_seconds())
    timer.wall_seconds = int((timer.ended_at - timer.started_at).total_seconds())
    timer.due_at = timer_due(timer=timer, office=office, calendar=calendar, now=event.created_at)
    timer.target_met = None if timer.target_minutes is None else working <= timedelta(minutes=timer.target_minutes)
    timer.save()


def _changes_stage(event: Event) -> bool:
    # Notes, due changes, take-overs, the draft being created: no stage changes.
    return bool(event.from_status) and event.from_status != event.to_status


def _stage_change(*, application: Application, event: Event, office: Office, calendar: WorkingCalendar) -> None:
    for timer in StageTimer.objects.filter(application=application, ended_at__isnull=True):
        _timer_close(timer=timer, office=office, calendar=calendar, event=event)
    stage = STATUS_STAGE.get(event.to_status)
    if stage is not None:
        timer = StageTimer(
            application=application,
            office_id=application.office_id,
            stage=stage,
            started_at=event.created_at,
            started_event=event,
            target_minutes=stage_target_minutes(application=application, stage=stage),
        )
        timer.due_at = timer_due(timer=timer, office=office, calendar=calendar, now=event.created_at)
        timer.save()


@event_subscriber(when=lambda event: _changes_stage(event))
def clock_event_record(*, event: Event) -> None:
    """Event subscriber: a status change ends the open stage, starts the next one and recomputes `due_at`.

    It runs after commit, possibly late and out of order (a failed delivery retried after the next step's): under
    the application's row lock it records, oldest first, every status change up to `event` not yet recorded, so an
    older event arriving last finds itself done and a retried one changes nothing.
    """
    if not _changes_stage(event):
        return
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("service", "office").get(pk=event.application_id)
        )
        marks = StageTimer.objects.filter(application=application).aggregate(
            started=Max("started_event_id"), ended=Max("ended_event_id")
        )
        recorded = max((m for m in marks.values() if m is not None), default=0)
        pending = [
            e for e in application.events.filter(pk__gt=recorded, pk__lte=event.pk).order_by("pk") if _changes_stage(e)
        ]
        if not pending:
            return
        office = application.office
        calendar = office_calendar(office=office)
        for step in pending:
            _stage_change(application=application, event=step, office=office, calendar=calendar)
        application_due_refresh(application=application, now=event.created_at, announce=pending[-1].kind != "submit")


# --- The service's due moment ---


def _service_budget(*, application: Application, calendar: WorkingCalendar, start: datetime) -> timedelta:
    service = application.service
    if not service_same_day(service=service):
        return timedelta(hours=service_target_hours(service=service))
    office = application.office
    # A submission at night or on a Sunday counts from the next opening.
    effective = calendar_add(calendar=calendar, start=start, duration=timedelta(0)).astimezone(calendar.zone)
    day = effective.date()
    if effective.time() < office.cutoff_time:
        deadline = working_day_bounds(calendar=calendar, day=day)[1]
    else:
        next_day = working_day_next(calendar=calendar, after=day)
        opens, closes = working_day_bounds(calendar=calendar, day=next_day)
        deadline = min(max(datetime.combine(next_day, office.next_day_hour, calendar.zone), opens), closes)
    return calendar_between(calendar=calendar, start=effective, end=deadline)


def application_service_pauses(*, application: Application, now: datetime) -> list[Interval]:
    """The citizen's turns (returned) and interruptions while the application was in a SIAK stage."""
    pauses: list[Interval] = []
    for timer in application.stage_timers.filter(stage__in=[Stage.WAITING_CITIZEN, *SIAK_STAGES]):
        if timer.stage == Stage.WAITING_CITIZEN:
            pauses.append((timer.started_at, timer.ended_at or now))
        else:
            pauses += timer_pauses(timer=timer, office=application.office, now=now)
    return pauses


def application_due_compute(*, application: Application, now: datetime | None = None) -> datetime | None:
    """When the whole service is due; None while the clock waits for the citizen (returned) or never started."""
    if application.status in CLOSED_STATUSES or application.status == Status.DRAFT:
        return application.due_at
    if application.submitted_at is None or application.status == Status.RETURNED:
        return None
    now = now or timezone.now()
    calendar = office_calendar(office=application.office)
    budget = _service_budget(application=application, calendar=calendar, start=application.submitted_at)
    paused = calendar.with_pauses(application_service_pauses(application=application, now=now))
    return calendar_add(calendar=paused, start=application.submitted_at, duration=budget)


def _format_due(*, moment: datetime, office: Office) -> str:
    local = timezone.localtime(moment, office_calendar(office=office).zone)
    return local.strftime("%d-%m-%Y %H:%M %Z")


def application_due_change(*, application: Application, due_at: datetime) -> Event:
    """Store the new due moment and leave a "due_changed" Event for the citizen's notification."""
    Application.objects.filter(pk=application.pk).update(due_at=due_at)
    application.due_at = due_at
    return Event.objects.create(
        application=application,
        actor=None,
        actor_label="sistem",
        kind="due_changed",
        from_status=application.status,
        to_status=application.status,
        note=_("Perkiraan selesai: %(due)s") % {"due": _format_due(moment=due_at, office=application.office)},
        data={"due_at": timezone.localtime(due_at, office_calendar(office=application.office).zone).isoformat()},
    )


def application_due_refresh(*, application: Application, now: datetime | None = None, announce: bool = True) -> None:
    """Recompute `due_at`; a new moment the citizen should know of becomes a "due_changed" Event."""
    new = application_due_compute(application=application, now=now)
    if new == application.due_at:
        return
    if new is not None and announce:
        application_due_change(application=application, due_at=new)
        return
    Application.objects.filter(pk=application.pk).update(due_at=new)
    application.due_at = new


# --- Service interruptions ---


def _interruption_check_actor(*, office: Office, actor: User) -> None:
    if actor.office_id != office.pk or not actor.has_role(*INTERRUPTION_ROLES):
        raise ClockError(_("Anda tidak berwenang mencatat gangguan layanan kantor ini."), code="forbidden")


def interruption_notify(*, interruption: ServiceInterruption) -> int:
    """Tell each citizen waiting on SIAK work once, politely; answers how many were told."""
    told = 0
    waiting = Application.objects.filter(office_id=interruption.office_id, status__in=WAITING_ON_SIAK)
    for application in waiting.select_related("contact", "office").order_by("submitted_at", "pk"):
        contact = application_recipient(application=application)
        if contact is None or InterruptionNotice.objects.filter(interruption=interruption, contact=contact).exists():
            continue
        InterruptionNotice.objects.create(interruption=interruption, contact=contact, application=application)
        with translation.override(contact.language or "id"):
            reason = str(interruption.get_kind_display())
            body = _(
                "Mohon maaf, saat ini layanan kami terganggu (%(reason)s). Permohonan %(code)s tetap aman dan akan "
                "kami lanjutkan begitu layanan pulih. Perkiraan selesai akan kami sampaikan kembali. "
                "Terima kasih atas kesabaran Anda."
            ) % {"reason": reason.lower(), "code": application.tracking_code}
        outbox_enqueue(
            contact=contact,
            kind="text",
            payload={"body": body},
            application=application,
            template_event="status_update",
            template_params=[application.applicant_name or "-", application.tracking_code, reason],
        )
        told += 1
    return told


@transaction.atomic
def interruption_open(*, office: Office, actor: User, kind: str, note: str = "") -> ServiceInterruption:
    _interruption_check_actor(office=office, actor=actor)
    if kind not in ServiceInterruption.Kind.values:
        raise ClockError(_("Jenis gangguan tidak dikenal."), code="bad_kind")
    interruption = ServiceInterruption.objects.create(
        office=office, kind=kind, note=note.strip(), opened_at=timezone.now(), opened_by=actor
    )
    interruption_notify(interruption=interruption)
    return interruption


@transaction.atomic
def interruption_close(*, interruption: ServiceInterruption, actor: User, note: str = "") -> ServiceInterruption:
    """End it; the SIAK stages it paused get their due moments pushed by the working time it lasted."""
    locked = ServiceInterruption.objects.select_for_update().get(pk=interruption.pk)
    _interruption_check_actor(office=locked.office, actor=actor)
    if locked.closed_at is not None:
        raise ClockError(_("Gangguan ini sudah ditutup."), code="already_closed")
    now = timezone.now()
    locked.closed_at, locked.closed_by, locked.close_note = now, actor, note.strip()
    locked.save()
    office = locked.office
    calendar = office_calendar(office=office)
    touched = StageTimer.objects.filter(office=office, stage__in=SIAK_STAGES, started_at__lt=now).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=locked.opened_at)
    )
    for timer in touched.filter(ended_at__isnull=True):
        timer.due_at = timer_due(timer=timer, office=office, calendar=calendar, now=now)
        timer.save(update_fields=["due_at"])
    ids = set(touched.values_list("application_id", flat=True))
    for application in Application.objects.filter(pk__in=ids).select_related("service", "office"):
        application_due_refresh(application=application, now=now)
    interruption.__dict__.update(locked.__dict__)
    return locked


# --- Reading the clock ---


@dataclass(frozen=True)
class StageClock:
    stage: str
    label: str
    role: str | None
    started_at: datetime
    ended_at: datetime | None
    due_at: datetime | None
    target_minutes: int | None
    working_seconds: int
    wall_seconds: int
    target_met: bool | None  # None: no target, or still running within it
    overdue: bool
    paused: bool


def stage_clock(
    *,
    timer: StageTimer,
    office: Office,
    calendar: WorkingCalendar,
    now: datetime,
    interruptions: list[ServiceInterruption] | None = None,
) -> StageClock:
    """`interruptions`: office_interruptions_since the timer started, when many clocks are read at once."""
    running = timer.ended_at is None
    if running:
        read = {"office": office, "calendar": calendar, "now": now, "interruptions": interruptions}
        working = timer_working_time(timer=timer, **read)
        due = timer_due(timer=timer, **read)
        wall = int((now - timer.started_at).total_seconds())
        over = timer.target_minutes is not None and working > timedelta(minutes=timer.target_minutes)
        met = False if over else None
    else:
        working = timedelta(seconds=timer.working_seconds or 0)
        due, wall, met = timer.due_at, timer.wall_seconds or 0, timer.target_met
        over = met is False
    if not running or timer.stage not in SIAK_STAGES:
        paused = False
    elif interruptions is not None:
        paused = any(r.closed_at is None for r in interruptions)
    else:
        paused = office_interruption_open(office=office) is not None
    return StageClock(
        stage=timer.stage,
        label=str(Stage(timer.stage).label),
        role=STAGE_ROLES.get(timer.stage),
        started_at=timer.started_at,
        ended_at=timer.ended_at,
        due_at=due,
        target_minutes=timer.target_minutes,
        working_seconds=int(working.total_seconds()),
        wall_seconds=max(wall, 0),
        target_met=met,
        overdue=over,
        paused=paused,
    )


def application_stage_clocks(*, application: Application, now: datetime | None = None) -> list[StageClock]:
    now = now or timezone.now()
    office = application.office
    calendar = office_calendar(office=office)
    return [stage_clock(timer=t, office=office, calendar=calendar, now=now) for t in application.stage_timers.all()]


def application_due_at_submission(*, application: Application, submitted_at: datetime) -> datetime:
    """The due moment a first submission promises (no pauses can have happened yet)."""
    calendar = office_calendar(office=application.office)
    budget = _service_budget(application=application, calendar=calendar, start=submitted_at)
    return calendar_add(calendar=calendar, start=submitted_at, duration=budget)
