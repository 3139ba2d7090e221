"""Service clocks over the API: an application's stage timeline and the overdue / due-soon filters (issue 11)."""

from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from pencet.cases.clocks import application_stage_clocks
from pencet.cases.clocks_alerts import DUE_SOON, running_stages
from pencet.cases.deadlines import application_legal_deadline
from pencet.cases.models import OPEN_STATUSES, Application, Status
from pencet.cases.selectors import application_list_for_user

from .errors import not_found

router = Router(tags=["clocks"])

# The office's part is done once the document is signed (ready); returned is the citizen's turn.
_CLOCK_RUNNING = [s for s in OPEN_STATUSES if s not in (Status.RETURNED, Status.READY)]


def clock_filter(qs: QuerySet[Application], *, overdue: bool | None, due_soon: bool | None) -> QuerySet[Application]:
    """`overdue`: the service's due moment has passed; `due_soon`: it falls within the next hour."""
    now = timezone.now()
    if overdue is not None:
        late = qs.filter(status__in=_CLOCK_RUNNING, due_at__lt=now)
        qs = late if overdue else qs.exclude(pk__in=late.values("pk"))
    if due_soon is not None:
        soon = qs.filter(status__in=_CLOCK_RUNNING, due_at__gte=now, due_at__lt=now + DUE_SOON)
        qs = soon if due_soon else qs.exclude(pk__in=soon.values("pk"))
    return qs


class StageOut(Schema):
    stage: str
    label: str
    role: str | None
    started_at: datetime
    ended_at: datetime | None
    due_at: datetime | None
    target_minutes: int | None = Field(description="Target in the office's working minutes; null: no target.")
    working_seconds: int = Field(description="Working time spent (office hours, interruptions excluded).")
    wall_seconds: int
    target_met: bool | None = Field(description="null while running within target, or for a stage without one.")
    overdue: bool
    paused: bool = Field(description="A SIAK stage during an open service interruption.")


class LegalDeadlineOut(Schema):
    days: int
    basis: str
    event_date: date
    last_day: date
    late: bool
    days_left: int


class ClockOut(Schema):
    tracking_code: str
    status: str
    submitted_at: datetime | None
    due_at: datetime | None = Field(description="The whole service; null while waiting for the citizen.")
    overdue: bool
    legal_deadline: LegalDeadlineOut | None
    stages: list[StageOut]


class OverdueStageOut(Schema):
    tracking_code: str
    status: str
    stage: StageOut


def _user(request: HttpRequest):  # noqa: ANN202 - the token's User
    return request.auth  # type: ignore[attr-defined]


@router.get("/applications/{code}/clock", response=ClockOut, summary="Stage timeline with durations and due moments")
def application_clock(request: HttpRequest, code: str) -> dict:
    application = application_list_for_user(user=_user(request)).filter(tracking_code=code.strip().upper()).first()
    if application is None:
        raise not_found()
    now = timezone.now()
    deadline = application_legal_deadline(application=application)
    return {
        "tracking_code": application.tracking_code,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "overdue": application.status in _CLOCK_RUNNING and application.due_at is not None and application.due_at < now,
        "legal_deadline": None if deadline is None else deadline.__dict__,
        "stages": [s.__dict__ for s in application_stage_clocks(application=application, now=now)],
    }


@router.get("/clocks/stages", response=list[OverdueStageOut], summary="Running stages, overdue or due soon")
def stages_running(request: HttpRequest, overdue: bool = False, due_within_minutes: int | None = None) -> list[dict]:
    user = _user(request)
    if user.office_id is None:
        return []
    now = timezone.now()
    visible = set(application_list_for_user(user=user).values_list("pk", flat=True))
    # Only stages whose stored due moment (never later than the clock's) is before the asked limit need timing.
    due_before = None
    if due_within_minutes is not None:
        due_before = now + timedelta(minutes=max(due_within_minutes, 0))
    elif overdue:
        due_before = now
    running = running_stages(office=user.office, now=now, due_before=due_before)
    rows = [r for r in running if r.application.pk in visible]
    if overdue:
        rows = [r for r in rows if r.clock.overdue]
    if due_within_minutes is not None:
        limit = now + timedelta(minutes=due_within_minutes)
        rows = [r for r in rows if not r.clock.overdue and r.clock.due_at and r.clock.due_at <= limit]
    return [
        {"tracking_code": r.application.tracking_code, "status": r.application.status, "stage": r.clock.__dict__}
        for r in rows
    ]
