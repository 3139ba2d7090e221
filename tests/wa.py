"""WhatsApp test kit: real Cloud API webhook payloads, signed POSTs and a Graph API stand-in on loopback.

How to use (any test under tests/):

    from tests.wa import signed_post, wa_text, wa_image, wa_button_reply, wa_list_reply, wa_batch, PHONE, USER_ID

    def test_a_citizen_gets_an_answer(client, office, fake_graph):
        response = signed_post(client, wa_text(text="halo"))
        assert response.status_code == 200
        assert "Selamat datang" in fake_graph.last_text(to=PHONE)

What happens: signed_post() POSTs the JSON to /whatsapp/webhook/ with a correct X-Hub-Signature-256; the view
stores it and (Huey runs immediately under pytest) processes it; the bot's answers go through the outbox, whose
on_commit sends are executed inside signed_post (it wraps the POST in captureOnCommitCallbacks(execute=True)),
so by the time signed_post returns, everything the bot said is in `fake_graph`. When a test calls services
directly (e.g. an application transition that notifies the citizen), wrap the call in
`with django_capture_on_commit_callbacks(execute=True):` (pytest-django) or use `run_on_commit()` below.

Payload builders (keyword-only; every one returns a complete webhook body {"object", "entry": [...]}):
    wa_text(text=, user_id=USER_ID, phone=PHONE, name=NAME, wamid=None, phone_number_id=PHONE_NUMBER_ID,
            timestamp=None, context_wamid=None)
    wa_image(media_id=, sha256=None|"base64 or hex", mime="image/jpeg", caption="", **common)
    wa_document(media_id=, sha256=None, mime="application/pdf", filename="dokumen.pdf", caption="", **common)
    wa_button_reply(reply_id=, title=, **common)          interactive button_reply (tap on a reply button)
    wa_list_reply(reply_id=, title=, description="", **common)   interactive list_reply (tap on a list row)
    wa_template_button(payload=, text=, **common)          quick-reply button of a template ("type": "button")
    wa_message(type=, body={...}, **common)               any other type: audio, video, sticker, location,
                                                           contacts, reaction, unsupported, system
    wa_status(wamid=, status="delivered", phone=PHONE, user_id=USER_ID, timestamp=None, error_code=None,
              biz_opaque_callback_data=None, phone_number_id=PHONE_NUMBER_ID)
    wa_batch(*payloads, messages_per_change=1, changes_per_entry=1)  many updates in one POST
   `common` = user_id, phone, name, wamid, phone_number_id, timestamp. Pass user_id=None or phone=None to leave
    that identifier out (Meta may omit either). wamid defaults to a fresh unique id; timestamp to now (unix s).
    With sha256=None the builders leave the hash out; pass media_sha256_b64(data) for the real one.
    media_sha256_b64(data) gives the base64 digest as Meta sends it.

Posting:
    signed_post(client, payload_or_bytes, secret=None, *, signature=None) -> response
        secret defaults to settings.WHATSAPP_APP_SECRET; signature="" sends no header, any other string is sent as is.
    sign(raw: bytes, secret=None) -> "sha256=…"

The `fake_graph` fixture (tests/conftest.py) runs pencet.whatsapp.fakegraph.FakeGraph on a free loopback port,
points settings.WHATSAPP_API_URL/ACCESS_TOKEN/APP_SECRET/VERIFY_TOKEN at it, and exposes:
    fake_graph.sent(to=None) -> [json bodies]    to = phone ("62…") or user id (matches "to" or "recipient")
    fake_graph.last(to) -> dict; fake_graph.last_text(to) -> str; fake_graph.texts(to) -> [str]
        (text body, interactive body text, document caption, or "template_name param1 param2")
    fake_graph.buttons(to) -> [{"id", "title"}] of the last reply-button message
    fake_graph.rows(to) -> [{"id", "title", "description"?}] of the last list message (all sections)
    fake_graph.documents(to) -> [StoredMedia(data, mime_type, filename, sha256)] sent as documents
    fake_graph.add_media(data: bytes, mime: str, filename="") -> media_id  (then wa_image(media_id=…))
    fake_graph.fail_next(code=131047, *, times=1, status=None, message="", subcode=None, path="messages")
        path: "messages" | "upload" | "media_info" | "download" | "" (any); code=0 + status=503 = bare 5xx.
    fake_graph.expire_media_urls(); fake_graph.reset(); fake_graph.url; fake_graph.requests [(method, path)]
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.test import TestCase

from pencet.whatsapp.payloads import (  # noqa: F401 - re-exported for tests
    DISPLAY_PHONE,
    NAME,
    PHONE,
    PHONE_NUMBER_ID,
    USER_ID,
    WABA_ID,
    media_sha256_b64,
    new_wamid,
    signature_header,
    wa_batch,
    wa_button_reply,
    wa_document,
    wa_image,
    wa_list_reply,
    wa_message,
    wa_status,
    wa_template_button,
    wa_text,
)

WEBHOOK_URL = "/whatsapp/webhook/"


def sign(raw: bytes, secret: str | None = None) -> str:
    return signature_header(raw, settings.WHATSAPP_APP_SECRET if secret is None else secret)


def signed_post(
    client: Any, payload_or_bytes: dict | bytes, secret: str | None = None, *, signature: str | None = None
) -> Any:
    """POST to the webhook as Meta does; runs the on_commit work (outbox sends) before returning."""
    raw = payload_or_bytes if isinstance(payload_or_bytes, bytes) else json.dumps(payload_or_bytes).encode()
    headers = {}
    signature = sign(raw, secret) if signature is None else signature
    if signature:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    with run_on_commit():
        return client.post(WEBHOOK_URL, data=raw, content_type="application/json", **headers)


@contextmanager
def run_on_commit():
    """Execute transaction.on_commit callbacks (outbox sends) registered inside the block, also in `db` tests."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
