"""Signing (TTE) needs a second, deliberate step: the signer sees what is signed, then types the passphrase (the
account password). Without it, or with a wrong one, nothing is signed, in the console and in the service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pencet.cases.models import Status
from pencet.cases.services import TransitionError
from pencet.console.signing import SignatureNotConfirmed, applications_sign_confirmed
from pencet.delivery import services as delivery_services
from tests.conftest import PASSWORD

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("passphrase", ["", "bukan-kata-sandinya"])
def test_the_service_signs_nothing_without_the_right_passphrase(make_application, dewi, passphrase):
    first = make_application(Status.AWAITING_SIGNATURE)
    second = make_application(Status.AWAITING_SIGNATURE, nik="7307070101900009")
    with pytest.raises(SignatureNotConfirmed):
        applications_sign_confirmed(applications=[first, second], actor=dewi, passphrase=passphrase)
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == Status.AWAITING_SIGNATURE
        assert not application.events.filter(kind="sign").exists()


def test_the_service_signs_with_the_signers_own_passphrase(make_application, dewi):
    application = make_application(Status.AWAITING_SIGNATURE)
    applications_sign_confirmed(applications=[application], actor=dewi, passphrase=PASSWORD)
    application.refresh_from_db()
    assert application.status == Status.READY


def test_another_role_is_refused_even_with_its_passphrase(make_application, andi):
    application = make_application(Status.AWAITING_SIGNATURE)
    with pytest.raises(TransitionError):
        applications_sign_confirmed(applications=[application], actor=andi, passphrase=PASSWORD)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_the_signer_sees_the_document_before_signing_one(client_as, make_application, andi):
    application = make_application(Status.AWAITING_SIGNATURE)
    output = delivery_services.output_document_add(
        application=application,
        uploaded_file=SimpleUploadedFile("akta.pdf", PDF_BYTES, content_type="application/pdf"),
        actor=andi,
    )
    client = client_as("dewi")
    detail = client.get(reverse("console:application", args=[application.tracking_code])).content.decode()
    sign_url = reverse("console:sign", args=[application.tracking_code])
    assert f'href="{sign_url}"' in detail
    page = client.get(sign_url).content.decode()
    assert "Anda akan menandatangani 1 permohonan" in page
    assert f'data="{reverse("console:output_file", args=[application.tracking_code, output.pk])}"' in page
    assert 'name="passphrase"' in page
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE


def test_a_post_without_the_passphrase_signs_nothing(client_as, make_application):
    application = make_application(Status.AWAITING_SIGNATURE)
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


def test_a_warning_when_no_output_document_is_attached_yet(client_as, make_application):
    application = make_application(Status.AWAITING_SIGNATURE)
    page = client_as("dewi").get(reverse("console:sign", args=[application.tracking_code])).content.decode()
    assert "Dokumen hasil (PDF dari SIAK) belum dilampirkan" in page
