"""A citizen sends a photo and then a text; two workers take the two POSTs at once. The photo's worker is still
downloading when the text's worker starts, yet the conversation gets the photo first, as the citizen sent them."""

import threading

import pytest
from django.db import connection

from pencet.whatsapp import inbound as inbound_module
from pencet.whatsapp import webhook
from pencet.whatsapp.models import WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_run
from tests.wa import signed_post, wa_image, wa_text

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the test database is in memory; two workers need a database server"
)


@pytest.fixture
def slow_download(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """(downloading, finish): the photo's download has begun; let it end."""
    downloading, finish = threading.Event(), threading.Event()

    def download(*, message) -> None:
        downloading.set()
        assert finish.wait(10)

    monkeypatch.setattr(inbound_module, "media_receive", download)
    return downloading, finish


def worker(delivery_id: int, errors: list) -> threading.Thread:
    def run() -> None:
        try:
            webhook_delivery_run(delivery_id=delivery_id)
        except Exception as exc:  # seen by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_text_waits_for_the_photo_sent_before_it_that_another_worker_is_downloading(
    client, office, handled, slow_download, monkeypatch
):
    monkeypatch.setattr(webhook, "webhook_process_task", lambda delivery_id: None)  # the workers below take them
    signed_post(client, wa_image(media_id="media.KTP", timestamp=1_790_000_000))
    signed_post(client, wa_text(text="sudah saya kirim", timestamp=1_790_000_005))
    photo, text = WebhookDelivery.objects.order_by("id")
    downloading, finish = slow_download
    errors: list = []

    first = worker(photo.pk, errors)
    assert downloading.wait(10)
    second = worker(text.pk, errors)
    second.join(0.6)
    assert second.is_alive() and handled == []  # the text's worker waits for the photo
    finish.set()
    first.join(10)
    second.join(10)

    assert errors == []
    assert [m.type for m in handled] == ["image", "text"]
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
