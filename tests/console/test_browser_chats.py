"""In a real headless Chromium on a phone: a long chat handed to a person opens with the composer in view and the
message that asked for a person scrolled into view in the transcript below it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.bot.models import Conversation, HandoffEntry
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage

from .conftest import PHONE, csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_chat(office) -> Contact:
    """Bu Nurhayati asked for a person, then kept writing: 30 messages came after her request."""
    start = timezone.now() - timedelta(hours=2)
    contact = Contact.objects.create(
        office=office, phone="6281200000011", profile_name="Bu Nurhayati", needs_human=True, last_inbound_at=start
    )
    asked = InboundMessage.objects.create(
        office=office,
        contact=contact,
        wamid="wamid.asked",
        type="text",
        text="tolong sambungkan ke petugas",
        sent_at=start,
    )
    for n in range(30):
        InboundMessage.objects.create(
            office=office,
            contact=contact,
            wamid=f"wamid.later.{n}",
            type="text",
            text=f"Pesan berikutnya nomor {n + 1}: saya masih menunggu jawaban soal akta anak saya.",
            sent_at=start + timedelta(minutes=n + 1),
        )
    OutboundMessage.objects.create(office=office, contact=contact, kind="text", preview="Baik, diteruskan ke petugas.")
    conversation = Conversation.objects.create(contact=contact, state="menu", handoff_message=asked)
    HandoffEntry.objects.create(conversation=conversation, action=HandoffEntry.Action.REQUESTED)
    return contact


def test_on_a_phone_the_composer_is_at_the_top_and_the_request_is_in_view(open_as, live_server, long_chat):
    page = open_as("andi", PHONE)
    page.goto(f"{live_server.url}/kontak/{long_chat.pk}/")

    assert page.evaluate("window.scrollY") == 0
    composer = page.locator("#composer textarea").bounding_box()
    send = page.locator("#composer button[type=submit]").bounding_box()
    assert composer["y"] >= 0 and send["y"] + send["height"] <= PHONE["height"]

    box = page.locator(".chat-scroll").bounding_box()
    asked = page.locator("#minta-petugas").bounding_box()
    assert page.evaluate("document.querySelector('.chat-scroll').scrollTop") > 0
    assert box["y"] <= asked["y"] and asked["y"] + asked["height"] <= box["y"] + box["height"] + 1
    assert "tolong sambungkan ke petugas" in page.locator("#minta-petugas").inner_text()
    assert csp_violations(page) == []
