"""A citizen who has no blank form asks for it in their own words and gets the PDF on WhatsApp, then carries on."""

import io
import re

import pikepdf
import pytest

from pencet.cases.models import Application
from pencet.whatsapp.models import OutboundMessage

from .conftest import said

pytestmark = pytest.mark.django_db


def pdf_words(data: bytes) -> tuple[str, str]:
    """The document title and the text drawn on its pages, as a phone's PDF viewer would read them."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        title = str(pdf.docinfo.get("/Title", ""))
        drawn = b"".join(page.Contents.read_bytes() for page in pdf.pages).decode("latin-1")
    return title, " ".join(re.findall(r"\((.*?)\) Tj", drawn))


def forms_received(citizen) -> list:
    return [d for d in citizen.graph.documents(to=citizen.phone) if d.filename.startswith("Formulir-")]


def up_to_the_f201_step(citizen) -> list[dict]:
    """Sari applies for her daughter's akta kelahiran with the midwife's letter and her marriage book."""
    citizen.say("halo")
    citizen.tap("grp:akta")
    citizen.tap("svc:akta-kelahiran")
    citizen.tap("apply")
    citizen.tap_title("Surat ket. kelahiran")
    citizen.photo()
    citizen.tap("done")
    citizen.tap_title("Buku nikah")
    citizen.photo()
    citizen.tap("done")
    citizen.photo()
    return citizen.tap("done")


def test_the_form_step_offers_the_blank_form_and_typing_formulir_sends_it_then_asks_for_its_photo(citizen):
    answers = up_to_the_f201_step(citizen)
    assert "Formulir pelaporan pencatatan sipil (F-2.01)" in said(answers)
    assert "Ketik *formulir* untuk menerima formulir kosong F-2.01 (PDF)" in said(answers)

    answers = citizen.say("formulir")

    documents = [a for a in answers if a.get("type") == "document"]
    assert len(documents) == 1
    assert "Formulir F-2.01" in documents[0]["document"]["caption"]
    assert "kirim fotonya di sini" in documents[0]["document"]["caption"]
    (form,) = forms_received(citizen)
    assert form.data.startswith(b"%PDF")
    title, words = pdf_words(form.data)
    assert title == "F-2.01 Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI"
    assert "DISDUKCAPIL KABUPATEN SINJAI" in words and "DATA PELAPOR" in words
    # The conversation is still at the form's step: the question comes again and the photo of the filled form counts.
    assert "Kirim foto Formulir pelaporan pencatatan sipil (F-2.01)" in citizen.last_text()
    answers = citizen.photo()
    assert "Formulir F-2.01 diterima (1 halaman)" in said(answers)
    assert Application.objects.get().attachments.filter(requirement__code="formulir").count() == 1


def test_formulirnya_dimana_at_the_choice_of_birth_proof_sends_the_sptjm_and_asks_the_choice_again(citizen):
    citizen.say("halo")
    citizen.tap("grp:akta")
    citizen.tap("svc:akta-kelahiran")
    citizen.tap("apply")

    answers = citizen.say("formulirnya dimana?")

    (form,) = forms_received(citizen)
    title, words = pdf_words(form.data)
    assert title == "F-2.03 Surat Pernyataan Tanggung Jawab Mutlak Kebenaran Data Kelahiran"
    assert "SAKSI I" in words and "Meterai 10.000" in words
    assert "Surat ket. kelahiran" in said(answers)
    assert {"Surat ket. kelahiran", "SPTJM kelahiran F-2.03"} <= {title for _id, title in citizen.options()}


def test_a_form_asked_for_by_its_code_in_the_first_message_arrives_with_the_menu(citizen):
    answers = citizen.say("Selamat pagi, minta formulir F-1.01")

    (form,) = forms_received(citizen)
    assert pdf_words(form.data)[0] == "F-1.01 Formulir Biodata Keluarga"
    assert "Formulir F-1.01" in said(answers)


def test_blanko_sptjm_without_an_application_asks_which_statement(citizen):
    citizen.say("halo")

    answers = citizen.say("blanko sptjm")

    assert forms_received(citizen) == []
    text = said(answers)
    assert "SPTJM yang mana?" in text and "F-2.03" in text and "F-2.04" in text and "F-1.06" in text

    citizen.say("blanko sptjm suami istri")
    (form,) = forms_received(citizen)
    assert pdf_words(form.data)[0].startswith("F-2.04 Surat Pernyataan Tanggung Jawab Mutlak")


def test_the_same_form_is_drawn_once_and_sent_again_from_storage(citizen):
    citizen.say("halo")
    citizen.say("formulir F-2.01")
    citizen.say("formulir F-2.01")

    first, second = forms_received(citizen)
    assert first.data == second.data
    sent = OutboundMessage.objects.filter(kind="document").values_list("payload", flat=True)
    assert len({payload["storage_name"] for payload in sent}) == 1


def test_the_guide_names_the_form_command(citizen):
    citizen.say("halo")
    assert "*formulir*: formulir kosong (PDF)" in said(citizen.say("bantuan"))


def test_a_citizen_chatting_in_english_gets_the_form_with_an_english_caption(citizen):
    citizen.say("halo")
    citizen.say("english")

    answers = citizen.say("form F-2.01")

    (document,) = [a for a in answers if a.get("type") == "document"]
    assert document["document"]["caption"].startswith("📄 Form F-2.01: Formulir Pelaporan Pencatatan Sipil")
    assert "send a photo of it here" in document["document"]["caption"]


def test_the_service_information_names_its_forms_and_sends_them_before_applying(citizen):
    citizen.say("halo")
    citizen.tap("grp:akta")
    answers = citizen.tap("svc:akta-kelahiran")
    assert "Formulir kosong F-2.03, F-2.04, F-2.01 dapat kami kirim sebagai PDF: ketik *formulir*." in said(answers)

    citizen.say("formulir")

    assert [pdf_words(f.data)[0][:6] for f in forms_received(citizen)] == ["F-2.03", "F-2.04", "F-2.01"]
    assert "Baik, kita mulai permohonan *Akta kelahiran*" in said(citizen.tap("apply"))
