"""The webhook: Meta's handshake, signatures, sizes, and storing before acknowledging."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.whatsapp.models import InboundMessage, WebhookDelivery
from pencet.whatsapp.services import webhook_delivery_process
from tests.wa import PHONE, run_on_commit, signed_post, wa_text

URL = "/whatsapp/webhook/"


def test_meta_verification_handshake_echoes_the_challenge(client, fake_graph):
    response = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "8675309"}
    )
    assert response.status_code == 200
    assert response.content == b"8675309"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_a_handshake_with_a_wrong_token_or_mode_is_forbidden(client, fake_graph, params):
    assert client.get(URL, params).status_code == 403


def test_a_post_without_signature_is_refused_and_not_stored(client, office, handled):
    response = signed_post(client, wa_text(text="halo"), signature="")
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_a_post_signed_with_another_secret_is_refused_and_not_stored(client, office, handled):
    response = signed_post(client, wa_text(text="halo"), secret="bukan-rahasia-kita")
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()
    assert not InboundMessage.objects.exists()


def test_a_signature_of_another_body_is_refused(client, office, handled):
    from tests.wa import sign

    response = signed_post(client, wa_text(text="halo"), signature=sign(b"{}"))
    assert response.status_code == 403


def test_a_signed_body_that_is_not_json_gets_400(client, office):
    response = signed_post(client, b"this is not json")
    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()


def test_a_body_above_3_mb_gets_413(client, office):
    big = json.dumps({"object": "whatsapp_business_account", "entry": [], "pad": "x" * (3 * 1024 * 1024)}).encode()
    response = signed_post(client, big)
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def test_a_valid_post_is_stored_and_processed(client, office, handled):
    response = signed_post(client, wa_text(text="halo"))
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None
    assert [m.text for m in handled] == ["halo"]


def test_a_valid_post_is_stored_before_the_200_even_when_processing_fails(client, office, settings):
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.fail_inbound"
    response = signed_post(client, wa_text(text="halo"))
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is None
    assert "handler down" in delivery.error
    # The message itself is kept, waiting for the retry.
    assert InboundMessage.objects.get().processed_at is None


def test_a_failed_delivery_is_handled_by_the_retry(client, office, handled, settings):
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.fail_inbound"
    signed_post(client, wa_text(text="halo"))
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.record_inbound"
    webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert [m.text for m in handled] == ["halo"]
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_body_just_under_3_mb_is_accepted(client, office, handled):
    payload = wa_text(text="halo")
    payload["padding"] = "x" * (3 * 1024 * 1024 - 2000)
    assert signed_post(client, payload).status_code == 200
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_message_the_handler_keeps_failing_on_gets_an_apology_in_the_end(client, office, fake_graph, settings):
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.fail_inbound"
    signed_post(client, wa_text(text="halo"))
    assert fake_graph.sent() == []
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=11))
    with run_on_commit():
        webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert "gangguan" in fake_graph.last_text(PHONE)
    assert InboundMessage.objects.get().declined_reason == "error"
    webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert len(fake_graph.sent()) == 1
