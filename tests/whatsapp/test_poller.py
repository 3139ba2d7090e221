"""The consumer wakes up for new webhook deliveries by looking at the table: the web process sends no message per
POST, the poller queues each new delivery once, also one whose row appeared after a later one."""

import pytest

from pencet.whatsapp import poller, webhook
from pencet.whatsapp.models import WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_run
from tests.wa import run_on_commit, signed_post, wa_text


@pytest.fixture
def no_wake_from_the_web(monkeypatch) -> None:
    """As in production: the acknowledgement commits its row and nothing else (no inline processing)."""
    monkeypatch.setattr(webhook, "webhook_process_task", lambda delivery_id: None)


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The deliveries the poller queued, each run by a worker at once."""
    ids: list[int] = []

    def worker(delivery_id: int) -> None:
        ids.append(delivery_id)
        with run_on_commit():
            webhook_delivery_run(delivery_id=delivery_id)

    monkeypatch.setattr(poller, "webhook_process_task", worker)
    return ids


def post(client, text: str, phone: str) -> int:
    assert signed_post(client, wa_text(text=text, phone=phone, user_id=None)).status_code == 200
    return WebhookDelivery.objects.latest("id").pk


def test_a_citizens_message_reaches_the_handler_through_the_consumers_look(
    client, office, handled, no_wake_from_the_web, queued
):
    post(client, "halo", "6281200000001")
    assert handled == []  # acknowledged and stored, nothing processed yet
    look = poller.WebhookPoller()
    assert look.poll() == 1
    assert [m.text for m in handled] == ["halo"]
    assert look.poll() == 0  # nothing new: nothing queued twice

    post(client, "mau bikin akta", "6281200000001")
    assert look.poll() == 1
    assert [m.text for m in handled] == ["halo", "mau bikin akta"]


def test_a_restarted_consumer_takes_every_delivery_left_pending_in_order(
    client, office, handled, no_wake_from_the_web, queued
):
    for n in range(3):
        post(client, f"pesan {n}", f"628120000001{n}")
    assert poller.WebhookPoller().poll() == 3
    assert [m.text for m in handled] == ["pesan 0", "pesan 1", "pesan 2"]


def test_a_post_that_committed_after_a_later_one_is_still_queued(client, office, handled, no_wake_from_the_web, queued):
    look = poller.WebhookPoller()
    assert look.poll() == 0
    first = post(client, "Andi: halo", "6281200000021")
    second = post(client, "Sari: halo", "6281200000022")
    third = post(client, "Budi: halo", "6281200000023")
    # Sari's INSERT took its id before Budi's but her commit came after the poller's look.
    late = WebhookDelivery.objects.get(pk=second)
    WebhookDelivery.objects.filter(pk=second).delete()
    assert look.poll() == 2
    assert queued == [first, third]

    late.save(force_insert=True)
    assert look.poll() == 1
    assert queued == [first, third, second]
    assert sorted(m.text for m in handled) == ["Andi: halo", "Budi: halo", "Sari: halo"]
    assert look.poll() == 0
