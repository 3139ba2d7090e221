"""WhatsApp document delivery through the outbox, and the demo office's signed specimen."""

import io
from datetime import timedelta

import pikepdf
import pytest
from django.utils import timezone

from pencet.cases.models import DeliveryPreference, Status
from pencet.cases.services import TransitionError
from pencet.delivery import services
from pencet.delivery.models import Delivery, DemoSigner, SignatureStatus
from pencet.delivery.selectors import deliveries_for
from pencet.delivery.signing import applications_sign
from pencet.lib import signing
from pencet.whatsapp.models import Contact, OutboundMessage
from tests.conftest import PASSWORD

from .conftest import pdf_upload


@pytest.fixture
def whatsapp_ready(ready_application, budi, signed_pdf):
    contact = Contact.objects.create(
        office=ready_application.office, phone="6281355512345", wa_user_id="ID.1234", last_inbound_at=timezone.now()
    )
    ready_application.contact = contact
    ready_application.delivery_preference = DeliveryPreference.WHATSAPP
    ready_application.save()
    services.output_document_add(application=ready_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    return ready_application


@pytest.mark.django_db
def test_a_whatsapp_applicant_gets_the_pdf_as_a_document_and_is_delivered_once_it_is_sent(whatsapp_ready, andi):
    [delivery] = services.application_deliver(application=whatsapp_ready, actor=andi)
    message = delivery.outbound_message
    output = whatsapp_ready.outputs.get()
    assert message.kind == OutboundMessage.Kind.DOCUMENT
    assert message.payload["storage_name"] == output.file.name
    assert message.payload["filename"] == output.filename
    assert whatsapp_ready.tracking_code in message.payload["caption"]
    assert message.template_event == "document_ready"
    assert message.application_id == whatsapp_ready.pk
    whatsapp_ready.refresh_from_db()
    assert whatsapp_ready.status == Status.READY

    message.status = OutboundMessage.Status.SENT
    message.save()
    services.delivery_outbound_update(message=message)
    whatsapp_ready.refresh_from_db()
    assert whatsapp_ready.status == Status.DELIVERED
    assert deliveries_for(application=whatsapp_ready).get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_the_signed_pdf_reaches_whatsapp_through_the_graph_api(
    whatsapp_ready, andi, fake_graph, test_pki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(application=whatsapp_ready, actor=andi)
    [document] = fake_graph.documents(to="6281355512345")
    assert signing.pdf_signature_check(pdf_bytes=document.data, trust_roots_pem=test_pki.ca.cert_pem).status == "valid"
    # Delivered as soon as Meta accepted the document, without waiting for the periodic catch-up.
    whatsapp_ready.refresh_from_db()
    assert whatsapp_ready.status == Status.DELIVERED
    assert deliveries_for(application=whatsapp_ready).get().status == Delivery.Status.SENT


@pytest.mark.django_db
def test_a_document_meta_refuses_outright_is_shown_as_failed_at_once(
    whatsapp_ready, andi, fake_graph, django_capture_on_commit_callbacks
):
    fake_graph.fail_next(code=131026, message="Message undeliverable")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(application=whatsapp_ready, actor=andi)
    failed = deliveries_for(application=whatsapp_ready).get()
    assert failed.status == Delivery.Status.FAILED
    assert "131026" in failed.error
    whatsapp_ready.refresh_from_db()
    assert whatsapp_ready.status == Status.READY


@pytest.mark.django_db
def test_a_document_is_not_sent_when_the_whatsapp_window_is_closed(whatsapp_ready, andi):
    whatsapp_ready.contact.last_inbound_at = timezone.now() - timedelta(days=2)
    whatsapp_ready.contact.save()
    with pytest.raises(TransitionError, match="24 jam"):
        services.application_deliver(application=whatsapp_ready, actor=andi)
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_a_whatsapp_document_that_meta_refuses_is_shown_as_failed(whatsapp_ready, andi):
    [delivery] = services.application_deliver(application=whatsapp_ready, actor=andi)
    message = delivery.outbound_message
    message.status = OutboundMessage.Status.FAILED
    message.error_code = "131026"
    message.error_message = "Message undeliverable"
    message.save()
    # The channel layer did not call back; the periodic catch-up finds it.
    assert services.deliveries_whatsapp_sync() == 1
    failed = deliveries_for(application=whatsapp_ready).get()
    assert failed.status == Delivery.Status.FAILED
    assert "131026" in failed.error
    whatsapp_ready.refresh_from_db()
    assert whatsapp_ready.status == Status.READY


@pytest.mark.django_db
def test_a_second_send_is_refused_while_the_first_is_still_queued(whatsapp_ready, andi):
    services.application_deliver(application=whatsapp_ready, actor=andi)
    with pytest.raises(TransitionError, match="masih dalam antrean"):
        services.application_deliver(application=whatsapp_ready, actor=andi)


@pytest.mark.django_db
def test_the_demo_office_produces_a_marked_specimen_signed_by_its_demo_certificate(signing_application, budi, dewi):
    office = signing_application.office
    office.is_demo = True
    office.save()
    output = services.output_specimen_create(application=signing_application, actor=budi)
    assert output.is_specimen
    assert output.filename.startswith("SPESIMEN-")
    # Made before the signature: the document the head of office sees and then signs.
    assert output.signature_status == SignatureStatus.UNSIGNED
    assert b"SPESIMEN" in output.file.read()
    applications_sign(applications=[signing_application], actor=dewi, passphrase=PASSWORD)
    output.refresh_from_db()
    assert output.signature_status == SignatureStatus.VALID
    office.refresh_from_db()
    demo_root = DemoSigner.objects.get(office=office).ca_cert_pem
    assert demo_root.strip() in office.trust_roots_pem
    content = output.file.open("rb").read()
    check = signing.pdf_signature_check(pdf_bytes=content, trust_roots_pem=demo_root)
    assert check.status == signing.VALID
    assert "SPESIMEN" in check.signer
    assert b"SPESIMEN" in content

    # The demo key is made once: a second specimen is signed by the same root.
    services.demo_signer_ensure(office=office)
    office.refresh_from_db()
    assert office.trust_roots_pem.count("BEGIN CERTIFICATE") == 2  # the test CA and the demo root


@pytest.mark.django_db
def test_a_real_office_cannot_produce_a_specimen(signing_application, budi):
    with pytest.raises(TransitionError, match="kantor demo"):
        services.output_specimen_create(application=signing_application, actor=budi)
    with pytest.raises(TransitionError):
        services.demo_signer_ensure(office=signing_application.office)
    assert not DemoSigner.objects.exists()
    assert "BEGIN CERTIFICATE" in signing_application.office.trust_roots_pem
    signing_application.office.refresh_from_db()
    assert signing_application.office.trust_roots_pem.count("BEGIN CERTIFICATE") == 1


@pytest.mark.django_db
def test_the_specimen_akta_kelahiran_is_in_the_childs_name_not_the_mothers(signing_application, budi):
    office = signing_application.office
    office.is_demo = True
    office.save()
    signing_application.subject = {
        "child_name": "Nur Aisyah",
        "child_sex": "P",
        "child_birth_date": "2026-11-20",
        "child_birth_place": "Sinjai",
        "father_name": "Ahmad Yani",
        "mother_name": "Siti Aminah",
    }
    signing_application.save()
    output = services.output_specimen_create(application=signing_application, actor=budi)
    with pikepdf.open(io.BytesIO(output.file.read())) as pdf:
        page = b""
        for each in pdf.pages:
            each.contents_coalesce()
            page += each.Contents.read_bytes()
    assert b"Nur Aisyah" in page
    assert b"20 November 2026" in page and b"Perempuan" in page and b"Ahmad Yani" in page
    # Siti is the mother and reported the birth: named as the reporter, not as the certificate's holder.
    assert b"Pelapor" in page and b"Siti Aminah" in page
