"""Delivery sends every document of a bundle: each document's own signed PDF goes as its own WhatsApp document,
captioned with what it is, and nothing goes while one document has no PDF."""

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record
from pencet.cases.models import DeliveryPreference, Status
from pencet.cases.services import TransitionError
from pencet.catalog.models import Service
from pencet.delivery import services
from pencet.delivery.signing import component_sign
from pencet.whatsapp.models import Contact, OutboundMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def death_bundle(office, andi, budi, citra, dewi, bonto_katute):
    """Pak Baco's family reported his death (akta kematian + KK + the widow's KTP-el), asking for WhatsApp."""
    office.is_demo = True
    office.save()
    contact = Contact.objects.create(office=office, phone="6281355512399", last_inbound_at=timezone.now())
    application = cases.application_create(
        office=office,
        service=Service.objects.get(code="kematian-kk"),
        village=bonto_katute,
        contact=contact,
        applicant_name="Hasnah",
        delivery_preference=DeliveryPreference.WHATSAPP,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    for number, component in enumerate(application.components.order_by("position"), start=1):
        component_siak_record(component=component, actor=budi, siak_reference=f"7307-KM-{number}")
    for component in application.components.order_by("position"):
        component_approve(component=component, actor=citra)
    application.refresh_from_db()
    return application


def test_every_document_of_the_bundle_goes_to_the_family(death_bundle, andi, dewi):
    for component in death_bundle.components.order_by("position"):
        services.output_specimen_create(application=death_bundle, actor=andi, component=component)
        component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    death_bundle.refresh_from_db()
    assert death_bundle.status == Status.READY

    deliveries = services.application_deliver(application=death_bundle, actor=andi)

    # The widow's KTP-el is a card: it is handed over at the counter, the two PDFs travel.
    assert len(deliveries) == 2
    sent = OutboundMessage.objects.filter(contact=death_bundle.contact, kind=OutboundMessage.Kind.DOCUMENT)
    captions = [m.payload["caption"].split(" untuk ")[0] for m in sent.order_by("id")]
    assert captions == ["Dokumen 1 dari 3: Akta kematian", "Dokumen 2 dari 3: Kartu Keluarga perubahan data"]


def test_a_bundle_without_every_documents_pdf_is_not_sent(death_bundle, andi, dewi):
    akta = death_bundle.components.order_by("position").first()
    services.output_specimen_create(application=death_bundle, actor=andi, component=akta)
    component_sign(component=akta, actor=dewi, passphrase=PASSWORD)
    with pytest.raises(TransitionError):
        services.application_deliver(application=death_bundle, actor=andi)
    assert not OutboundMessage.objects.filter(kind=OutboundMessage.Kind.DOCUMENT).exists()
