"""A family that applied for One Three is told of each document as the head of office signs it, then that all are
ready; the per-document SIAK input and verification stay internal, like the single-service steps."""

import pytest

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record, component_signed
from pencet.catalog.models import Service
from pencet.delivery.models import OutputDocument
from pencet.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_family_hears_of_each_signed_document_then_of_the_whole(
    office, bonto_katute, andi, budi, citra, dewi, django_capture_on_commit_callbacks
):
    contact = Contact.objects.create(office=office, phone="6281234567801", profile_name="Rina")
    with django_capture_on_commit_callbacks(execute=True):
        application = cases.application_create(
            office=office,
            service=Service.objects.get(code="one-three"),
            contact=contact,
            applicant_name="Rina",
            village=bonto_katute,
        )
        cases.application_submit(application=application, actor=None)
        cases.application_accept(application=application, actor=andi)
        cases.application_claim(application=application, actor=budi)
        components = list(application.components.order_by("position"))
        for number, component in enumerate(components, start=1):
            component_siak_record(component=component, actor=budi, siak_reference=f"REF-{number}")
        for component in components:
            component_approve(component=component, actor=citra)
    before = OutboundMessage.objects.filter(contact=contact).count()

    for component in components:
        # The signature itself is pencet.delivery.signing's (tests/console/test_bundle_signing.py); the message
        # follows the recorded step.
        output = OutputDocument.objects.create(
            application=application, component=component, file="outputs/x.pdf", filename="x.pdf", sha256="0", size=1
        )
        with django_capture_on_commit_callbacks(execute=True):
            component_signed(component=component, actor=dewi, documents=[{"filename": output.filename}])

    texts = [m.payload.get("body", "") for m in OutboundMessage.objects.filter(contact=contact).order_by("id")]
    new = texts[before:]
    code = application.tracking_code
    assert new[0] == f"✍️ Akta kelahiran untuk permohonan {code} sudah ditandatangani (1 dari 3 dokumen)."
    assert new[1] == (
        f"✍️ Kartu Keluarga perubahan data untuk permohonan {code} sudah ditandatangani (2 dari 3 dokumen)."
    )
    assert new[2] == f"✍️ Kartu Identitas Anak (KIA) untuk permohonan {code} sudah ditandatangani (3 dari 3 dokumen)."
    assert "sudah selesai" in new[3] and code in new[3]
    assert len(new) == 4
    assert not any("REF-" in t for t in texts[:before])
