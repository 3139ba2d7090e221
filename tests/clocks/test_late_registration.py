"""Legal deadlines and the head of office's decision on a late registration, before the forum."""

from datetime import date

import pytest

from pencet.accounts.models import Role
from pencet.cases import deadlines
from pencet.cases import services as cases
from pencet.cases.clocks import AWAITING_DECISION
from pencet.cases.models import Status

from .conftest import record, wita

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_transitions(monkeypatch):
    """The table entries pencet.cases.deadlines asks for, until the transition table (engineer "rules") has them."""
    for transition in (
        cases.Transition("refer_late", (Status.SUBMITTED,), AWAITING_DECISION, (Role.SERVICE_OFFICER, Role.ADMIN), "x"),
        cases.Transition("approve_late", (AWAITING_DECISION,), Status.ACCEPTED, (Role.SIGNER,), "x"),
        cases.Transition("reject_late", (AWAITING_DECISION,), Status.REJECTED, (Role.SIGNER,), "x"),
    ):
        monkeypatch.setitem(cases.TRANSITIONS, transition.name, transition)


def _born(submitted, born: date):
    application = submitted()
    application.event_date = born
    application.save()
    return application


def test_a_birth_is_registered_within_60_days(at, submitted):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 9, 24))  # 60 days before: the last day is today
    deadline = deadlines.application_legal_deadline(application=application)
    assert (deadline.days, deadline.last_day, deadline.late, deadline.days_left) == (60, date(2026, 11, 23), False, 0)
    assert not deadlines.late_decision_required(application=application)


def test_a_late_birth_goes_to_the_head_of_office_before_the_forum(at, submitted, andi, dewi, late_transitions):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 9, 1))
    deadline = deadlines.application_legal_deadline(application=application)
    assert (deadline.last_day, deadline.late, deadline.days_left) == (date(2026, 10, 31), True, -23)
    assert deadlines.late_decision_required(application=application)

    at(wita(2026, 11, 23, 9, 10))
    deadlines.application_refer_late(application=application, actor=andi)
    record(application)
    assert application.status == AWAITING_DECISION
    with pytest.raises(cases.TransitionError):
        deadlines.application_approve_late(application=application, actor=dewi, note=" ")
    with pytest.raises(cases.ApplicationPermissionError):
        deadlines.application_approve_late(application=application, actor=andi, note="Setuju")
    at(wita(2026, 11, 23, 10))
    deadlines.application_approve_late(application=application, actor=dewi, note="Disetujui, lahir di rumah")
    application = record(application)
    assert application.status == Status.ACCEPTED
    assert not deadlines.late_decision_required(application=application)
    stages = list(application.stage_timers.values_list("stage", "working_seconds", "target_minutes"))
    assert stages == [("review", 600, 15), ("head_decision", 50 * 60, 120), ("forum", None, 30)]


def test_an_application_in_time_cannot_be_referred(at, submitted, andi, late_transitions):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 11, 1))
    with pytest.raises(cases.TransitionError) as refused:
        deadlines.application_refer_late(application=application, actor=andi)
    assert refused.value.code == "not_late"


def test_the_head_of_office_may_refuse_a_late_registration(at, submitted, andi, dewi, late_transitions):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2025, 1, 1))
    deadlines.application_refer_late(application=application, actor=andi)
    deadlines.application_reject_late(application=application, actor=dewi, reason="Perlu penetapan pengadilan")
    application.refresh_from_db()
    assert (application.status, application.close_reason) == (Status.REJECTED, "Perlu penetapan pengadilan")
