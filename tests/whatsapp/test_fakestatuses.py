"""The Graph stand-in's status webhooks (fakestatuses.py, used by `pencet fake-graph --webhook` and the scale-out
run): signed like Meta's, carrying the send's callback data, tried again until answered, and our webhook takes them."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from pencet.whatsapp import services
from pencet.whatsapp.fakestatuses import StatusWebhooks
from pencet.whatsapp.models import Contact
from tests.wa import PHONE, USER_ID, run_on_commit, signed_post


class Inbox:
    """The app's webhook as the stand-in sees it: refuses the first POST with 503, then keeps what it gets."""

    def __init__(self) -> None:
        self.posts: list[tuple[bytes, str]] = []
        self.refused = 0
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if not inbox.refused:
                    inbox.refused += 1
                    self.send_response(503)
                else:
                    inbox.posts.append((raw, self.headers["X-Hub-Signature-256"]))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/whatsapp/webhook/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, webhooks: StatusWebhooks) -> None:
        """Until `count` posts arrived and the stand-in has heard every answer."""
        deadline = time.monotonic() + 10
        while (len(self.posts) < count or webhooks.pending()) and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def inbox():
    inbox = Inbox()
    yield inbox
    inbox.server.shutdown()


def test_every_accepted_send_gets_metas_signed_statuses_with_its_callback_data_and_they_settle_the_row(
    client, office, fake_graph, inbox, settings
):
    webhooks = StatusWebhooks(url=inbox.url, app_secret=settings.WHATSAPP_APP_SECRET, retry_seconds=0.05)
    webhooks.attach(fake_graph)
    sari = Contact.objects.create(office=office, phone=PHONE, wa_user_id=USER_ID, last_inbound_at=timezone.now())
    with run_on_commit():
        message = services.outbox_enqueue(contact=sari, kind="text", payload={"body": "Selamat datang"})
    inbox.wait_for(2, webhooks)
    assert inbox.refused == 1 and len(inbox.posts) == 2 and webhooks.pending() == 0
    for raw, signature in inbox.posts:
        assert services.webhook_signature_valid(body=raw, signature=signature)
        assert f'"biz_opaque_callback_data": "{message.pk}"'.encode() in raw
        signed_post(client, raw, signature=signature)
    message.refresh_from_db()
    assert message.status == "delivered" and message.wamid == fake_graph.wamid_of(fake_graph.last(PHONE))
