"""Overdue is visible and acted on: alerts to the stage's on-duty staff, escalation to the head of office, the
console's overdue list and the head of office's morning digest. Run by the periodic tasks in tasks_clocks.py.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User
from pencet.catalog.models import Stage
from pencet.lib.calendar import working_day_bounds, working_day_is

from .clocks import STAGE_ROLES, StageClock, office_calendar, office_interruptions_since, stage_clock
from .models import OPEN_STATUSES, Application, Status
from .models_clocks import ClockAlert, DailyDigest, StageTimer

# A stage this far over its target goes to the head of office as well.
ESCALATION_FACTOR = 2
DUE_SOON = timedelta(hours=1)


@dataclass(frozen=True)
class RunningStage:
    application: Application
    clock: StageClock
    timer_id: int


def stage_timers_running(*, offices: list[Office] | None = None) -> QuerySet[StageTimer]:
    """The running timers with a target of open applications: of `offices`, or of every office when None."""
    timers = StageTimer.objects.filter(
        application__status__in=OPEN_STATUSES, ended_at__isnull=True, target_minutes__isnull=False
    )
    return timers if offices is None else timers.filter(office__in=offices)


def stage_timers_overdue(*, now: datetime, offices: list[Office] | None = None) -> QuerySet[StageTimer]:
    """What counts as overdue now, wherever it is counted (the dashboard's SLA list, /metrics): a running timer past its
    stored due moment. That moment is pushed only when an interruption closes, so during an open one a stage is
    counted as soon as its stored moment passes (the SLA list marks it paused)."""
    return stage_timers_running(offices=offices).filter(due_at__lt=now)


def running_stages_query(
    *, office: Office, roles: set[str] | None = None, due_before: datetime | None = None
) -> QuerySet[StageTimer]:
    """The running timers with a target of the office's open applications, earliest stored due moment first.

    `due_before`: only those whose stored `due_at` comes before it. The stored moment is set when the stage starts and
    pushed when an interruption closes, so it is never later than the clock's: this keeps every stage that is overdue
    or falls due by then, and leaves the others to the (ended_at, due_at) index instead of timing each in Python."""
    timers = stage_timers_running(offices=[office])
    if roles is not None:
        timers = timers.filter(stage__in=[s for s, r in STAGE_ROLES.items() if r in roles])
    if due_before is not None:
        timers = timers.filter(Q(due_at__lt=due_before) | Q(due_at__isnull=True))
    return timers.order_by(F("due_at").asc(nulls_first=True), "pk")


def running_stages(
    *,
    office: Office,
    now: datetime,
    roles: set[str] | None = None,
    due_before: datetime | None = None,
    limit: int | None = None,
) -> list[RunningStage]:
    """Every open application's current stage with a target (see running_stages_query), optionally only the stages
    of `roles`, only those due before `due_before`, and only the first `limit` by stored due moment; ordered by due
    moment. The office's interruptions are read once for all of them."""
    timers = running_stages_query(office=office, roles=roles, due_before=due_before)
    return running_stages_timed(timers=timers[:limit] if limit is not None else timers, office=office, now=now)


def running_stages_timed(*, timers: QuerySet[StageTimer], office: Office, now: datetime) -> list[RunningStage]:
    """The clocks of `timers` (running, of `office`), ordered by due moment."""
    timers = list(timers.select_related("application", "application__service", "application__claimed_by"))
    calendar = office_calendar(office=office)
    started = min((t.started_at for t in timers), default=now)
    interruptions = office_interruptions_since(office=office, start=started)
    rows = [
        RunningStage(
            t.application,
            stage_clock(timer=t, office=office, calendar=calendar, now=now, interruptions=interruptions),
            t.pk,
        )
        for t in timers
    ]
    return sorted(rows, key=lambda r: r.clock.due_at or now)


def _recipients(*, office: Office, role: str, application: Application) -> list[User]:
    staff = User.objects.filter(office=office, is_active=True, on_duty=True, role_grants__role=role).distinct()
    # An application held in SIAK is the holder's to finish; the other operators hear only if the holder is away.
    if role == Role.OPERATOR and application.claimed_by_id:
        holder = [u for u in staff if u.pk == application.claimed_by_id]
        if holder:
            return holder
    return list(staff)


def _heads(*, office: Office) -> list[User]:
    return list(User.objects.filter(office=office, is_active=True, role_grants__role=Role.SIGNER).distinct())


def _send(*, office: Office, to: list[str], subject: str, body: str) -> None:
    if not to:
        return
    sender = office.email_sender or settings.DEFAULT_FROM_EMAIL
    EmailMessage(subject=subject, body=body, from_email=sender, to=to).send()


def _local(moment: datetime | None, office: Office) -> str:
    if moment is None:
        return "-"
    return timezone.localtime(moment, office_calendar(office=office).zone).strftime("%d-%m-%Y %H:%M %Z")


def _minutes(seconds: int) -> int:
    return round(seconds / 60)


def _alert(*, row: RunningStage, level: str, role: str, recipients: list[User], now: datetime) -> ClockAlert | None:
    application, clock = row.application, row.clock
    office = application.office
    try:
        with transaction.atomic():
            alert = ClockAlert.objects.create(
                office=office,
                timer_id=row.timer_id,
                level=level,
                role=role,
                created_at=now,
            )
    except IntegrityError:
        return None  # raised already by a concurrent check
    addresses = [
        u.email for u in recipients if u.email and (level == ClockAlert.Level.ESCALATED or u.overdue_alert_email)
    ]
    if level == ClockAlert.Level.OVERDUE and not office.overdue_email_alerts:
        addresses = []
    with translation.override("id"):
        params = {
            "code": application.tracking_code,
            "service": application.service.name,
            "stage": clock.label,
            "target": clock.target_minutes,
            "spent": _minutes(clock.working_seconds),
            "due": _local(clock.due_at, office),
        }
        if level == ClockAlert.Level.ESCALATED:
            subject = _("[Pencet] %(code)s jauh melewati target tahap %(stage)s") % params
        else:
            subject = _("[Pencet] %(code)s melewati target tahap %(stage)s") % params
        body = (
            _(
                "Permohonan %(code)s (%(service)s) masih di tahap %(stage)s.\n"
                "Target: %(target)s menit kerja; sudah %(spent)s menit kerja (batas %(due)s).\n"
            )
            % params
        )
        body += "\n" + settings.SITE_URL.rstrip("/") + f"/permohonan/{application.tracking_code}/\n"
    _send(office=office, to=addresses, subject=subject, body=body)
    alert.emailed_to = addresses
    alert.save(update_fields=["emailed_to"])
    return alert


def overdue_alerts_raise(*, now: datetime | None = None) -> list[ClockAlert]:
    """Alert each stage once when it passes its target and once more (the head of office) at twice the target."""
    now = now or timezone.now()
    raised: list[ClockAlert] = []
    for office in Office.objects.filter(stage_timers__ended_at__isnull=True).distinct():
        for row in running_stages(office=office, now=now, due_before=now):
            clock = row.clock
            if clock.paused or not clock.overdue:
                continue
            role = STAGE_ROLES[clock.stage]
            recipients = _recipients(office=office, role=role, application=row.application)
            alert = _alert(row=row, level=ClockAlert.Level.OVERDUE, role=role, recipients=recipients, now=now)
            if alert is not None:
                raised.append(alert)
            if clock.working_seconds >= ESCALATION_FACTOR * clock.target_minutes * 60:
                heads = _heads(office=office)
                alert = _alert(row=row, level=ClockAlert.Level.ESCALATED, role=Role.SIGNER, recipients=heads, now=now)
                if alert is not None:
                    raised.append(alert)
    return raised


# --- What the console shows on the home page ---


@dataclass(frozen=True)
class OverdueOverview:
    overdue: list[RunningStage]
    due_soon: list[RunningStage]
    escalated: list[ClockAlert]
    # Stages over their target or due within the hour beyond the OVERDUE_SHOWN earliest (not timed, not shown).
    more: int = 0


# The home page lists the stages with the earliest due moments; the rest is a count.
OVERDUE_SHOWN = 50


def overdue_for_user(*, user: User, now: datetime | None = None) -> OverdueOverview:
    """For the user's own queues: what is over its target and what falls due within the hour, the OVERDUE_SHOWN
    earliest; only those are timed (see running_stages_query)."""
    now = now or timezone.now()
    if user.office_id is None or not user.roles or user.roles <= {Role.VILLAGE_STAFF}:
        return OverdueOverview([], [], [])
    everything = user.has_role(Role.ADMIN, Role.LEADERSHIP)
    timers = running_stages_query(
        office=user.office, roles=None if everything else set(user.roles), due_before=now + DUE_SOON
    )
    if not everything and user.has_role(Role.OPERATOR) and not user.has_role(Role.ADMIN):
        # The SIAK stage of an application another operator holds is theirs, not this operator's.
        timers = timers.exclude(
            Q(stage=Stage.SIAK) & Q(application__claimed_by__isnull=False) & ~Q(application__claimed_by=user)
        )
    shown = timers[: OVERDUE_SHOWN + 1]
    rows = running_stages_timed(timers=shown, office=user.office, now=now)
    more = 0
    if len(rows) > OVERDUE_SHOWN:
        rows = rows[:OVERDUE_SHOWN]
        more = timers.count() - OVERDUE_SHOWN
    overdue = [r for r in rows if r.clock.overdue]
    soon = [r for r in rows if not r.clock.overdue and r.clock.due_at and r.clock.due_at - now <= DUE_SOON]
    escalated: list[ClockAlert] = []
    if user.has_role(Role.SIGNER, Role.ADMIN, Role.LEADERSHIP):
        escalated = list(
            ClockAlert.objects.filter(
                office_id=user.office_id, level=ClockAlert.Level.ESCALATED, timer__ended_at__isnull=True
            ).select_related("timer__application")[:20]
        )
    return OverdueOverview(overdue, soon, escalated, more)


# --- The morning digest ---


def _previous_working_day(*, office: Office, day: date) -> date:
    calendar = office_calendar(office=office)
    previous = day - timedelta(days=1)
    for _attempt in range(31):
        if working_day_is(calendar=calendar, day=previous):
            return previous
        previous -= timedelta(days=1)
    return day - timedelta(days=1)


def digest_compose(*, office: Office, day: date, now: datetime) -> dict:
    """Yesterday's (the previous working day's) figures and what is overdue now."""
    zone = office_calendar(office=office).zone
    previous = _previous_working_day(office=office, day=day)
    start = datetime.combine(previous, datetime.min.time(), zone)
    end = start + timedelta(days=1)
    apps = Application.objects.filter(office=office)
    completed = apps.filter(status__in=(Status.DELIVERED, Status.PICKED_UP), closed_at__gte=start, closed_at__lt=end)
    submitted = apps.filter(submitted_at__gte=start, submitted_at__lt=end).exclude(
        status__in=(Status.REJECTED, Status.CANCELLED)
    )
    # "Sehari jadi": signed (ready to hand over) the same day it was submitted.
    same_day = sum(
        1 for a in submitted if a.events.filter(kind="sign", created_at__gte=start, created_at__lt=end).exists()
    )
    reviews = StageTimer.objects.filter(
        office=office, stage=Stage.REVIEW, ended_at__gte=start, ended_at__lt=end
    ).values_list("working_seconds", flat=True)
    overdue = [r for r in running_stages(office=office, now=now, due_before=now) if r.clock.overdue]
    return {
        "day": previous.isoformat(),
        "completed": completed.count(),
        "submitted": submitted.count(),
        "same_day": same_day,
        "same_day_rate": round(100 * same_day / submitted.count()) if submitted.count() else None,
        "median_review_minutes": _minutes(int(statistics.median(reviews))) if reviews else None,
        "overdue": [
            {
                "code": r.application.tracking_code,
                "stage": r.clock.stage,
                "stage_label": r.clock.label,
                "holder": r.application.claimed_by.get_full_name() or r.application.claimed_by.username
                if r.application.claimed_by
                else "",
                "over_minutes": _minutes(r.clock.working_seconds) - (r.clock.target_minutes or 0),
            }
            for r in overdue
        ],
    }


def _digest_body(*, office: Office, summary: dict) -> str:
    lines = [
        _("Ringkasan layanan %(office)s untuk hari kerja %(day)s") % {"office": office.name, "day": summary["day"]},
        "",
        _("Selesai (dikirim/diambil): %(n)d") % {"n": summary["completed"]},
        _("Diajukan: %(n)d; sehari jadi: %(same)d (%(rate)s)")
        % {
            "n": summary["submitted"],
            "same": summary["same_day"],
            "rate": "-" if summary["same_day_rate"] is None else f"{summary['same_day_rate']}%",
        },
        _("Median waktu pemeriksaan kelengkapan: %(m)s menit kerja")
        % {"m": "-" if summary["median_review_minutes"] is None else summary["median_review_minutes"]},
        "",
        _("Terlambat saat ini: %(n)d") % {"n": len(summary["overdue"])},
    ]
    for row in summary["overdue"]:
        why = _("di tahap %(stage)s, lewat %(over)d menit kerja") % {
            "stage": row["stage_label"],
            "over": row["over_minutes"],
        }
        if row["holder"]:
            why += ", " + _("dipegang %(holder)s") % {"holder": row["holder"]}
        lines.append(f"- {row['code']}: {why}")
    return "\n".join(lines) + "\n"


def digest_send(*, office: Office, day: date, now: datetime) -> DailyDigest | None:
    """Once per office and day, to every head of office with an e-mail address."""
    try:
        with transaction.atomic():
            digest = DailyDigest.objects.create(office=office, day=day, sent_at=now)
    except IntegrityError:
        return None
    with translation.override("id"):
        summary = digest_compose(office=office, day=day, now=now)
        subject = _("[Pencet] Ringkasan pagi %(office)s, %(day)s") % {"office": office.name, "day": day.isoformat()}
        body = _digest_body(office=office, summary=summary)
    to = [u.email for u in _heads(office=office) if u.email]
    _send(office=office, to=to, subject=subject, body=body)
    digest.recipients, digest.summary = to, summary
    digest.save(update_fields=["recipients", "summary"])
    return digest


def digests_send_due(*, now: datetime | None = None) -> list[DailyDigest]:
    """Every office whose working day has begun and whose head has not had today's digest yet."""
    now = now or timezone.now()
    sent = []
    for office in Office.objects.all():
        calendar = office_calendar(office=office)
        local = timezone.localtime(now, calendar.zone)
        bounds = working_day_bounds(calendar=calendar, day=local.date())
        if bounds is None or not bounds[0] <= local < bounds[1]:
            continue
        digest = digest_send(office=office, day=local.date(), now=now)
        if digest is not None:
            sent.append(digest)
    return sent
