"""Signing (TTE) as a real electronic signature: the document exists first, the head of office sees that very PDF,
confirms with a second, deliberate step (the passphrase, the account password), and the signature is applied to
it. Without the document, the passphrase, or with a document changed since it was seen, nothing is signed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pencet.cases.models import Status
from pencet.cases.services import TransitionError
from pencet.cases.signature import SignatureNotConfirmed
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import applications_sign
from pencet.lib import signing
from tests.conftest import PASSWORD

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def siak_pki() -> signing.SigningIdentity:
    """Stands in for BSrE: the certificate SIAK signs with, under a root the office trusts."""
    ca = signing.ca_create(common_name="Root CA BSrE (uji)")
    return signing.signer_issue(ca=ca, common_name="Kepala Dinas Sinjai")


@pytest.fixture
def demo_office(office):
    office.is_demo = True
    office.save()
    return office


def _attach(application, actor, content: bytes = PDF_BYTES, name: str = "akta.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return delivery_services.output_document_add(application=application, uploaded_file=upload, actor=actor)


def test_without_the_document_there_is_nothing_to_sign(client_as, make_application, dewi):
    application = make_application(Status.AWAITING_SIGNATURE)
    client = client_as("dewi")
    detail = client.get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert reverse("console:sign", args=[application.tracking_code]) not in detail
    assert "Dokumen hasil (PDF) belum ada" in detail
    page = client.get(reverse("console:sign", args=[application.tracking_code]), follow=True).content.decode()
    assert "Lampirkan atau buat dokumennya dulu" in page
    with pytest.raises(TransitionError, match="belum ada"):
        applications_sign(applications=[application], actor=dewi, passphrase=PASSWORD)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


@pytest.mark.parametrize("passphrase", ["", "bukan-kata-sandinya"])
def test_nothing_is_signed_without_the_right_passphrase(make_application, demo_office, andi, dewi, passphrase):
    first = make_application(Status.AWAITING_SIGNATURE)
    second = make_application(Status.AWAITING_SIGNATURE, nik="7307070101900009")
    outputs = [delivery_services.output_specimen_create(application=a, actor=andi) for a in (first, second)]
    with pytest.raises(SignatureNotConfirmed):
        applications_sign(applications=[first, second], actor=dewi, passphrase=passphrase)
    for application, output in zip((first, second), outputs, strict=True):
        application.refresh_from_db()
        output.refresh_from_db()
        assert application.status == Status.AWAITING_SIGNATURE
        assert not application.events.filter(kind="sign").exists()
        assert output.signature_status == "unsigned"


def test_another_role_is_refused_even_with_its_passphrase(make_application, andi):
    application = make_application(Status.AWAITING_SIGNATURE)
    _attach(application, andi)
    with pytest.raises(TransitionError):
        applications_sign(applications=[application], actor=andi, passphrase=PASSWORD)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_the_signer_sees_the_pdf_and_the_signature_is_applied_to_that_very_pdf(
    client_as, make_application, demo_office, andi
):
    application = make_application(Status.AWAITING_SIGNATURE)
    # The specimen is generated before the signature, unsigned: the document the head of office will sign.
    output = delivery_services.output_specimen_create(application=application, actor=andi)
    assert output.signature_status == "unsigned"
    shown = output.file.open("rb").read()
    client = client_as("dewi")
    sign_url = reverse("console:sign", args=[application.tracking_code])
    detail = client.get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert f'href="{sign_url}"' in detail
    page = client.get(sign_url).content.decode()
    assert "Anda akan menandatangani 1 permohonan" in page
    assert f'data="{reverse("console:output_file", args=[application.tracking_code, output.pk])}"' in page
    assert "belum bertanda tangan: ditandatangani saat Anda mengonfirmasi" in page
    documents = re.findall(r'name="document" value="([^"]+)"', page)
    assert documents == [f"{application.tracking_code}:{output.sha256}"]

    response = client.post(sign_url, {"passphrase": PASSWORD, "document": documents})
    assert response.status_code == 302
    application.refresh_from_db()
    output.refresh_from_db()
    assert application.status == Status.READY
    signed = output.file.open("rb").read()
    # An incremental PAdES signature: the signed file is the PDF that was shown, with the signature appended.
    assert signed.startswith(shown) and len(signed) > len(shown)
    demo_office.refresh_from_db()
    check = signing.pdf_signature_check(pdf_bytes=signed, trust_roots_pem=demo_office.trust_roots_pem)
    assert check.status == signing.VALID
    assert check.reason == "Ditandatangani secara elektronik oleh Dewi"
    assert output.signature_status == "valid"
    event = application.events.get(kind="sign")
    assert event.actor.username == "dewi"
    assert event.data["documents"][0]["signature"] == "applied"


def test_a_pdf_signed_in_siak_is_confirmed_and_kept_byte_for_byte(client_as, make_application, office, budi, siak_pki):
    office.trust_roots_pem = siak_pki.chain_pem
    office.save()
    application = make_application(Status.AWAITING_SIGNATURE)
    signed_in_siak = signing.pdf_sign(pdf_bytes=PDF_BYTES, signer=siak_pki)
    output = _attach(application, budi, signed_in_siak)
    assert output.signature_status == "valid"
    page = client_as("dewi").get(reverse("console:sign", args=[application.tracking_code])).content.decode()
    assert "sudah bertanda tangan sah (TTE SIAK)" in page
    client_as("dewi").post(reverse("console:sign", args=[application.tracking_code]), {"passphrase": PASSWORD})
    application.refresh_from_db()
    assert application.status == Status.READY
    assert output.file.open("rb").read() == signed_in_siak


def test_a_real_office_does_not_sign_an_unsigned_pdf_in_pencet(client_as, make_application, budi):
    application = make_application(Status.AWAITING_SIGNATURE)
    _attach(application, budi)
    response = client_as("dewi").post(
        reverse("console:sign", args=[application.tracking_code]), {"passphrase": PASSWORD}
    )
    assert response.status_code == 400
    assert "tanda tangani dokumennya di SIAK" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_a_document_replaced_after_the_signer_looked_is_not_signed(
    client_as, make_application, demo_office, andi, budi
):
    application = make_application(Status.AWAITING_SIGNATURE)
    first = delivery_services.output_specimen_create(application=application, actor=andi)
    client = client_as("dewi")
    page = client.get(reverse("console:sign", args=[application.tracking_code])).content.decode()
    documents = re.findall(r'name="document" value="([^"]+)"', page)
    # Meanwhile the operator takes the specimen back and attaches another PDF.
    delivery_services.output_document_remove(output=first, actor=budi)
    _attach(application, budi, name="lain.pdf")
    response = client.post(
        reverse("console:sign", args=[application.tracking_code]), {"passphrase": PASSWORD, "document": documents}
    )
    assert response.status_code == 400
    assert "berubah sejak Anda memeriksanya" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_a_post_without_the_passphrase_signs_nothing(client_as, make_application, demo_office, andi):
    application = make_application(Status.AWAITING_SIGNATURE)
    delivery_services.output_specimen_create(application=application, actor=andi)
    client = client_as("dewi")
    url = reverse("console:sign", args=[application.tracking_code])
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Ketik passphrase" in refused.content.decode()
    client.post(url, {"passphrase": "salah"})
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE
    client.post(url, {"passphrase": PASSWORD})
    application.refresh_from_db()
    assert application.status == Status.READY


def test_the_signer_signs_several_at_once_and_only_those_with_a_document(
    client_as, make_application, demo_office, andi
):
    with_document = [
        make_application(Status.AWAITING_SIGNATURE, nik=nik) for nik in ("7307070101900009", "7307070101900017")
    ]
    for application in with_document:
        delivery_services.output_specimen_create(application=application, actor=andi)
    waiting = make_application(Status.AWAITING_SIGNATURE)
    client = client_as("dewi")
    listing = client.get(reverse("console:sign_list")).content.decode()
    assert all(f'value="{a.pk}"' in listing for a in with_document)
    assert f'value="{waiting.pk}"' not in listing and "dokumen hasil belum ada" in listing
    chosen = {"application": [a.pk for a in with_document]}
    confirm = client.post(reverse("console:sign_list"), chosen).content.decode()
    assert "Anda akan menandatangani 2 permohonan" in confirm
    documents = re.findall(r'name="document" value="([^"]+)"', confirm)
    client.post(reverse("console:sign_list"), {**chosen, "document": documents, "passphrase": PASSWORD})
    for application in with_document:
        application.refresh_from_db()
        assert application.status == Status.READY
        assert application.outputs.get().signature_status == "valid"
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_SIGNATURE


def test_after_five_wrong_passphrases_the_signer_reads_that_signing_is_locked(
    client_as, make_application, demo_office, andi
):
    application = make_application(Status.AWAITING_SIGNATURE)
    delivery_services.output_specimen_create(application=application, actor=andi)
    client = client_as("dewi")
    url = reverse("console:sign", args=[application.tracking_code])
    for n in range(4):
        assert "Passphrase salah." in client.post(url, {"passphrase": f"tebakan-{n}"}).content.decode()
    locked = client.post(url, {"passphrase": "tebakan-5"}).content.decode()
    assert "dikunci sampai pukul" in locked
    assert "dikunci sampai pukul" in client.post(url, {"passphrase": PASSWORD}).content.decode()
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE
