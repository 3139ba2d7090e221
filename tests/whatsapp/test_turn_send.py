"""A citizen's turn, its answer's claim and its POST's outcome are one transaction; the call to Meta follows it."""

import pytest

from pencet.whatsapp import client as graph_client
from pencet.whatsapp import services
from pencet.whatsapp.models import ChannelAlert, InboundMessage, OutboundMessage, WebhookDelivery
from tests.wa import PHONE, run_on_commit, signed_post, wa_text
from tests.whatsapp.test_outbox import GRACE_SECONDS, STALE_SECONDS, WorkerKilled


@pytest.fixture(autouse=True)
def answering(settings) -> None:
    settings.WHATSAPP_INBOUND_HANDLER = "tests.whatsapp.handlers.answer_inbound"


@pytest.fixture
def dies_in_the_call_to_meta(monkeypatch):
    real = graph_client.graph_send

    def dying_send(**kwargs):
        monkeypatch.setattr(graph_client, "graph_send", real)  # the next worker is a healthy one
        raise WorkerKilled

    monkeypatch.setattr(graph_client, "graph_send", dying_send)


@pytest.mark.django_db(transaction=True)  # real commits: the call to Meta runs right after the turn's
def test_a_worker_killed_on_its_way_to_meta_leaves_the_turn_done_and_the_answer_goes_out_once(
    client, office, fake_graph, dies_in_the_call_to_meta, later
):
    with pytest.raises(WorkerKilled):
        signed_post(client, wa_text(text="halo"))
    # The turn is done, the POST with it: nobody will answer "halo" a second time.
    assert InboundMessage.objects.get().processed_at is not None
    assert WebhookDelivery.objects.get().processed_at is not None
    [answer] = OutboundMessage.objects.all()
    assert answer.status == "sending" and fake_graph.sent() == []
    # The answer was claimed for its send with the turn: the outbox treats it as a call whose worker died.
    later(STALE_SECONDS + 10)
    services.outbox_sweep()
    later(GRACE_SECONDS + 10)
    services.outbox_sweep()
    [sent] = fake_graph.sent(PHONE)
    assert sent["text"]["body"] == "Pesan Anda diterima: halo"
    later(600)
    services.outbox_sweep()
    assert len(fake_graph.sent(PHONE)) == 1


@pytest.mark.django_db
def test_while_sending_is_stopped_a_citizens_answer_waits_and_goes_once_the_alert_is_cleared(
    client, office, fake_graph, gita
):
    alert = ChannelAlert.objects.create(code="190", message="Token akses tidak berlaku lagi.", stops_sending=True)
    signed_post(client, wa_text(text="halo"))
    assert fake_graph.sent() == []
    assert OutboundMessage.objects.get().status == "queued"
    with run_on_commit():
        services.channel_alert_clear(alert=alert, user=gita)
    assert [m["text"]["body"] for m in fake_graph.sent(PHONE)] == ["Pesan Anda diterima: halo"]
