"""Overdue alerts to the stage's on-duty staff, escalation to the head of office, the morning digest by e-mail."""

import pytest
from django.core import mail

from pencet.cases import services as cases
from pencet.cases.clocks_alerts import digests_send_due, overdue_alerts_raise, overdue_for_user
from pencet.cases.models_clocks import ClockAlert, DailyDigest

from .conftest import committed, wita

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(andi, budi, citra, dewi):
    for person, address in ((andi, "andi"), (budi, "budi"), (citra, "citra"), (dewi, "dewi")):
        person.email = f"{address}@sinjaikab.go.id"
        person.save()


def test_a_review_past_fifteen_minutes_alerts_the_service_officers_and_by_email_if_the_office_wants(
    at, submitted, sinjai, andi, emails
):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 15))
    assert overdue_alerts_raise() == []  # exactly on target is not over it
    at(wita(2026, 11, 23, 9, 16))
    (alert,) = overdue_alerts_raise()
    assert (alert.level, alert.role, alert.emailed_to) == ("overdue", "petugas_layanan", [])  # console only
    assert mail.outbox == []
    assert overdue_alerts_raise() == []  # once

    sinjai.overdue_email_alerts = True
    sinjai.save()
    at(wita(2026, 11, 23, 9, 31))
    with committed():
        cases.application_accept(application=application, actor=andi)
    at(wita(2026, 11, 23, 10, 2))  # the forum's 30 minutes are over
    (alert,) = overdue_alerts_raise()
    assert (alert.role, alert.emailed_to) == ("operator_siak", ["budi@sinjaikab.go.id"])
    assert mail.outbox[0].to == ["budi@sinjaikab.go.id"]
    assert application.tracking_code in mail.outbox[0].subject
    assert mail.outbox[0].from_email == "disdukcapil@sinjaikab.go.id"


def test_staff_off_duty_or_opted_out_get_no_email(at, submitted, sinjai, andi, emails):
    sinjai.overdue_email_alerts = True
    sinjai.save()
    andi.on_duty = False
    andi.save()
    at(wita(2026, 11, 23, 9))
    submitted()
    at(wita(2026, 11, 23, 9, 20))
    (alert,) = overdue_alerts_raise()
    assert alert.emailed_to == [] and mail.outbox == []


def test_twice_the_target_alerts_the_head_of_office_by_email(at, submitted, dewi, emails):
    at(wita(2026, 11, 23, 15, 50))
    submitted()
    at(wita(2026, 11, 23, 16))
    assert overdue_alerts_raise() == []
    # 10 minutes on Monday and 20 on Tuesday: 30 working minutes, twice the review's 15.
    at(wita(2026, 11, 24, 8, 20))
    alerts = overdue_alerts_raise()
    assert sorted(a.level for a in alerts) == ["escalated", "overdue"]
    escalated = ClockAlert.objects.get(level="escalated")
    assert escalated.emailed_to == ["dewi@sinjaikab.go.id"]
    assert [m.to for m in mail.outbox] == [["dewi@sinjaikab.go.id"]]
    assert "jauh melewati" in mail.outbox[0].subject


def test_the_home_page_shows_each_role_its_own_overdue_and_due_soon(at, submitted, andi, budi):
    at(wita(2026, 11, 23, 9))
    late = submitted()
    at(wita(2026, 11, 23, 9, 10))
    soon = submitted()
    at(wita(2026, 11, 23, 9, 20))
    for_andi = overdue_for_user(user=andi)
    assert [r.application for r in for_andi.overdue] == [late]
    assert [r.application for r in for_andi.due_soon] == [soon]
    assert overdue_for_user(user=budi).overdue == []  # reviews are not the operator's


def test_the_head_of_office_gets_the_morning_digest_at_opening(at, submitted, andi, budi, citra, dewi, emails):
    at(wita(2026, 11, 23, 9))
    done = submitted()
    at(wita(2026, 11, 23, 9, 10))
    with committed():
        cases.application_accept(application=done, actor=andi)
    at(wita(2026, 11, 23, 9, 20))
    with committed():
        cases.application_claim(application=done, actor=budi)
    at(wita(2026, 11, 23, 9, 40))
    with committed():
        cases.application_complete_siak(application=done, actor=budi, siak_reference="AL.1")
    at(wita(2026, 11, 23, 9, 45))
    with committed():
        cases.application_approve(application=done, actor=citra)
    at(wita(2026, 11, 23, 9, 50))
    with committed():
        cases.application_sign(application=done, actor=dewi)
    at(wita(2026, 11, 23, 10, 30))
    with committed():
        cases.application_pick_up(
            application=done, actor=andi, collected_by="Siti", is_representative=False, originals_seen=[]
        )
    at(wita(2026, 11, 23, 15))
    stuck = submitted()  # never reviewed: 20 minutes review on Monday

    at(wita(2026, 11, 24, 7, 55))
    assert digests_send_due() == []  # the office is not open yet
    at(wita(2026, 11, 24, 8, 0))
    (digest,) = digests_send_due()
    assert digests_send_due() == []  # once a day
    assert digest.recipients == ["dewi@sinjaikab.go.id"]
    assert digest.summary["completed"] == 1
    assert (digest.summary["submitted"], digest.summary["same_day"], digest.summary["same_day_rate"]) == (2, 1, 50)
    assert digest.summary["median_review_minutes"] == 10
    assert [row["code"] for row in digest.summary["overdue"]] == [stuck.tracking_code]
    (message,) = mail.outbox
    assert message.to == ["dewi@sinjaikab.go.id"]
    assert "Ringkasan pagi" in message.subject
    assert stuck.tracking_code in message.body and "Pemeriksaan kelengkapan" in message.body


def test_no_digest_on_a_day_the_office_is_closed(at, sinjai, dewi, emails):
    at(wita(2026, 12, 24, 9))  # cuti bersama
    assert digests_send_due() == []
    at(wita(2026, 12, 28, 8, 5))
    (digest,) = digests_send_due()
    assert digest.summary["day"] == "2026-12-23"  # the previous working day
    assert DailyDigest.objects.count() == 1
