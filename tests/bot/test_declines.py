"""Message types the bot cannot read (the channel hands them over): a polite answer, and the conversation stays
where it was."""

import itertools

import pytest
from django.utils import timezone

from pencet.bot.services import bot_handle_inbound
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage

from .conftest import said
from .test_conversation import apply_for

pytestmark = pytest.mark.django_db
WAMIDS = itertools.count(1)


def hand_over(contact: Contact, kind: str, *, text: str = "", reply_id: str = "") -> list[str]:
    """What the channel does for a message of `kind`: store it and call the bot; returns the texts sent back."""
    before = OutboundMessage.objects.count()
    message = InboundMessage.objects.create(
        office=contact.office,
        contact=contact,
        wamid=f"wamid.decline.{next(WAMIDS)}",
        type=kind,
        text=text,
        reply_id=reply_id,
        sent_at=timezone.now(),
    )
    bot_handle_inbound(message=message)
    sent = OutboundMessage.objects.order_by("pk")[before:]
    return [m.payload.get("body", "") for m in sent]


@pytest.fixture
def sari(office) -> Contact:
    return Contact.objects.create(office=office, phone="6281234567890", profile_name="Sari")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("video", "Maaf, jenis pesan ini belum dapat kami proses."),
        ("sticker", "Maaf, jenis pesan ini belum dapat kami proses."),
        ("location", "Terima kasih, tetapi kami belum dapat memproses kiriman lokasi."),
        ("contacts", "Terima kasih, tetapi kami belum dapat memproses kiriman kontak."),
        ("unsupported", "Maaf, jenis pesan ini belum dapat kami proses."),
    ],
)
def test_each_unreadable_type_gets_its_polite_answer_and_what_we_accept(sari, kind, expected):
    answers = hand_over(sari, kind)
    assert answers == [expected + " Kami menerima pesan teks, foto (JPG, PNG, WebP, HEIC) dan dokumen PDF."]
    assert InboundMessage.objects.get().declined_reason == f"type_{kind}"


def test_a_voice_note_goes_to_an_officer_instead_of_being_refused(sari):
    answers = hand_over(sari, "audio")
    assert len(answers) == 1
    assert "pesan suara Anda sudah kami teruskan ke petugas" in answers[0]
    sari.refresh_from_db()
    assert sari.needs_human
    assert InboundMessage.objects.get().declined_reason == "type_audio"


def test_after_a_voice_note_the_bot_waits_for_the_officer_but_menu_brings_the_greeting(sari):
    hand_over(sari, "audio")
    assert hand_over(sari, "text", text="halo") == []
    answers = hand_over(sari, "text", text="menu")
    assert any("Selamat datang Sari" in a for a in answers)


def test_an_interactive_message_that_is_no_button_or_list_reply_is_unsupported(sari):
    answers = hand_over(sari, "interactive", text="")
    assert answers[0].startswith("Maaf, jenis pesan ini belum dapat kami proses.")


def test_the_answer_follows_the_contacts_language(sari):
    sari.language = "en"
    sari.save()
    answers = hand_over(sari, "audio")
    assert len(answers) == 1 and answers[0].startswith("Thank you, your voice message has been passed to an officer")


def test_a_sticker_in_the_middle_of_an_application_leaves_the_step_as_it_was(citizen):
    from pencet.bot.models import Conversation

    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    contact = Contact.objects.get()
    hand_over(contact, "sticker")
    assert Conversation.objects.get().state == "collect"
    answers = citizen.photo()
    assert "Kartu Keluarga diterima (1 halaman)" in said(answers)
