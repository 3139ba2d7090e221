"""Legal deadlines (birth 60 days, death 30 days, … from the catalogue) and the head of office's decision that a
late registration needs before it goes to the forum (REFERENCE: "Late registration after the deadline needs the head
of office's decision").

The transitions used here are not yet in the transition table (owned by pencet.cases.policies); until they are,
these functions answer TransitionError(code="unknown"). Entries needed:

    Transition("refer_late", (Status.SUBMITTED,), AWAITING_DECISION, (Role.SERVICE_OFFICER, Role.ADMIN),
               gettext_lazy("Teruskan ke kepala dinas (terlambat lapor)"))
    Transition("approve_late", (AWAITING_DECISION,), Status.ACCEPTED, (Role.SIGNER,),
               gettext_lazy("Setujui pencatatan terlambat"))
    Transition("reject_late", (AWAITING_DECISION,), Status.REJECTED, (Role.SIGNER,),
               gettext_lazy("Tolak pencatatan terlambat"))

plus Status.AWAITING_DECISION = "awaiting_decision", _("Menunggu keputusan kepala dinas") in OPEN_STATUSES, and in
application_accept a guard: `if late_decision_required(application=locked): raise TransitionError(...,
code="late_decision_required")`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import User

from .models import Application
from .services import TransitionError, _transition


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
    return not application.events.filter(kind="approve_late").exists()


@transaction.atomic
def application_refer_late(*, application: Application, actor: User, note: str = "") -> Application:
    """The service officer found the files complete but the registration late: to the head of office."""
    if not late_decision_required(application=application):
        raise TransitionError(_("Permohonan ini tidak terlambat dilaporkan."), code="not_late")
    deadline = application_legal_deadline(application=application)
    return _transition(
        application=application,
        name="refer_late",
        actor=actor,
        note=note,
        data={"last_day": deadline.last_day.isoformat(), "days_late": -deadline.days_left},
    )


@transaction.atomic
def application_approve_late(*, application: Application, actor: User, note: str) -> Application:
    """The head of office approves the late registration (with a note, as the decision is on record)."""
    if not note.strip():
        raise TransitionError(_("Catatan keputusan wajib diisi."), code="reason_required")
    return _transition(application=application, name="approve_late", actor=actor, note=note.strip())


@transaction.atomic
def application_reject_late(*, application: Application, actor: User, reason: str) -> Application:
    if not reason.strip():
        raise TransitionError(_("Alasan penolakan wajib diisi."), code="reason_required")
    return _transition(
        application=application, name="reject_late", actor=actor, note=reason.strip(), close_reason=reason.strip()
    )
