"""Legal deadlines (birth 60 days, death 30 days, … from the catalogue): when a registration is late, and whether
the head of office's decision it then needs (REFERENCE: "Late registration after the deadline needs the head of
office's decision") is still outstanding.

Reads only: the policies (cases.policies) refuse `accept` while the decision is outstanding and offer `refer_late`
instead; the transitions themselves (refer_late, approve_late, reject_late) are in cases.services.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import Application, EventKind


@dataclass(frozen=True)
class LegalDeadline:
    days: int
    basis: str
    event_label: str
    event_date: date
    last_day: date
    late: bool
    days_left: int  # negative once past


def application_legal_deadline(*, application: Application, today: date | None = None) -> LegalDeadline | None:
    """The registration deadline, judged on the day of submission (or today while it is a draft)."""
    service = application.service
    if application.event_date is None or service.legal_deadline_days is None:
        return None
    last_day = application.event_date + timedelta(days=service.legal_deadline_days)
    if application.submitted_at is not None:
        reference = timezone.localtime(application.submitted_at, ZoneInfo(application.office.time_zone)).date()
    else:
        reference = today or timezone.localdate()
    return LegalDeadline(
        days=service.legal_deadline_days,
        basis=service.legal_basis,
        event_label=service.event_label,
        event_date=application.event_date,
        last_day=last_day,
        late=reference > last_day,
        days_left=(last_day - reference).days,
    )


def late_decision_required(*, application: Application) -> bool:
    """Late, and the head of office has not yet approved it."""
    deadline = application_legal_deadline(application=application)
    if deadline is None or not deadline.late:
        return False
    return not application.events.filter(kind=EventKind.APPROVE_LATE).exists()
