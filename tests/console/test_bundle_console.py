"""On the application page a bundle shows its documents, each with its stage and the steps the officer may take on
it; Budi, Citra, Andi and Dewi take One Three through SIAK, verification, the PDFs and three signatures there."""

import pytest
from django.urls import reverse

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record
from pencet.cases.models import Channel, Status
from pencet.catalog.models import Service
from pencet.delivery import services as delivery_services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_three(office, andi, budi, bonto_katute):
    office.is_demo = True
    office.save()
    application = cases.application_create(
        office=office,
        service=Service.objects.get(code="one-three"),
        channel=Channel.WHATSAPP,
        applicant_name="Rina",
        village=bonto_katute,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    return application


def step_url(application, component, step: str) -> str:
    return reverse("console:component", args=[application.tracking_code, component.pk, step])


def test_a_one_three_application_is_taken_document_by_document_on_the_console(one_three, client_as):
    page_url = reverse("console:application", args=[one_three.tracking_code])
    components = list(one_three.components.order_by("position"))
    budi, citra, andi, dewi = (client_as(n) for n in ("budi", "citra", "andi", "dewi"))

    page = budi.get(page_url).content.decode()
    assert "Dokumen paket" in page
    assert page.count("Catat nomor SIAK dokumen ini") == 3
    assert reverse("console:siak", args=[one_three.tracking_code]) not in page
    for number, component in enumerate(components, start=1):
        budi.post(step_url(one_three, component, "siak"), {"siak_reference": f"7307-LU-{number}"})
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_VERIFICATION

    page = citra.get(page_url).content.decode()
    assert page.count("Setujui dokumen ini") == 3
    assert "Setujui → tanda tangan" not in page
    for component in components:
        citra.post(step_url(one_three, component, "verifikasi"))
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_SIGNATURE

    for component in components:
        andi.post(step_url(one_three, component, "spesimen"))
    page = dewi.get(page_url).content.decode()
    assert page.count("Tanda tangani dokumen ini (TTE)") == 3
    wrong = dewi.post(step_url(one_three, components[0], "tanda-tangan"), {"passphrase": "salah"}, follow=True)
    assert "ditandatangani secara elektronik." not in wrong.content.decode()
    for number, component in enumerate(components, start=1):
        seen = ",".join(component.outputs.values_list("sha256", flat=True))
        dewi.post(step_url(one_three, component, "tanda-tangan"), {"passphrase": PASSWORD, "seen": seen})
        one_three.refresh_from_db()
        assert one_three.status == (Status.READY if number == 3 else Status.AWAITING_SIGNATURE)

    page = andi.get(page_url).content.decode()
    assert page.count('data-signature="valid"') >= 3
    assert page.count('data-state="ready"') == 3


def test_the_bulk_signing_list_sends_a_bundle_to_its_own_page(one_three, client_as, andi, budi, citra):
    for number, component in enumerate(one_three.components.order_by("position"), start=1):
        component_siak_record(component=component, actor=budi, siak_reference=f"R-{number}")
    for component in one_three.components.order_by("position"):
        component_approve(component=component, actor=citra)
    one_three.refresh_from_db()
    for component in one_three.components.order_by("position"):
        delivery_services.output_specimen_create(application=one_three, actor=andi, component=component)
    dewi = client_as("dewi")

    page = dewi.get(reverse("console:sign_list")).content.decode()
    assert one_three.tracking_code in page and "data-per-document" in page
    assert f'name="application" value="{one_three.pk}"' not in page
    dewi.post(reverse("console:sign_list"), {"application": [one_three.pk], "passphrase": PASSWORD})
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_SIGNATURE
    assert not one_three.events.filter(kind="component_sign").exists()
