"""The phone simulator and the Graph API stand-in behind it (PENCET_SIMULATOR=1).

The simulator posts signed webhooks over real HTTP to the server named by SITE_URL; here that is the live test
server on loopback, so the hop from the phone page to /whatsapp/webhook/ is the production path, unpatched. The
stand-in is the fake_graph on loopback.
"""

import hashlib
import hmac
import io

import pytest
from PIL import Image

from pencet.whatsapp.models import InboundMessage, OutboundMessage, WebhookDelivery
from tests.wa import run_on_commit


def test_without_the_simulator_switch_the_simulator_does_not_exist(client, db):
    assert client.get("/simulator/").status_code == 404
    assert client.get("/simulator/graph/v23.0/1").status_code == 404


@pytest.fixture
def simulator(settings, client, live_server, office, handled, fake_graph, monkeypatch):
    from pencet.whatsapp import fakegraph, simulator

    settings.ROOT_URLCONF = "tests.whatsapp.simulator_urls"
    settings.SITE_URL = live_server.url
    monkeypatch.setattr(fakegraph, "_simulator_graph", fake_graph)
    monkeypatch.setattr(simulator._phones, "sent", {})
    fake_graph.on_send = simulator._echo_send
    # Meta's statuses arrive later from a background thread; the test collects them and lets them arrive when it
    # says so (each one still a signed POST over HTTP), so nothing here waits on a clock.
    statuses = []
    monkeypatch.setattr(simulator, "_spawn", statuses.append)
    monkeypatch.setattr(simulator, "STATUS_DELAY_SECONDS", 0)
    fake_graph.pending_statuses = statuses
    return fake_graph


def _signature(body: bytes) -> str:
    return "sha256=" + hmac.new(b"test-app-secret", body, hashlib.sha256).hexdigest()


def test_a_citizen_typing_in_the_simulator_reaches_the_handler_through_a_signed_webhook(client, simulator, handled):
    client.post("/simulator/identity/", {"name": "Budi Santoso", "phone": "0812 5555 0001"})
    page = client.get("/simulator/")
    assert page.status_code == 200 and "+6281255550001" in page.content.decode()
    client.post("/simulator/send/", {"text": "halo, mau buat akta"})
    [message] = handled
    assert message.text == "halo, mau buat akta" and message.contact.phone == "6281255550001"
    assert message.contact.profile_name == "Budi Santoso" and message.contact.wa_user_id.startswith("ID.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None
    assert delivery.signature == _signature(bytes(delivery.body))


def test_a_refused_file_gets_the_polite_answer_on_the_simulated_phone(client, simulator, handled):
    client.post("/simulator/send/", {"file": io.BytesIO(b"MZ not a document"), "text": ""})
    assert handled == []
    answer = simulator.last_text()
    assert answer.startswith("Maaf")
    assert answer in client.get("/simulator/messages/").content.decode()
    # Statuses come back through the webhook like Meta's: sent and delivered, then read once the phone showed it.
    for run in list(simulator.pending_statuses):
        run()
    assert OutboundMessage.objects.get().status == "read"


def test_the_conversation_is_only_redrawn_when_it_changed(client, simulator):
    client.post("/simulator/send/", {"text": "halo"})
    assert client.get("/simulator/messages/", {"n": "1"}).status_code == 204
    assert b"halo" in client.get("/simulator/messages/", {"n": "0"}).content


def test_a_photo_from_the_simulator_is_downloaded_from_the_stand_in(client, simulator, handled):
    out = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 180, 160)).save(out, format="JPEG")
    out.seek(0)
    out.name = "ktp.jpg"
    client.post("/simulator/send/", {"file": out, "text": "foto KTP"})
    media = handled[0].media
    assert media.accepted and media.quality["width"] == 900
    assert InboundMessage.objects.get().text == "foto KTP"
    assert client.get(f"/simulator/media/{media.media_id}/").status_code == 200


def test_buttons_and_list_rows_sent_by_the_bot_can_be_tapped(client, simulator, handled):
    from pencet.whatsapp.services import outbox_enqueue

    client.post("/simulator/send/", {"text": "halo"})
    with run_on_commit():
        outbox_enqueue(
            contact=handled[0].contact,
            kind="buttons",
            payload={"body": "Lanjut?", "buttons": [{"id": "lanjut", "title": "Ya, lanjut"}]},
        )
        outbox_enqueue(
            contact=handled[0].contact,
            kind="list",
            payload={"body": "Pilih", "button": "Layanan", "sections": [{"rows": [{"id": "kk", "title": "KK baru"}]}]},
        )
    shown = client.get("/simulator/messages/").content.decode()
    assert "Ya, lanjut" in shown and "KK baru" in shown
    client.post("/simulator/send/", {"kind": "button", "reply_id": "lanjut", "title": "Ya, lanjut"})
    client.post("/simulator/send/", {"kind": "list", "reply_id": "kk", "title": "KK baru"})
    assert [(m.type, m.reply_id) for m in handled[1:]] == [("interactive", "lanjut"), ("interactive", "kk")]
    assert [m.payload["interactive"]["type"] for m in handled[1:]] == ["button_reply", "list_reply"]


def test_the_stand_in_mounted_in_the_server_speaks_the_graph_api(client, simulator):
    denied = client.get("/simulator/graph/v23.0/123")
    assert denied.status_code == 401 and denied.json()["error"]["code"] == 190
    media_id = simulator.add_media(b"%PDF-1.4 x %%EOF", "application/pdf")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {simulator.token}", "HTTP_HOST": "127.0.0.1:8000"}
    info = client.get(f"/simulator/graph/v23.0/{media_id}", **bearer).json()
    assert info["url"].startswith("http://127.0.0.1:8000/simulator/graph/download/") and info["file_size"] == 16
    path = info["url"].removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 401
    assert client.get(path, **bearer).content == b"%PDF-1.4 x %%EOF"


def test_the_simulators_meta_approves_the_demo_offices_templates_so_the_demo_can_announce(
    transactional_db, fake_graph, settings
):
    # Transactional: the stand-in answers from its own thread and reads the templates the seed committed.
    from pencet.accounts.services import demo_office_seed
    from pencet.catalog.models import MessageTemplate
    from pencet.whatsapp import fakegraph
    from pencet.whatsapp.templates_sync import message_templates_sync

    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = "100000000000009"
    office = demo_office_seed()
    fake_graph.templates_source = fakegraph._registered_templates
    message_templates_sync()
    statuses = set(MessageTemplate.objects.filter(office=office).values_list("meta_status", flat=True))
    assert statuses == {"APPROVED"}
    announcement = MessageTemplate.objects.get(office=office, event="service_day_announcement")
    assert announcement.meta_components[0]["text"].startswith("Info {{1}}")
