"""The whole path to the citizen's mailbox over a real SMTP conversation (aiosmtpd on loopback)."""

import email
from email import policy

import pytest
from aiosmtpd.controller import Controller

from pencet.cases import services as cases
from pencet.cases.models import DeliveryPreference, Status
from pencet.cases.services import ApplicationPermissionError, TransitionError
from pencet.delivery import services
from pencet.delivery.models import Delivery
from pencet.delivery.selectors import deliveries_for
from pencet.lib import signing

from .conftest import Mailbox, free_port, pdf_upload


def _received(mailbox) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(e.original_content, policy=policy.default) for e in mailbox.envelopes]


@pytest.mark.django_db
def test_a_submitted_application_reaches_the_applicants_mailbox_with_a_valid_signed_pdf(
    ready_application,
    andi,
    budi,
    signed_pdf,
    test_pki,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    # ready_application went submitted → accepted → claimed → SIAK → approved → signed through the services.
    application = ready_application
    services.output_document_add(application=application, uploaded_file=pdf_upload(signed_pdf), actor=budi)

    with django_capture_on_commit_callbacks(execute=True):
        deliveries = services.application_deliver(application=application, actor=andi)

    assert len(smtp_server.envelopes) == 1
    assert smtp_server.envelopes[0].rcpt_tos == ["siti@example.test"]
    message = _received(smtp_server)[0]
    assert "SNJ-" in message["Subject"]
    assert "disdukcapil@sinjaikab.go.id" in message["From"]
    assert "Yth. Siti Aminah" in message.get_body(preferencelist=("plain",)).get_content()
    attachments = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    received_pdf = attachments[0].get_content()
    check = signing.pdf_signature_check(pdf_bytes=received_pdf, trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == signing.VALID

    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert [d.status for d in deliveries_for(application=application)] == [Delivery.Status.SENT]
    assert deliveries[0].channel == Delivery.Channel.EMAIL
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds.index("output_added") < kinds.index("delivery_queued") < kinds.index("deliver")


@pytest.mark.django_db
def test_an_unsigned_pdf_is_refused_without_an_override_and_sent_with_one(
    ready_application, andi, budi, unsigned_pdf, smtp_server, django_capture_on_commit_callbacks
):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(unsigned_pdf), actor=budi)
    with pytest.raises(TransitionError, match="belum sah"):
        services.application_deliver(application=ready_application, actor=andi)
    assert not smtp_server.envelopes
    assert not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(
            application=ready_application, actor=andi, override_reason="SIAK sedang gangguan TTE, pemohon mendesak"
        )
    assert len(smtp_server.envelopes) == 1
    delivery = Delivery.objects.get()
    assert delivery.override_reason == "SIAK sedang gangguan TTE, pemohon mendesak"
    override = ready_application.events.get(kind="delivery_override")
    assert override.actor == andi
    assert "gangguan TTE" in override.note
    ready_application.refresh_from_db()
    assert ready_application.status == Status.DELIVERED


@pytest.mark.django_db
def test_when_the_mail_server_is_down_the_failure_is_visible_and_the_application_stays_ready(
    ready_application, andi, budi, signed_pdf, smtp_down, django_capture_on_commit_callbacks
):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(application=ready_application, actor=andi)

    ready_application.refresh_from_db()
    assert ready_application.status == Status.READY
    failed = deliveries_for(application=ready_application).get()
    assert failed.status == Delivery.Status.FAILED
    assert failed.attempts == 1
    assert "Gagal mengirim e-mail" in failed.error
    assert ready_application.events.filter(kind="delivery_failed").exists()


@pytest.mark.django_db
def test_a_failed_delivery_can_be_sent_again_once_the_server_is_back(
    ready_application, andi, budi, signed_pdf, smtp_down, django_capture_on_commit_callbacks, settings
):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(application=ready_application, actor=andi)

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_PORT = port
        with django_capture_on_commit_callbacks(execute=True):
            services.application_deliver(application=ready_application, actor=andi)
    finally:
        controller.stop()
    assert len(mailbox.envelopes) == 1
    assert [d.status for d in deliveries_for(application=ready_application)] == [
        Delivery.Status.SENT,
        Delivery.Status.FAILED,
    ]
    ready_application.refresh_from_db()
    assert ready_application.status == Status.DELIVERED


@pytest.mark.django_db
def test_delivery_needs_an_attached_output(ready_application, andi):
    with pytest.raises(TransitionError, match="Lampirkan dokumen hasil"):
        services.application_deliver(application=ready_application, actor=andi)


@pytest.mark.django_db
def test_delivery_needs_the_applicants_email_address(ready_application, andi, budi, signed_pdf):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    ready_application.email = ""
    ready_application.save()
    with pytest.raises(TransitionError, match="e-mail pemohon belum diisi"):
        services.application_deliver(application=ready_application, actor=andi)
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_an_application_not_yet_signed_cannot_be_delivered(signing_application, andi, budi, signed_pdf):
    services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with pytest.raises(TransitionError, match="Kirim dokumen"):
        services.application_deliver(application=signing_application, actor=andi)


@pytest.mark.django_db
def test_a_verifier_cannot_send_the_document(ready_application, citra, budi, signed_pdf):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with pytest.raises(ApplicationPermissionError):
        services.application_deliver(application=ready_application, actor=citra)


@pytest.mark.django_db
def test_another_offices_officer_cannot_send_the_document(ready_application, hasan, budi, signed_pdf):
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with pytest.raises(ApplicationPermissionError):
        services.application_deliver(application=ready_application, actor=hasan)
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_pickup_applicants_are_not_sent_anything_and_the_pickup_closes_the_application(
    ready_application, andi, budi, signed_pdf
):
    ready_application.delivery_preference = DeliveryPreference.PICKUP
    ready_application.save()
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with pytest.raises(TransitionError, match="ambil di kantor"):
        services.application_deliver(application=ready_application, actor=andi)

    cases.application_pick_up(
        application=ready_application,
        actor=andi,
        collected_by="Ahmad (suami pemohon)",
        is_representative=True,
        originals_seen=["surat-kelahiran", "buku-nikah"],
    )
    ready_application.refresh_from_db()
    assert ready_application.status == Status.PICKED_UP
    assert not Delivery.objects.exists()
