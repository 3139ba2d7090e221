"""A bundle sent by e-mail arrives as one e-mail per document, each saying which of how many it is; the card (the
widow's KTP-el) stays for the counter, and the application is complete once it is handed over."""

import email
from email import policy

import pytest

from pencet.cases.components import component_hand_over
from pencet.cases.models import DeliveryPreference, Status
from pencet.delivery import services
from pencet.delivery.signing import component_sign
from pencet.lib import signing
from tests.conftest import PASSWORD

from .test_bundle_delivery import death_bundle  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_each_document_of_the_death_bundle_arrives_in_its_own_email(
    death_bundle,  # noqa: F811
    andi,
    dewi,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    death_bundle.delivery_preference = DeliveryPreference.EMAIL
    death_bundle.email = "hasnah@example.test"
    death_bundle.save()
    for component in death_bundle.components.order_by("position"):
        services.output_specimen_create(application=death_bundle, actor=andi, component=component)
        component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    death_bundle.refresh_from_db()
    death_bundle.office.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_deliver(application=death_bundle, actor=andi)

    received = [email.message_from_bytes(e.original_content, policy=policy.default) for e in smtp_server.envelopes]
    subjects = sorted(" ".join(m["Subject"].split()).split(" sudah terbit")[0] for m in received)
    assert subjects == ["Dokumen 1 dari 3: Akta kematian", "Dokumen 2 dari 3: Kartu Keluarga perubahan data"]
    for message in received:
        pdfs = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1
        check = signing.pdf_signature_check(
            pdf_bytes=pdfs[0].get_content(), trust_roots_pem=death_bundle.office.trust_roots_pem
        )
        assert check.status == signing.VALID
    death_bundle.refresh_from_db()
    assert death_bundle.status == Status.READY

    ktp = death_bundle.components.order_by("position").last()
    component_hand_over(component=ktp, actor=andi, collected_by="Hasnah", is_representative=False)
    death_bundle.refresh_from_db()
    assert death_bundle.status == Status.PICKED_UP
