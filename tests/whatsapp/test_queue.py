"""The stored delivery is the work queue: one durable write per POST, a wake-up nobody must keep, a sweep within
seconds, attempts bounded, dead deliveries shown to the office admin with a retry."""

import json
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from pencet.whatsapp import webhook
from pencet.whatsapp.models import InboundMessage, WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_run, webhook_sweep
from tests.wa import run_on_commit, signed_post, wa_text
from tests.whatsapp import handlers


@pytest.fixture
def queue_down(monkeypatch) -> None:
    """Every wake-up is lost, as when the queue is down or the consumer was killed before taking it."""

    def lost(delivery_id: int) -> None:
        raise ConnectionError("queue down")

    monkeypatch.setattr(webhook, "webhook_process_task", lost)


@pytest.fixture
def failing_on_rusak(settings) -> None:
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.fail_on_rusak"


def later(**delta: float) -> None:
    """Let time pass for the stored deliveries (their moments move into the past)."""
    shift = timedelta(**delta)
    WebhookDelivery.objects.update(
        received_at=F("received_at") - shift,
        next_attempt_at=F("next_attempt_at") - shift,
        claimed_until=F("claimed_until") - shift,
    )


def texts(messages: list) -> list[str]:
    return [m.text for m in messages]


def test_a_post_is_acknowledged_and_kept_when_its_wake_up_is_lost(client, office, handled, queue_down):
    assert signed_post(client, wa_text(text="halo")).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert (delivery.processed_at, delivery.attempts) == (None, 0)
    assert handled == []


def test_the_sweep_takes_a_missed_delivery_a_few_seconds_later(client, office, handled, queue_down):
    signed_post(client, wa_text(text="halo"))
    # The wake-up gets its moment first; a sweep in the same instant leaves the delivery alone.
    assert webhook_sweep() == 0
    later(seconds=5)
    with run_on_commit():
        assert webhook_sweep() == 1
    assert texts(handled) == ["halo"]
    assert WebhookDelivery.objects.get().processed_at is not None


def test_after_a_kill_every_stored_delivery_is_processed_once(client, office, handled, queue_down, settings):
    for n in range(20):
        response = signed_post(client, wa_text(text=f"pesan {n}", phone=f"62811000{n:05d}", user_id=None))
        assert response.status_code == 200
    # One more was being processed when the worker was killed, mid-turn. Its first attempt is claimed with its
    # turn and its message stored with it, so nothing of it is written; the delivery row still holds it.
    signed_post(client, wa_text(text="terputus", phone="6281199999999", user_id=None))
    cut = WebhookDelivery.objects.latest("id")
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.test_queue.killed"
    with pytest.raises(KeyboardInterrupt):
        webhook_delivery_run(delivery_id=cut.pk)
    cut.refresh_from_db()
    assert cut.attempts == 0 and cut.claimed_until is None and cut.processed_at is None
    assert not InboundMessage.objects.filter(text="terputus").exists()

    # The consumer comes back; the dead worker's claim has run out.
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.record_inbound"
    later(minutes=3)
    with run_on_commit():
        webhook_sweep()
    assert sorted(texts(handled)) == sorted([f"pesan {n}" for n in range(20)] + ["terputus"])
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()


def killed(*, message) -> None:
    raise KeyboardInterrupt  # stands for kill -9: nothing after it runs, no except Exception catches it


def test_a_failing_delivery_waits_longer_each_time_and_is_dead_after_six_attempts(
    client, office, handled, failing_on_rusak
):
    signed_post(client, wa_text(text="rusak 1"))
    delivery = WebhookDelivery.objects.get()
    assert handlers.failed == ["rusak 1"] and delivery.attempts == 1
    assert timedelta(seconds=29) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    later(seconds=20)
    webhook_sweep()
    assert len(handlers.failed) == 1  # not due yet
    later(seconds=11)
    webhook_sweep()
    assert len(handlers.failed) == 2
    later(seconds=31)
    webhook_sweep()
    assert len(handlers.failed) == 2  # the second pause is 60 s
    later(seconds=30)
    webhook_sweep()
    assert len(handlers.failed) == 3
    for _ in range(10):
        later(hours=1)
        webhook_sweep()
    delivery.refresh_from_db()
    assert len(handlers.failed) == 6 and delivery.attempts == 6
    assert delivery.dead_at is not None and delivery.processed_at is None
    assert "handler down for rusak 1" in delivery.error


def test_kills_in_a_first_attempt_go_uncounted_only_until_the_sweep_takes_the_delivery(
    client, office, queue_down, settings
):
    signed_post(client, wa_text(text="racun"))
    delivery = WebhookDelivery.objects.get()
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.test_queue.killed"
    for _ in range(2):  # the wake-up and a second one: claimed with the turn, rolled back with it
        with pytest.raises(KeyboardInterrupt):
            webhook_delivery_run(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 0
    later(seconds=4)  # past the sweep's grace: the claim is written before the turn and counts
    with pytest.raises(KeyboardInterrupt):
        webhook_sweep()
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.claimed_until is not None


def test_a_delivery_that_kills_its_worker_every_time_is_dead_after_six_attempts(client, office, queue_down, settings):
    signed_post(client, wa_text(text="racun"))
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.test_queue.killed"
    for _ in range(8):
        later(minutes=5)
        try:
            webhook_sweep()
        except KeyboardInterrupt:
            pass
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 6 and delivery.dead_at is not None
    assert "worker stopped" in delivery.error


def test_a_good_delivery_lost_behind_200_failing_ones_is_processed_by_the_second_sweep(
    client, office, handled, failing_on_rusak, queue_down
):
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(body=json.dumps(wa_text(text=f"rusak {n}", phone=f"62812{n:08d}", user_id=None)).encode())
        for n in range(200)
    )
    # Older failures already given up on stay out of the way as well.
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(body=b"{}", attempts=6, dead_at=timezone.now(), error="x") for _ in range(50)
    )
    signed_post(client, wa_text(text="penting"))
    later(seconds=5)
    with run_on_commit():
        webhook_sweep(budget_seconds=120)
        webhook_sweep(budget_seconds=120)
    assert texts(handled) == ["penting"]
    assert len(handlers.failed) == 200
    # The failing ones wait for their next attempt; a third sweep at once tries none of them again.
    webhook_sweep(budget_seconds=120)
    assert len(handlers.failed) == 200
    assert WebhookDelivery.objects.filter(dead_at__isnull=False).count() == 50


def test_a_post_with_a_poisoned_update_is_never_retried(client, office, handled):
    payload = wa_text(text="halo")
    payload["entry"][0]["changes"][0]["value"]["messages"].append({"id": "wamid.X", "from": None, "type": "text"})
    signed_post(client, payload)
    later(hours=2)
    webhook_sweep()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.processed_at is not None and texts(handled) == ["halo"]


def test_the_office_admin_sees_a_dead_delivery_and_retries_it(
    client, office, handled, failing_on_rusak, gita, settings
):
    settings.OTP_REQUIRED = False
    signed_post(client, wa_text(text="rusak lalu pulih"))
    WebhookDelivery.objects.update(attempts=6, dead_at=timezone.now(), next_attempt_at=None)
    dead = WebhookDelivery.objects.get()
    admin = Client()
    admin.force_login(gita)
    page = admin.get("/admin/whatsapp/webhookdelivery/?keadaan=dead")
    assert page.status_code == 200
    assert "handler down for rusak lalu pulih" in page.content.decode()

    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.record_inbound"
    with run_on_commit():
        response = admin.post(
            "/admin/whatsapp/webhookdelivery/", {"action": "retry", "_selected_action": [dead.pk]}, follow=True
        )
    assert "1 webhook dijadwalkan untuk diproses lagi." in response.content.decode()
    dead.refresh_from_db()
    assert dead.processed_at is not None and dead.dead_at is None and dead.attempts == 1
    assert texts(handled) == ["rusak lalu pulih"]


def test_an_office_admin_never_sees_another_offices_deliveries(client, office, other_office, handled, gita, settings):
    settings.OTP_REQUIRED = False
    signed_post(client, wa_text(text="dari Bone", phone_number_id="100000000000002"))
    theirs = WebhookDelivery.objects.get()
    assert theirs.office == other_office
    admin = Client()
    admin.force_login(gita)
    assert admin.get(f"/admin/whatsapp/webhookdelivery/{theirs.pk}/change/").status_code in (302, 403, 404)
    assert (
        f"/admin/whatsapp/webhookdelivery/{theirs.pk}/"
        not in admin.get("/admin/whatsapp/webhookdelivery/").content.decode()
    )


def test_a_citizens_next_message_does_not_wait_for_an_earlier_one_that_waits_for_its_retry(
    client, office, handled, failing_on_rusak, monkeypatch
):
    from pencet.whatsapp import inbound

    signed_post(client, wa_text(text="rusak dulu", timestamp=int(timezone.now().timestamp()) - 5))
    monkeypatch.setattr(inbound.time, "sleep", lambda seconds: pytest.fail("waited for a message nobody handles"))
    signed_post(client, wa_text(text="halo"))
    assert texts(handled) == ["halo"]
