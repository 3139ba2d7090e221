"""Events are the outbox (pencet/cases/events.py): each subscriber hears of each committed event once, after commit.

`committed()` stands for the commit the officer's request makes (pytest-django's `db` never commits); an action
taken outside it is one whose after-commit task was lost, e.g. the worker died.
"""

from datetime import timedelta

import pytest
from django.db.models import F

from pencet.cases import events
from pencet.cases import services as cases
from pencet.cases.models import Application, Event, EventHandling, Status
from pencet.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db

HEARD: list[tuple[str, str, int]] = []
FAILURES_LEFT = {"count": 0}


def remember(*, event: Event) -> None:
    HEARD.append(("remember", event.kind, event.pk))


def also_remember(*, event: Event) -> None:
    HEARD.append(("also_remember", event.kind, event.pk))


def flaky(*, event: Event) -> None:
    """Fails as often as the test says (a Graph outage, a bug), then works."""
    if FAILURES_LEFT["count"]:
        FAILURES_LEFT["count"] -= 1
        raise RuntimeError("layanan WhatsApp sedang gangguan")
    HEARD.append(("flaky", event.kind, event.pk))


@events.event_subscriber(when=lambda event: event.kind == "accept")
def remember_accepts(*, event: Event) -> None:
    HEARD.append(("remember_accepts", event.kind, event.pk))


def rename(*, event: Event) -> None:
    """Writes to the application, as the clock subscriber writes its due moment."""
    Application.objects.filter(pk=event.application_id).update(applicant_name="Sari Wulandari")


def remember_name(*, event: Event) -> None:
    HEARD.append(("remember_name", event.application.applicant_name, event.pk))


def rename_then_fail(*, event: Event) -> None:
    """Writes to the application and then fails: what it wrote must not stay."""
    Application.objects.filter(pk=event.application_id).update(applicant_name="NAMA SALAH")
    raise RuntimeError("pembaruan nama gagal di tengah jalan")


REMEMBER = "tests.cases.test_events.remember"
RENAME_THEN_FAIL = "tests.cases.test_events.rename_then_fail"
ALSO_REMEMBER = "tests.cases.test_events.also_remember"
FLAKY = "tests.cases.test_events.flaky"
REMEMBER_ACCEPTS = "tests.cases.test_events.remember_accepts"
RENAME = "tests.cases.test_events.rename"
REMEMBER_NAME = "tests.cases.test_events.remember_name"


@pytest.fixture(autouse=True)
def clean_slate() -> None:
    HEARD.clear()
    FAILURES_LEFT["count"] = 0


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def submitted(settings, office, akta_kelahiran, bonto_katute, committed) -> Application:
    """Sari's application, submitted; what the subscribers heard of that is past."""
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER, FLAKY]
    with committed():
        application = cases.application_create(
            office=office, service=akta_kelahiran, applicant_name="Sari", village=bonto_katute
        )
        cases.application_submit(application=application, actor=None)
    HEARD.clear()
    return application


def age(minutes: int) -> None:
    """Let time pass: every event (and every scheduled retry) is now `minutes` older."""
    Event.objects.update(created_at=F("created_at") - timedelta(minutes=minutes))
    EventHandling.objects.filter(retry_at__isnull=False).update(retry_at=F("retry_at") - timedelta(minutes=minutes))


def handling(*, event: Event, subscriber: str) -> EventHandling:
    return EventHandling.objects.get(event=event, subscriber=subscriber)


def test_every_subscriber_hears_of_an_accept_once_it_is_committed(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER, ALSO_REMEMBER]
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    assert HEARD == [("remember", "accept", accept.pk), ("also_remember", "accept", accept.pk)]
    assert handling(event=accept, subscriber=REMEMBER).state == "done"
    assert handling(event=accept, subscriber=ALSO_REMEMBER).state == "done"


def test_a_refused_transition_tells_no_subscriber(settings, submitted, budi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER]
    with committed(), pytest.raises(cases.ApplicationPermissionError):
        cases.application_accept(application=submitted, actor=budi)
    assert HEARD == []


def test_a_failing_subscriber_does_not_undo_the_accept_and_a_later_retry_succeeds(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [FLAKY]
    FAILURES_LEFT["count"] = 1
    with committed():
        cases.application_accept(application=submitted, actor=andi)

    assert Application.objects.get(pk=submitted.pk).status == Status.ACCEPTED
    accept = submitted.events.get(kind="accept")
    failed = handling(event=accept, subscriber=FLAKY)
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert "layanan WhatsApp sedang gangguan" in failed.last_error
    assert HEARD == []

    # Not before its time: the first retry waits 30 seconds.
    assert events.event_handle(event_id=accept.pk, subscriber=FLAKY) is None
    age(minutes=1)
    with committed():
        assert events.event_handle(event_id=accept.pk, subscriber=FLAKY) == "done"
    assert HEARD == [("flaky", "accept", accept.pk)]
    done = handling(event=accept, subscriber=FLAKY)
    assert (done.state, done.attempts, done.last_error) == ("done", 2, "")


def test_a_subscriber_that_keeps_failing_is_given_up_after_six_attempts_and_the_sweep_leaves_it(
    settings, submitted, andi, committed
):
    settings.PENCET_EVENT_SUBSCRIBERS = [FLAKY]
    FAILURES_LEFT["count"] = 100
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    for _attempt in range(5):
        age(minutes=60)
        events.event_handle(event_id=accept.pk, subscriber=FLAKY)
    given_up = handling(event=accept, subscriber=FLAKY)
    assert (given_up.state, given_up.attempts) == ("dead", 6)
    assert events.events_sweep() == 0
    assert FAILURES_LEFT["count"] == 94


def test_each_subscriber_handles_an_event_once_even_if_it_is_dispatched_twice(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER, ALSO_REMEMBER]
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    events.event_dispatch(event_id=accept.pk)
    events.event_dispatch(event_id=accept.pk)
    assert HEARD == [("remember", "accept", accept.pk), ("also_remember", "accept", accept.pk)]


def test_a_handling_claimed_by_another_worker_is_left_to_it_until_that_worker_is_presumed_dead(
    settings, submitted, andi
):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER]
    cases.application_accept(application=submitted, actor=andi)  # its task was lost
    accept = submitted.events.get(kind="accept")
    EventHandling.objects.create(
        event=accept,
        subscriber=REMEMBER,
        state="running",
        attempts=1,
        claim_token="other",
        claimed_at=accept.created_at,
    )
    assert events.event_handle(event_id=accept.pk, subscriber=REMEMBER) is None
    assert HEARD == []

    EventHandling.objects.update(claimed_at=F("claimed_at") - timedelta(minutes=6))
    assert events.event_handle(event_id=accept.pk, subscriber=REMEMBER) == "done"
    assert HEARD == [("remember", "accept", accept.pk)]
    assert handling(event=accept, subscriber=REMEMBER).attempts == 2


def test_the_sweep_recovers_an_event_whose_task_was_lost(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER]
    cases.application_accept(application=submitted, actor=andi)  # no commit seen: the task never ran
    accept = submitted.events.get(kind="accept")
    assert HEARD == []

    # A young event is left to its own task for two minutes.
    assert events.events_sweep() == 0
    age(minutes=3)
    with committed():
        events.events_sweep()
    assert HEARD == [("remember", "accept", accept.pk)]
    with committed():
        assert events.events_sweep() == 0
    assert HEARD == [("remember", "accept", accept.pk)]


def test_the_sweep_sends_the_citizen_the_messages_of_lost_tasks_oldest_first(
    office, akta_kelahiran, bonto_katute, andi, committed
):
    sari = Contact.objects.create(office=office, phone="6281234567890", profile_name="Sari")
    application = cases.application_create(
        office=office, service=akta_kelahiran, contact=sari, applicant_name="Sari", village=bonto_katute
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    assert not OutboundMessage.objects.filter(contact=sari).exists()

    age(minutes=3)
    with committed():
        events.events_sweep()
    bodies = [m.payload["body"] for m in OutboundMessage.objects.filter(contact=sari).order_by("pk")]
    assert len(bodies) == 2
    assert "sudah kami terima" in bodies[0]
    assert "lengkap" in bodies[1]


def test_the_sweep_leaves_events_older_than_a_day_alone(settings, submitted, andi):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER]
    cases.application_accept(application=submitted, actor=andi)
    age(minutes=25 * 60)
    assert events.events_sweep() == 0
    assert HEARD == []


def test_a_subscriber_added_later_is_fed_recent_events_by_the_sweep(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER]
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    HEARD.clear()
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER, ALSO_REMEMBER]
    age(minutes=3)
    with committed():
        events.events_sweep()
    kinds = sorted((who, kind) for who, kind, _pk in HEARD)
    assert kinds == [("also_remember", "accept"), ("also_remember", "created"), ("also_remember", "submit")]
    assert HEARD[0][1] == "created"  # oldest first


def test_staff_can_try_a_given_up_subscriber_again_once_the_cause_is_fixed(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [FLAKY]
    FAILURES_LEFT["count"] = 6
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    for _attempt in range(5):
        age(minutes=60)
        events.event_handle(event_id=accept.pk, subscriber=FLAKY)
    assert handling(event=accept, subscriber=FLAKY).state == "dead"

    assert events.event_handlings_retry(handlings=EventHandling.objects.filter(event=accept)) == 1
    age(minutes=1)
    with committed():
        events.events_sweep()
    assert HEARD == [("flaky", "accept", accept.pk)]
    assert handling(event=accept, subscriber=FLAKY).state == "done"


def test_a_subscriber_for_accepts_only_is_not_called_for_a_return_yet_its_handling_is_done(
    settings, office, akta_kelahiran, bonto_katute, andi, committed
):
    settings.PENCET_EVENT_SUBSCRIBERS = [REMEMBER_ACCEPTS, REMEMBER]
    with committed():
        application = cases.application_create(
            office=office, service=akta_kelahiran, applicant_name="Sari", village=bonto_katute
        )
        cases.application_submit(application=application, actor=None)
    with committed():
        cases.application_accept(application=application, actor=andi)
    submit, accept = application.events.get(kind="submit"), application.events.get(kind="accept")
    assert ("remember_accepts", "accept", accept.pk) in HEARD
    assert not [heard for heard in HEARD if heard[0] == "remember_accepts" and heard[1] != "accept"]
    assert ("remember", "submit", submit.pk) in HEARD
    # Nothing is left for the sweep: the submission's handling for the accepts-only subscriber is done.
    assert handling(event=submit, subscriber=REMEMBER_ACCEPTS).state == "done"
    age(minutes=3)
    assert events.events_sweep() == 0


def test_a_subscriber_sees_what_the_one_before_it_wrote_for_the_same_event(settings, submitted, andi, committed):
    settings.PENCET_EVENT_SUBSCRIBERS = [RENAME, REMEMBER_NAME]
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    assert HEARD == [("remember_name", "Sari Wulandari", accept.pk)]


def test_a_subscriber_failing_between_two_others_leaves_their_work_and_none_of_its_own(
    settings, submitted, andi, committed
):
    settings.PENCET_EVENT_SUBSCRIBERS = [RENAME, RENAME_THEN_FAIL, REMEMBER_NAME]
    with committed():
        cases.application_accept(application=submitted, actor=andi)
    accept = submitted.events.get(kind="accept")
    submitted.refresh_from_db()
    assert submitted.applicant_name == "Sari Wulandari"
    assert HEARD == [("remember_name", "Sari Wulandari", accept.pk)]
    assert handling(event=accept, subscriber=RENAME).state == "done"
    assert handling(event=accept, subscriber=REMEMBER_NAME).state == "done"
    failed = handling(event=accept, subscriber=RENAME_THEN_FAIL)
    assert failed.state == "failed" and "pembaruan nama gagal" in failed.last_error
