"""Every stage an application passes through is timed in wall time and in the office's working time."""

import pytest

from pencet.cases import clocks
from pencet.cases import services as cases
from pencet.cases.models import ReviewItem

from .conftest import committed, wita

pytestmark = pytest.mark.django_db


def _timers(application):
    return [
        (t.stage, t.working_seconds, t.wall_seconds, t.target_minutes, t.target_met)
        for t in application.stage_timers.order_by("started_at", "id")
    ]


def test_a_birth_registration_is_timed_stage_by_stage(at, submitted, andi, budi, citra, dewi):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 12))
    with committed():
        cases.application_accept(application=application, actor=andi)
    at(wita(2026, 11, 23, 9, 40))
    with committed():
        cases.application_claim(application=application, actor=budi)
    at(wita(2026, 11, 23, 10, 20))
    with committed():
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.7307.0012345")
    at(wita(2026, 11, 23, 10, 25))
    with committed():
        cases.application_approve(application=application, actor=citra)
    at(wita(2026, 11, 24, 8, 10))  # the head of office signs the next morning
    with committed():
        cases.application_sign(application=application, actor=dewi)
    at(wita(2026, 11, 24, 9))
    with committed():
        cases.application_pick_up(
            application=application, actor=andi, collected_by="Siti Aminah", is_representative=False, originals_seen=[]
        )

    assert _timers(application) == [
        ("review", 12 * 60, 12 * 60, 15, True),
        ("forum", 28 * 60, 28 * 60, 30, True),
        ("siak", 40 * 60, 40 * 60, 30, False),
        ("verification", 5 * 60, 5 * 60, 10, True),
        # Monday 10:25–16:00 and Tuesday 08:00–08:10 at work; 21 h 45 on the wall clock.
        ("signature", (5 * 60 + 45) * 60, (21 * 60 + 45) * 60, 5, False),
        # A pickup waits for the citizen: no target.
        ("delivery", 50 * 60, 50 * 60, None, None),
    ]
    assert {t.office_id for t in application.stage_timers.all()} == {application.office_id}
    siak = application.stage_timers.get(stage="siak")
    assert siak.due_at == wita(2026, 11, 23, 10, 10)
    assert not application.stage_timers.filter(ended_at__isnull=True).exists()


def test_return_release_and_send_back_open_the_stage_again(at, submitted, andi, budi, citra, akta_kelahiran):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 5))
    kk = akta_kelahiran.requirements.get(code="kk")
    verdict = cases.ReviewVerdict(requirement=kk, verdict=ReviewItem.Verdict.MISSING, reason="Belum ada")
    with committed():
        cases.application_return(application=application, actor=andi, items=[verdict])
    at(wita(2026, 11, 23, 11))
    with committed():
        cases.application_resubmit(application=application, actor=None)
    at(wita(2026, 11, 23, 11, 10))
    with committed():
        cases.application_accept(application=application, actor=andi)
    at(wita(2026, 11, 23, 11, 20))
    with committed():
        cases.application_claim(application=application, actor=budi)
    at(wita(2026, 11, 23, 11, 30))
    with committed():
        cases.application_release(application=application, actor=budi)
    at(wita(2026, 11, 23, 11, 35))
    with committed():
        cases.application_claim(application=application, actor=budi)
    at(wita(2026, 11, 23, 11, 50))
    with committed():
        cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.1")
    at(wita(2026, 11, 23, 11, 55))
    with committed():
        cases.application_send_back(application=application, actor=citra, reason="Nama ibu salah ketik")

    assert [(stage, working) for stage, working, *_rest in _timers(application)] == [
        ("review", 5 * 60),
        ("waiting_citizen", 115 * 60),
        ("review", 10 * 60),
        ("forum", 10 * 60),
        ("siak", 10 * 60),
        ("forum", 5 * 60),
        ("siak", 15 * 60),
        ("verification", 5 * 60),
        ("siak", None),  # running again after the verifier sent it back
    ]


def test_a_running_stage_past_its_target_reads_as_overdue(at, submitted):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 14))
    (review,) = clocks.application_stage_clocks(application=application)
    assert (review.overdue, review.target_met, review.working_seconds) == (False, None, 14 * 60)
    assert review.due_at == wita(2026, 11, 23, 9, 15)
    at(wita(2026, 11, 23, 9, 16))
    (review,) = clocks.application_stage_clocks(application=application)
    assert (review.overdue, review.target_met) == (True, False)


def test_recording_the_same_event_twice_changes_nothing(at, submitted, andi):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    at(wita(2026, 11, 23, 9, 10))
    with committed():
        cases.application_accept(application=application, actor=andi)
    # The outbox delivers an event again when a worker died before recording it handled.
    clocks.clock_event_record(event=application.events.get(kind="accept"))
    assert [t[0] for t in _timers(application)] == ["review", "forum"]


def test_an_event_delivered_late_and_out_of_order_is_recorded_in_its_place(at, submitted, andi, budi):
    at(wita(2026, 11, 23, 9))
    application = submitted()
    # Both steps commit, but the worker dies before recording either; the claim's retry comes first.
    at(wita(2026, 11, 23, 9, 10))
    cases.application_accept(application=application, actor=andi)
    at(wita(2026, 11, 23, 9, 30))
    cases.application_claim(application=application, actor=budi)
    at(wita(2026, 11, 23, 9, 45))
    clocks.clock_event_record(event=application.events.get(kind="claim"))
    clocks.clock_event_record(event=application.events.get(kind="accept"))
    assert [(stage, working) for stage, working, *_rest in _timers(application)] == [
        ("review", 10 * 60),
        ("forum", 20 * 60),
        ("siak", None),
    ]
