"""The citizen types as people do: sentences, greetings, thanks, answers in their own words, a voice note, a
stray photo; and the bot hands over to an officer and keeps quiet while the officer talks."""

import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from pencet.cases.models import Application, Attachment, Status
from pencet.whatsapp.models import Contact

from .conftest import document_photo, said
from .test_conversation import NIK_SARI, apply_for, kk_hilang_to_the_nik

pytestmark = pytest.mark.django_db

NIK_AGE_41 = "7307071505850002"  # laki-laki, lahir 15-05-1985
NIK_OLD = "7307071505500003"  # laki-laki, lahir 15-05-1950


def white_page() -> bytes:
    """A clean white A4 form photographed well: black print on white paper, lots of margin."""
    rng = random.Random(3)
    image = Image.new("RGB", (1240, 1754), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for row in range(150, 1600, 60):
        x = 120
        while x < 1100:
            width = rng.randint(8, 40)
            if rng.random() < 0.4:
                draw.rectangle((x, row, x + width, row + 10), fill=(20, 20, 20))
            x += width + rng.randint(5, 14)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def to_identity(citizen) -> None:
    """A KTP-el hilang application with both files, up to the name question."""
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    citizen.photo(document_photo(seed=61))
    citizen.tap("done")
    citizen.tap_title("Surat hilang")
    citizen.photo(document_photo(seed=62))
    citizen.tap("done")


def to_priority(citizen, *, nik: str = NIK_SARI) -> None:
    to_identity(citizen)
    citizen.say("Sari Wahyuni")
    citizen.say(nik)
    citizen.tap("nik_ok")
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")


# --- Sentences, greetings, thanks (issue 10, point 2) ----------------------------------------------------


@pytest.mark.parametrize(
    ("first_message", "service"),
    [
        ("mau bikin akta lahir anak saya", "*Akta kelahiran*"),
        ("Assalamualaikum, ktp saya hilang", "*KTP-el hilang atau rusak*"),
        ("kk saya rusak", "*Kartu Keluarga hilang atau rusak*"),
    ],
)
def test_a_first_sentence_goes_straight_to_the_service_with_a_short_greeting(citizen, first_message, service):
    answers = citizen.say(first_message)
    text = said(answers)
    assert service in text
    assert "Selamat datang" in text
    assert "1. KK baru" not in text  # not the whole numbered menu
    assert [title for _i, title in citizen.options()] == ["Ya, ajukan", "Menu"]


def test_words_not_understood_at_a_services_description_ask_again_whether_to_apply_with_its_buttons(citizen):
    citizen.say("mau bikin akta lahir anak saya")
    answers = citizen.say("apa itu sptjm")
    text = said(answers)
    assert "belum mengerti" in text and "*Akta kelahiran*" in text
    assert "Berkas yang perlu difoto" not in text  # the question again, not the whole description
    assert [title for _i, title in citizen.options()] == ["Ya, ajukan", "Menu"]
    assert "kita mulai permohonan *Akta kelahiran*" in said(citizen.tap_title("Ya, ajukan"))


def test_a_word_naming_a_document_lists_only_its_services(citizen):
    citizen.say("halo")
    answers = citizen.say("akta")
    rows = [title for _i, title in citizen.options()]
    assert "Akta kelahiran" in rows and "Akta kematian" in rows
    assert "KTP-el baru" not in rows
    assert "Layanan Akta" in said(answers)


def test_thanks_get_a_short_friendly_answer_not_the_menu(citizen):
    citizen.say("halo")
    answers = citizen.say("terima kasih pak")
    assert len(answers) == 1
    assert "Sama-sama" in said(answers)


def test_a_greeting_later_gets_a_short_hello_and_the_list_not_the_fifteen_services(citizen):
    citizen.say("halo")
    answers = citizen.say("selamat siang")
    text = said(answers)
    assert "ada yang bisa kami bantu" in text
    assert "1. KK baru" not in text and "Selamat datang" not in text
    assert ("grp:ktp", "KTP-el") in citizen.options()


# --- Commands never hijack answers (point 3) ----------------------------------------------------------


def test_lansia_typed_at_the_priority_question_is_the_elderly_priority_not_a_hand_off(citizen):
    to_priority(citizen, nik=NIK_OLD)
    answers = citizen.say("lansia")
    assert "Periksa kembali" in said(answers)
    assert "teruskan ke petugas" not in said(answers)
    assert not Contact.objects.get().needs_human
    assert Application.objects.get().priority_elderly


def test_lansia_typed_again_at_the_summary_is_not_a_call_for_an_officer(citizen):
    """A scripted citizen typed "lansia" once more at the summary; it was read as "manusia" and handed off."""
    to_priority(citizen, nik=NIK_OLD)
    citizen.say("lansia")
    answers = citizen.say("lansia")
    assert "teruskan ke petugas" not in said(answers)
    assert not Contact.objects.get().needs_human
    assert Application.objects.get().status == Status.DRAFT


def test_a_command_inside_a_name_is_part_of_the_name(citizen):
    to_identity(citizen)
    answers = citizen.say("Manusia Petugas")
    assert "NIK" in said(answers)
    assert Application.objects.get().applicant_name == "Manusia Petugas"


# --- Typing instead of tapping (point 4) ---------------------------------------------------------------


def test_surat_dari_bidan_picks_the_birth_letter(citizen):
    apply_for(citizen, "akta-kelahiran", "akta")
    answers = citizen.say("surat dari bidan")
    assert "Kirim foto Surat keterangan kelahiran" in said(answers)


def test_tidak_ada_at_an_optional_file_skips_it(citizen):
    apply_for(citizen, "akta-kelahiran", "akta")
    for alternative in ("Surat ket. kelahiran", "Buku nikah", None, None):
        if alternative:
            citizen.tap_title(alternative)
        citizen.photo()
        citizen.tap("done")
    assert "opsional" in citizen.last_text()
    answers = citizen.say("tidak ada")
    assert "nama lengkap" in said(answers)
    assert not Attachment.objects.filter(requirement__code="laporan-polisi").exists()


def test_iya_betul_confirms_the_nik_and_tidak_punya_email_skips_it(citizen):
    kk_hilang_to_the_nik(citizen)
    answers = citizen.say("iya betul")
    assert "kecamatan" in said(answers)
    assert Application.objects.get().nik == NIK_SARI
    citizen.tap("dist:73.07.07")
    assert "e-mail" in said(citizen.tap("vil:73.07.07.2007"))
    answers = citizen.say("tidak punya email")
    # Without an address the document comes on WhatsApp or at the office: the next question is which.
    assert {reply_id for reply_id, _title in citizen.options()} == {"deliv:whatsapp", "deliv:pickup"}
    assert Application.objects.get().email == ""


def test_tidak_ada_at_the_priority_question_means_no_priority(citizen):
    to_priority(citizen)
    answers = citizen.say("tidak ada")
    assert "Periksa kembali" in said(answers)
    application = Application.objects.get()
    assert not application.priority_elderly and not application.priority_disability


def test_kirim_permohonan_typed_at_the_summary_submits(citizen):
    to_priority(citizen)
    citizen.tap("prio:none")
    answers = citizen.say("kirim permohonan")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.tracking_code in said(answers)


def test_words_that_fit_no_option_are_answered_with_the_buttons_to_tap(citizen):
    to_priority(citizen)
    citizen.tap("prio:none")
    answers = citizen.say("gimana ya")
    text = said(answers)
    assert "*Kirim permohonan*" in text and "*Ubah data*" in text
    assert Application.objects.get().status == Status.DRAFT


# --- Files (point 5) and photo quality (point 7) ------------------------------------------------------------


def test_a_clean_white_page_with_black_text_is_accepted_without_a_brightness_warning(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    answers = citizen.photo(white_page())
    text = said(answers)
    assert "Kartu Keluarga diterima (1 halaman)" in text
    assert "terang" not in text


def test_a_photo_at_the_name_step_of_a_service_without_more_files_is_said_to_be_not_needed(citizen):
    to_identity(citizen)
    answers = citizen.photo()
    assert "tidak kami perlukan" in said(answers)
    assert Attachment.objects.count() == 2


# --- Priority checked against the NIK (point 8) ------------------------------------------------------------


def test_a_41_year_old_claiming_lansia_is_told_and_flagged_to_the_officer(citizen):
    to_priority(citizen, nik=NIK_AGE_41)
    answers = citizen.tap("prio:elderly")
    text = said(answers)
    today = timezone.localdate()
    age = today.year - 1985 - ((today.month, today.day) < (5, 15))  # 41 in December 2026
    assert f"berumur {age} tahun" in text
    citizen.tap("submit")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    note = application.events.get(kind="note")
    assert "Prioritas lansia diminta" in note.note and f"{age} tahun" in note.note


def test_a_70_year_old_claiming_lansia_is_not_flagged(citizen):
    to_priority(citizen, nik=NIK_OLD)
    answers = citizen.tap("prio:elderly")
    assert "menurut NIK" not in said(answers)
    citizen.tap("submit")
    assert not Application.objects.get().events.filter(kind="note").exists()


def test_a_plain_error_for_a_nik_that_is_too_short(citizen):
    to_identity(citizen)
    citizen.say("Sari Wahyuni")
    answers = citizen.say("730707520590")
    text = said(answers)
    assert "NIK 16 angka, seperti di KK Anda; yang Anda ketik 12 angka" in text
    answers = citizen.say("7307079905900001")
    assert "digit" not in said(answers) and "NIK belum benar" in said(answers)


# --- The hand-off (point 9) -----------------------------------------------------------------------------


def test_after_petugas_the_bot_stays_quiet_until_the_officer_closes_the_hand_off(citizen):
    apply_for(citizen, "ktp-hilang-rusak", "ktp")
    answers = citizen.say("petugas")
    assert "tidak menjawab pesan Anda" in said(answers)
    assert citizen.say("Pak, saya tidak punya KK, bagaimana?") == []
    assert citizen.say("halo") == []
    Contact.objects.update(needs_human=False)  # the officer answered in the console and closed it
    answers = citizen.say("halo")
    assert "Kirim foto Kartu Keluarga" in said(answers)


def test_after_the_time_out_the_bot_answers_again_and_says_so(citizen, settings):
    from pencet.bot.models import Conversation

    settings.PENCET_HANDOFF_QUIET_HOURS = 4
    citizen.say("halo")
    citizen.say("petugas")
    assert citizen.say("tolong dibantu") == []
    conversation = Conversation.objects.get()
    # Three days ago is more than four working hours ago on any calendar.
    conversation.data = {**conversation.data, "handoff_at": (timezone.now() - timedelta(days=3)).isoformat()}
    conversation.save()
    answers = citizen.say("mau urus ktp hilang")
    text = said(answers)
    assert "petugas belum sempat membalas" in text
    assert "*KTP-el hilang atau rusak*" in text


def test_a_typed_command_during_the_hand_off_brings_the_bot_back(citizen):
    citizen.say("halo")
    citizen.say("petugas")
    answers = citizen.say("menu")
    assert "Pilih layanan" in said(answers)
    answers = citizen.say("akta lahir")
    assert "*Akta kelahiran*" in said(answers)
