"""The whole service's due moment: "sehari jadi", the citizen's turn and service interruptions pause it."""

from datetime import time

import pytest

from pencet.cases import clocks
from pencet.cases import services as cases
from pencet.cases.models import Channel, ReviewItem
from pencet.cases.models_clocks import InterruptionNotice, ServiceInterruption
from pencet.whatsapp.models import OutboundMessage

from .conftest import committed, wita

pytestmark = pytest.mark.django_db


def test_the_issue_example_one_working_hour_from_wednesday_before_christmas(at, submitted, akta_kelahiran):
    akta_kelahiran.same_day = False
    akta_kelahiran.target_working_hours = 1
    akta_kelahiran.save()
    at(wita(2026, 12, 23, 15, 30))
    application = submitted()
    assert application.due_at == wita(2026, 12, 28, 8, 30)


@pytest.mark.parametrize(
    ("submitted_at", "due"),
    [
        (wita(2026, 11, 23, 10), wita(2026, 11, 23, 16)),  # Monday morning: by Monday's closing
        (wita(2026, 11, 23, 6, 45), wita(2026, 11, 23, 16)),  # before opening counts as the same day
        (wita(2026, 11, 23, 13, 59), wita(2026, 11, 23, 16)),  # just before the 14:00 cut-off
        (wita(2026, 11, 23, 14), wita(2026, 11, 24, 12)),  # at the cut-off: by noon the next working day
        (wita(2026, 11, 27, 11), wita(2026, 11, 27, 16, 30)),  # Friday closes at 16:30
        (wita(2026, 11, 27, 15), wita(2026, 11, 30, 12)),  # Friday afternoon: Monday noon
        (wita(2026, 11, 28, 10), wita(2026, 11, 30, 16)),  # Saturday: Monday is the first working day
        (wita(2026, 12, 23, 15, 30), wita(2026, 12, 28, 12)),  # past cut-off before cuti bersama and Christmas
    ],
)
def test_sehari_jadi_is_the_same_working_day_before_the_cut_off(at, submitted, submitted_at, due):
    at(submitted_at)
    assert submitted().due_at == due


def test_the_office_sets_its_own_cut_off_and_next_day_hour(at, submitted, sinjai):
    sinjai.cutoff_time, sinjai.next_day_hour = time(12), time(10)
    sinjai.save()
    at(wita(2026, 11, 23, 12, 30))
    assert submitted().due_at == wita(2026, 11, 24, 10)


def test_a_bundle_promises_sehari_jadi_only_when_every_component_does(at, submitted, catalog):
    from pencet.catalog.models import Service

    one_three = Service.objects.get(code="one-three")
    at(wita(2026, 11, 23, 10))
    assert submitted(one_three).due_at == wita(2026, 11, 23, 16)
    Service.objects.filter(code="kia").update(same_day=False, target_working_hours=12)
    at(wita(2026, 11, 24, 10))
    # KIA takes 12 working hours: Tuesday 10:00 + 6 h Tuesday + 6 h Wednesday.
    assert submitted(one_three).due_at == wita(2026, 11, 25, 14)


def test_returning_to_the_citizen_pauses_the_service_clock(at, submitted, andi, akta_kelahiran):
    at(wita(2026, 11, 23, 10))
    application = submitted()
    assert application.due_at == wita(2026, 11, 23, 16)  # six working hours of budget
    at(wita(2026, 11, 23, 10, 10))
    kk = akta_kelahiran.requirements.get(code="kk")
    with committed():
        cases.application_return(
            application=application,
            actor=andi,
            items=[cases.ReviewVerdict(requirement=kk, verdict=ReviewItem.Verdict.UNREADABLE, reason="Buram")],
        )
    application.refresh_from_db()
    assert application.due_at is None  # the citizen's turn: nothing is due from the office
    at(wita(2026, 11, 24, 9))
    with committed():
        cases.application_resubmit(application=application, actor=None)
    application.refresh_from_db()
    # Ten minutes were used before the return; 5 h 50 remain from Tuesday 09:00.
    assert application.due_at == wita(2026, 11, 24, 14, 50)
    changed = application.events.get(kind="due_changed")
    assert changed.data == {"due_at": "2026-11-24T14:50:00+08:00"}
    assert "24-11-2026 14:50" in changed.note


def _into_siak(application, *, andi, budi, accept_at, claim_at, at):
    at(accept_at)
    with committed():
        cases.application_accept(application=application, actor=andi)
    at(claim_at)
    with committed():
        cases.application_claim(application=application, actor=budi)
    application.refresh_from_db()
    return application


def test_an_interruption_pauses_siak_work_and_the_citizen_is_told_once(at, submitted, andi, budi, sinjai):
    at(wita(2026, 11, 23, 10))
    application = submitted()
    application = _into_siak(
        application,
        andi=andi,
        budi=budi,
        accept_at=wita(2026, 11, 23, 10, 5),
        claim_at=wita(2026, 11, 23, 10, 10),
        at=at,
    )
    siak = application.stage_timers.get(stage="siak")
    assert siak.due_at == wita(2026, 11, 23, 10, 40)

    at(wita(2026, 11, 23, 10, 20))
    interruption = clocks.interruption_open(office=sinjai, actor=budi, kind=ServiceInterruption.Kind.SIAK)
    told = OutboundMessage.objects.get(application=application, preview__contains="terganggu")
    assert application.tracking_code in told.payload["body"]
    clocks.interruption_notify(interruption=interruption)  # asked again: nobody is told twice
    assert InterruptionNotice.objects.filter(interruption=interruption).count() == 1

    at(wita(2026, 11, 23, 11, 50))
    clocks.interruption_close(interruption=interruption, actor=budi, note="SIAK pulih")
    application.refresh_from_db()
    siak.refresh_from_db()
    # 90 minutes of interruption: the SIAK stage is due 12:10, the service Tuesday 09:30 instead of Monday 16:00.
    assert siak.due_at == wita(2026, 11, 23, 12, 10)
    assert application.due_at == wita(2026, 11, 24, 9, 30)
    assert application.events.filter(kind="due_changed").get().data == {"due_at": "2026-11-24T09:30:00+08:00"}


def test_an_interruption_does_not_pause_an_application_still_in_review(at, submitted, budi, sinjai):
    at(wita(2026, 11, 23, 10))
    application = submitted()
    at(wita(2026, 11, 23, 10, 20))
    interruption = clocks.interruption_open(office=sinjai, actor=budi, kind=ServiceInterruption.Kind.NETWORK)
    at(wita(2026, 11, 23, 11, 50))
    clocks.interruption_close(interruption=interruption, actor=budi)
    application.refresh_from_db()
    assert application.due_at == wita(2026, 11, 23, 16)
    assert not application.events.filter(kind="due_changed").exists()
    assert not OutboundMessage.objects.filter(application=application, preview__contains="terganggu").exists()


def test_leadership_cannot_open_an_interruption_and_a_closed_one_cannot_close_again(at, sinjai, eka, budi):
    at(wita(2026, 11, 23, 10))
    with pytest.raises(clocks.ClockError):
        clocks.interruption_open(office=sinjai, actor=eka, kind=ServiceInterruption.Kind.POWER)
    interruption = clocks.interruption_open(office=sinjai, actor=budi, kind=ServiceInterruption.Kind.POWER)
    clocks.interruption_close(interruption=interruption, actor=budi)
    with pytest.raises(clocks.ClockError):
        clocks.interruption_close(interruption=interruption, actor=budi)


def test_siti_is_told_the_new_expected_completion_when_it_moves(at, submitted, andi, akta_kelahiran, siti_contact):
    at(wita(2026, 11, 23, 10))
    application = submitted()
    at(wita(2026, 11, 23, 10, 10))
    kk = akta_kelahiran.requirements.get(code="kk")
    with committed():
        cases.application_return(
            application=application,
            actor=andi,
            items=[cases.ReviewVerdict(requirement=kk, verdict=ReviewItem.Verdict.UNREADABLE, reason="Buram")],
        )
    at(wita(2026, 11, 24, 9))
    with committed():
        cases.application_resubmit(application=application, actor=None)
    texts = [m.payload.get("body", "") for m in OutboundMessage.objects.filter(contact=siti_contact).order_by("pk")]
    assert (
        f"Perkiraan selesai permohonan {application.tracking_code} kini: Selasa, 24 November 2026 pukul 14.50 WITA."
        in (" ".join(texts))
    )


def test_a_counter_applicant_with_only_a_phone_number_hears_of_the_interruption_too(
    at, sinjai, akta_kelahiran, bonto_katute, andi, budi
):
    """Registered at the counter, no WhatsApp conversation yet: the notice goes to the phone the officer typed."""
    at(wita(2026, 11, 23, 10))
    with committed():
        application = cases.application_create(
            office=sinjai,
            service=akta_kelahiran,
            channel=Channel.WALK_IN,
            applicant_name="Pak Rahman",
            village=bonto_katute,
            phone="0812-3450-0077",
        )
        cases.application_submit(application=application, actor=None)
    application = _into_siak(
        application,
        andi=andi,
        budi=budi,
        accept_at=wita(2026, 11, 23, 10, 5),
        claim_at=wita(2026, 11, 23, 10, 10),
        at=at,
    )
    at(wita(2026, 11, 23, 10, 20))
    clocks.interruption_open(office=sinjai, actor=budi, kind=ServiceInterruption.Kind.SIAK)
    told = OutboundMessage.objects.get(application=application, preview__contains="terganggu")
    assert told.contact.phone == "6281234500077"
