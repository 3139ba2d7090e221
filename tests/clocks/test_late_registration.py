"""Legal deadlines and the head of office's decision on a late registration, before the forum."""

from datetime import date

import pytest
from django.test import Client

from pencet.cases import deadlines
from pencet.cases import services as cases
from pencet.cases.models import Status
from pencet.whatsapp.models import OutboundMessage

from .conftest import committed, wita
from .test_api import Api

pytestmark = pytest.mark.django_db


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


def test_a_late_birth_goes_to_the_head_of_office_before_the_forum(at, submitted, andi, dewi):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 9, 1))
    deadline = deadlines.application_legal_deadline(application=application)
    assert (deadline.last_day, deadline.late, deadline.days_left) == (date(2026, 10, 31), True, -23)
    assert deadlines.late_decision_required(application=application)
    with pytest.raises(cases.TransitionError) as refused:
        cases.application_accept(application=application, actor=andi)
    assert refused.value.code == "late_decision_required"

    at(wita(2026, 11, 23, 9, 10))
    with committed():
        cases.application_refer_late(application=application, actor=andi)
    assert application.status == Status.AWAITING_DECISION
    with pytest.raises(cases.TransitionError):
        cases.application_approve_late(application=application, actor=dewi, note=" ")
    with pytest.raises(cases.ApplicationPermissionError):
        cases.application_approve_late(application=application, actor=andi, note="Setuju")
    at(wita(2026, 11, 23, 10))
    with committed():
        cases.application_approve_late(application=application, actor=dewi, note="Disetujui, lahir di rumah")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert not deadlines.late_decision_required(application=application)
    stages = list(application.stage_timers.values_list("stage", "working_seconds", "target_minutes"))
    assert stages == [("review", 600, 15), ("head_decision", 50 * 60, 120), ("forum", None, 30)]


def test_an_application_in_time_cannot_be_referred(at, submitted, andi):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 11, 1))
    with pytest.raises(cases.TransitionError) as refused:
        cases.application_refer_late(application=application, actor=andi)
    assert refused.value.code == "not_late"


def test_the_head_of_office_may_refuse_a_late_registration(at, submitted, andi, dewi):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2025, 1, 1))
    cases.application_refer_late(application=application, actor=andi)
    cases.application_reject_late(application=application, actor=dewi, reason="Perlu penetapan pengadilan")
    application.refresh_from_db()
    assert (application.status, application.close_reason) == (Status.REJECTED, "Perlu penetapan pengadilan")


def _bodies(application) -> list[str]:
    return [m.payload.get("body", "") for m in OutboundMessage.objects.filter(application=application).order_by("pk")]


def test_siti_is_told_that_the_head_of_office_decides_and_what_he_decided(at, submitted, andi, dewi):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 9, 1))
    with committed():
        cases.application_refer_late(application=application, actor=andi)
    assert "diteruskan ke kepala dinas untuk keputusan pencatatan terlambat" in _bodies(application)[-1]
    with committed():
        cases.application_approve_late(application=application, actor=dewi, note="Disetujui")
    assert "Kepala dinas menyetujui pencatatan terlambat" in _bodies(application)[-1]


def test_siti_is_told_the_reason_of_a_refusal(at, submitted, andi, dewi):
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2025, 1, 1))
    with committed():
        cases.application_refer_late(application=application, actor=andi)
        cases.application_reject_late(application=application, actor=dewi, reason="Perlu penetapan pengadilan")
    assert "Alasan: Perlu penetapan pengadilan" in _bodies(application)[-1]


def test_the_head_of_office_decides_from_his_queue_in_the_console(at, submitted, andi, dewi, settings):
    settings.OTP_REQUIRED = False
    at(wita(2026, 11, 23, 9))
    application = _born(submitted, date(2026, 9, 1))
    code = application.tracking_code
    desk, head = Client(), Client()
    desk.force_login(andi)
    head.force_login(dewi)
    page = desk.get(f"/permohonan/{code}/").content.decode()
    assert f'action="/permohonan/{code}/terlambat/refer/"' in page and 'id="accept"' not in page
    with committed():
        desk.post(f"/permohonan/{code}/terlambat/refer/", {"note": "Lahir di rumah"})
    queue = head.get("/antrean/awaiting_decision/").content.decode()
    assert code in queue
    assert desk.get("/antrean/awaiting_decision/").status_code == 404  # the signer's queue, not the desk's
    with committed():
        response = head.post(f"/permohonan/{code}/terlambat/approve/", {"note": "Disetujui"})
    assert response["Location"] == "/antrean/awaiting_decision/"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert application.events.get(kind="approve_late").note == "Disetujui"


def test_the_late_step_over_the_api(at, sinjai, andi, dewi):
    at(wita(2026, 11, 23, 9))
    desk, head = Api(andi), Api(dewi)
    status, body = desk.post(
        "/applications",
        {
            "service": "akta-kelahiran",
            "applicant_name": "Siti Aminah",
            "nik": "7307074105200001",
            "village": "73.07.07.2007",
            "channel": "walk_in",
            "event_date": "2026-09-01",
        },
    )
    assert status == 201, body
    code = body["tracking_code"]
    assert "refer_late" in body["actions"] and "accept" not in body["actions"]
    status, refused = desk.post(f"/applications/{code}/accept", {})
    assert (status, refused["error"]) == (409, "late_decision_required")
    status, body = desk.post(f"/applications/{code}/refer-late", {"note": "Lahir di rumah"})
    assert (status, body["status"]) == (200, "awaiting_decision")
    assert desk.post(f"/applications/{code}/approve-late", {"note": "Setuju"})[0] == 403
    assert head.post(f"/applications/{code}/approve-late", {"note": ""})[0] == 422
    status, body = head.post(f"/applications/{code}/approve-late", {"note": "Disetujui"})
    assert (status, body["status"]) == (200, "accepted")
