"""A One Three application produces three signed documents: each has its own output PDF, the head of office signs
each separately (her passphrase for each), each signature is valid against the office's trust roots, and the
application is ready only after the third."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pencet.cases import services as cases
from pencet.cases.components import component_actions_for, component_approve, component_siak_record
from pencet.cases.models import Channel, ComponentState, Status
from pencet.cases.policies import application_actions_for
from pencet.cases.services import TransitionError
from pencet.catalog.models import Service
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import applications_sign, component_sign
from pencet.lib import signing
from tests.conftest import PASSWORD

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_office(office):
    office.is_demo = True
    office.save()
    return office


@pytest.fixture
def one_three(demo_office, andi, budi, citra, bonto_katute):
    """Rina's One Three application, every document through SIAK and verified: awaiting Dewi's signatures."""
    application = cases.application_create(
        office=demo_office,
        service=Service.objects.get(code="one-three"),
        channel=Channel.WHATSAPP,
        applicant_name="Rina",
        village=bonto_katute,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    for number, component in enumerate(application.components.order_by("position"), start=1):
        component_siak_record(component=component, actor=budi, siak_reference=f"7307-LU-{number:04d}")
    for component in application.components.order_by("position"):
        component_approve(component=component, actor=citra)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_SIGNATURE
    return application


def test_each_document_is_signed_separately_and_the_application_is_ready_after_the_third(one_three, andi, dewi):
    components = list(one_three.components.order_by("position"))
    for component in components:
        delivery_services.output_specimen_create(application=one_three, actor=andi, component=component)
    assert "sign" not in application_actions_for(application=one_three, user=dewi)

    for number, component in enumerate(components, start=1):
        assert component_actions_for(component=component, user=dewi) == ["component_sign"]
        component_sign(component=component, actor=dewi, passphrase=PASSWORD)
        one_three.refresh_from_db()
        component.refresh_from_db()
        assert component.state == ComponentState.READY
        assert component.signed_by == dewi
        assert one_three.status == (Status.READY if number == 3 else Status.AWAITING_SIGNATURE)

    one_three.office.refresh_from_db()
    outputs = list(one_three.outputs.order_by("component__position"))
    assert [o.component.service.code for o in outputs] == ["akta-kelahiran", "kk-perubahan", "kia"]
    assert len({o.sha256 for o in outputs}) == 3
    roots = one_three.office.trust_roots_pem
    for output in outputs:
        with output.file.open("rb") as handle:
            check = signing.pdf_signature_check(pdf_bytes=handle.read(), trust_roots_pem=roots)
        assert check.status == signing.VALID
        assert output.signature_status == "valid"
    signatures = one_three.events.filter(kind="component_sign").order_by("id")
    assert [[d["filename"] for d in e.data["documents"]] for e in signatures] == [[o.filename] for o in outputs]
    assert one_three.events.filter(kind="sign", to_status=Status.READY).count() == 1


def test_a_document_without_its_own_pdf_cannot_be_signed(one_three, andi, dewi):
    akta, kk, _kia = one_three.components.order_by("position")
    delivery_services.output_specimen_create(application=one_three, actor=andi, component=akta)
    assert component_actions_for(component=kk, user=dewi) == []
    with pytest.raises(TransitionError, match="Kartu Keluarga"):
        component_sign(component=kk, actor=dewi, passphrase=PASSWORD)
    kk.refresh_from_db()
    assert kk.state == ComponentState.SIGNATURE


def test_a_bundle_is_not_signed_as_one_application(one_three, andi, dewi):
    akta = one_three.components.order_by("position").first()
    delivery_services.output_specimen_create(application=one_three, actor=andi, component=akta)
    with pytest.raises(TransitionError, match="per dokumen"):
        applications_sign(applications=[one_three], actor=dewi, passphrase=PASSWORD)
    upload = SimpleUploadedFile("akta.pdf", PDF_BYTES, content_type="application/pdf")
    with pytest.raises(TransitionError, match="Pilih dokumen paket"):
        delivery_services.output_document_add(application=one_three, uploaded_file=upload, actor=andi)


def test_a_wrong_passphrase_signs_no_document(one_three, andi, dewi):
    akta = one_three.components.order_by("position").first()
    delivery_services.output_specimen_create(application=one_three, actor=andi, component=akta)
    with pytest.raises(TransitionError):
        component_sign(component=akta, actor=dewi, passphrase="bukan-kata-sandinya")
    akta.refresh_from_db()
    assert akta.state == ComponentState.SIGNATURE
    assert akta.outputs.get().signature_status == "unsigned"


def test_the_family_collects_all_three_documents_at_once(one_three, andi, dewi):
    for component in one_three.components.order_by("position"):
        delivery_services.output_specimen_create(application=one_three, actor=andi, component=component)
        component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    cases.application_pick_up(
        application=one_three, actor=andi, collected_by="Rina", is_representative=False, originals_seen=["kk"]
    )
    one_three.refresh_from_db()
    assert one_three.status == Status.PICKED_UP
    assert set(one_three.components.values_list("state", flat=True)) == {ComponentState.DONE}
