"""Chats handed to a person: the officer sees who asked and what, takes the chat or passes it to a colleague, answers
with the office's canned replies, and every step is on the chat's record."""

import re

import pytest
from django.urls import reverse

from pencet.bot.models import Conversation, HandoffEntry
from pencet.catalog.models import CannedReply
from pencet.whatsapp.models import Contact
from tests.bot.conftest import Citizen

pytestmark = pytest.mark.django_db

ASKED = "Pak, KK saya namanya salah ketik, bisa dibantu petugas?"


@pytest.fixture
def pak_rahman(client, office, fake_graph) -> Contact:
    """Pak Rahman says hello, tells his problem, and asks for a person."""
    citizen = Citizen(client, fake_graph, phone="6281200000009", user_id="ID.RAHMAN", name="Pak Rahman")
    citizen.say("halo")
    citizen.say(ASKED)
    citizen.say("petugas")
    return Contact.objects.get(phone="6281200000009")


def chat_page(client, contact: Contact) -> str:
    return client.get(reverse("console:contact", args=[contact.pk])).content.decode()


def listed(client, filter_: str = "semua") -> str:
    return client.get(reverse("console:chats"), {"filter": filter_}).content.decode()


def test_the_chat_opens_with_the_composer_and_marks_the_message_that_asked_for_a_person(client_as, pak_rahman):
    html = chat_page(client_as("andi"), pak_rahman)

    assert html.index('id="composer"') < html.index('class="chat"')
    asked = re.search(r'<li class="in asked" id="minta-petugas">(.*?)</li>', html, re.S)
    assert asked and "petugas" in asked.group(1) and "meminta petugas" in asked.group(1)
    assert "Belum ada petugas yang menangani chat ini." in html
    # Newest first, right under the composer: the bot's answer to "petugas" comes before Pak Rahman's question.
    assert html.index("sudah kami teruskan ke petugas") < html.index(ASKED)


def test_an_officer_takes_a_chat_passes_it_on_and_it_is_given_back_each_step_recorded(client_as, people, pak_rahman):
    andi, budi = client_as("andi"), client_as("budi")
    assert "Belum ditangani" in listed(andi) and "Pak Rahman" in listed(andi, "belum")

    andi.post(reverse("console:contact_claim", args=[pak_rahman.pk]))
    assert "Ditangani Andi" in listed(andi)
    assert "Pak Rahman" in listed(andi, "saya") and "Pak Rahman" not in listed(budi, "saya")
    assert "Pak Rahman" not in listed(andi, "belum")
    assert "Ditangani:</strong> Andi (Anda)" in chat_page(andi, pak_rahman)

    conversation = Conversation.objects.get(contact=pak_rahman)
    andi.post(reverse("console:contact_assign", args=[pak_rahman.pk]), {"assignee": people["budi"].pk})
    assert "Pak Rahman" in listed(budi, "saya") and "Pak Rahman" not in listed(andi, "saya")

    # Andi no longer holds it: only Budi (or an admin) gives it back.
    andi.post(reverse("console:contact_release", args=[pak_rahman.pk]))
    conversation.refresh_from_db()
    assert conversation.assigned_to.username == "budi"
    budi.post(reverse("console:contact_release", args=[pak_rahman.pk]))
    assert "Pak Rahman" in listed(andi, "belum")

    steps = [
        (e.action, e.actor.username if e.actor else "", e.assignee.username if e.assignee else "")
        for e in HandoffEntry.objects.filter(conversation__contact=pak_rahman)
    ]
    assert steps == [
        ("requested", "", ""),
        ("claimed", "andi", "andi"),
        ("assigned", "andi", "budi"),
        ("released", "budi", "budi"),
    ]
    assert "Ditugaskan" in chat_page(andi, pak_rahman)


def test_an_officer_answers_from_a_canned_reply_edited_and_the_chat_becomes_theirs(client_as, pak_rahman, gita):
    admin = client_as("gita")
    response = admin.post(
        "/admin/catalog/cannedreply/add/",
        {
            "office": pak_rahman.office_id,
            "title": "Perbaikan data KK",
            "body": "Selamat siang, untuk perbaikan data KK silakan kirim foto KK dan bukti data yang benar.",
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reply = CannedReply.objects.get(title="Perbaikan data KK")

    andi = client_as("andi")
    html = chat_page(andi, pak_rahman)
    assert f'<option value="{reply.pk}" data-body="Selamat siang, untuk perbaikan data KK' in html
    edited = "Selamat siang Pak Rahman, untuk perbaikan data KK silakan kirim foto KK dan ijazah Bapak."
    andi.post(reverse("console:contact", args=[pak_rahman.pk]), {"canned": reply.pk, "body": edited})

    sent = pak_rahman.outbound_messages.filter(sent_by__username="andi").get()
    assert sent.payload == {"body": edited}
    answered = HandoffEntry.objects.get(conversation__contact=pak_rahman, action="replied")
    assert answered.actor.username == "andi" and answered.canned_reply == reply
    assert Conversation.objects.get(contact=pak_rahman).assigned_to.username == "andi"


def test_closing_a_chat_takes_it_off_every_list(client_as, pak_rahman):
    andi = client_as("andi")
    andi.post(reverse("console:contact_claim", args=[pak_rahman.pk]))
    andi.post(reverse("console:contact_done", args=[pak_rahman.pk]))

    assert "Pak Rahman" not in listed(andi) and "Pak Rahman" not in listed(andi, "saya")
    entry = HandoffEntry.objects.filter(conversation__contact=pak_rahman).last()
    assert (entry.action, entry.actor.username, entry.assignee.username) == ("closed", "andi", "andi")


def test_leadership_reads_but_takes_no_chat_and_other_offices_see_none(client_as, pak_rahman):
    eka = client_as("eka")
    eka.post(reverse("console:contact_claim", args=[pak_rahman.pk]))
    assert Conversation.objects.get(contact=pak_rahman).assigned_to is None
    assert 'id="composer"' not in chat_page(eka, pak_rahman)
    assert client_as("hasan").post(reverse("console:contact_claim", args=[pak_rahman.pk])).status_code == 404
    assert "Pak Rahman" not in listed(client_as("hasan"))
