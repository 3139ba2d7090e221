"""The webhook: Meta's handshake, signatures, sizes, and storing before acknowledging."""

import json

import pytest

from pencet.whatsapp.models import InboundMessage, WebhookDelivery
from tests.wa import run_on_commit, signed_post, wa_text

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


def test_a_post_without_signature_is_refused_and_not_stored(client, office, bot_calls):
    response = signed_post(client, wa_text(text="halo"), signature="")
    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_a_post_signed_with_another_secret_is_refused_and_not_stored(client, office, bot_calls):
    response = signed_post(client, wa_text(text="halo"), secret="bukan-rahasia-kita")
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()
    assert not InboundMessage.objects.exists()


def test_a_signature_of_another_body_is_refused(client, office, bot_calls):
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


def test_a_valid_post_is_stored_and_processed(client, office, bot_calls):
    response = signed_post(client, wa_text(text="halo"))
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None
    assert [m.text for m in bot_calls] == ["halo"]


def test_a_valid_post_is_stored_before_the_200_even_when_processing_fails(client, office, monkeypatch):
    import pencet.whatsapp.services as services

    def broken(**kwargs):
        raise RuntimeError("bot down")

    monkeypatch.setattr(services, "_inbound_handle", broken)
    response = signed_post(client, wa_text(text="halo"))
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is None
    assert "bot down" in delivery.error
    # The message itself is kept, waiting for the retry.
    assert InboundMessage.objects.get().processed_at is None


def test_a_failed_delivery_is_handled_by_the_retry(client, office, bot_calls, monkeypatch):
    import pencet.whatsapp.services as services

    real = services._inbound_handle
    monkeypatch.setattr(services, "_inbound_handle", lambda **kw: (_ for _ in ()).throw(RuntimeError("sebentar")))
    signed_post(client, wa_text(text="halo"))
    monkeypatch.setattr(services, "_inbound_handle", real)
    services.webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert [m.text for m in bot_calls] == ["halo"]
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_body_just_under_3_mb_is_accepted(client, office, bot_calls):
    payload = wa_text(text="halo")
    payload["padding"] = "x" * (3 * 1024 * 1024 - 2000)
    assert signed_post(client, payload).status_code == 200
    assert WebhookDelivery.objects.get().processed_at is not None


def test_a_message_the_bot_keeps_failing_on_gets_an_apology_in_the_end(client, office, fake_graph, monkeypatch):
    import pencet.bot.services as bot
    import pencet.whatsapp.services as services
    from tests.wa import PHONE

    def broken(*, message):
        raise RuntimeError("bug")

    monkeypatch.setattr(bot, "bot_handle_inbound", broken)
    signed_post(client, wa_text(text="halo"))
    assert fake_graph.sent() == []
    from datetime import timedelta

    from django.utils import timezone

    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=11))
    with run_on_commit():
        services.webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert "gangguan" in fake_graph.last_text(PHONE)
    assert InboundMessage.objects.get().declined_reason == "error"
    services.webhook_delivery_process(delivery=WebhookDelivery.objects.get())
    assert len(fake_graph.sent()) == 1
