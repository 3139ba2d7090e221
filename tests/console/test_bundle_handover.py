"""At the counter a bundle's documents are handed over one by one ("Serahkan dokumen ini"): each is recorded with
who collected it, and the application is picked up with the last. The console offers exactly the API's steps."""

import pytest
from django.urls import reverse

from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record
from pencet.cases.models import Channel, Status
from pencet.catalog.models import Service
from pencet.delivery import services as delivery_services
from pencet.delivery.signing import component_sign
from tests.api.conftest import Api
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_one_three(office, andi, budi, citra, dewi, bonto_katute, settings, tmp_path):
    """Rina's One Three, every document signed, waiting at the counter."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    office.is_demo = True
    office.save()
    application = cases.application_create(
        office=office,
        service=Service.objects.get(code="one-three"),
        channel=Channel.WALK_IN,
        applicant_name="Rina",
        village=bonto_katute,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    components = list(application.components.order_by("position"))
    for number, component in enumerate(components, start=1):
        component_siak_record(component=component, actor=budi, siak_reference=f"R-{number}")
    for component in components:
        component_approve(component=component, actor=citra)
    application.refresh_from_db()
    for component in components:
        delivery_services.output_specimen_create(application=application, actor=andi, component=component)
        component_sign(component=component, actor=dewi, passphrase=PASSWORD)
    application.refresh_from_db()
    assert application.status == Status.READY
    return application


def hand_over_url(application, component) -> str:
    return reverse("console:component", args=[application.tracking_code, component.pk, "serahkan"])


def test_andi_hands_the_documents_over_one_by_one(ready_one_three, client_as):
    andi = client_as("andi")
    page_url = reverse("console:application", args=[ready_one_three.tracking_code])
    components = list(ready_one_three.components.order_by("position"))
    assert andi.get(page_url).content.decode().count("Serahkan dokumen ini</button>") == 3

    answer = andi.post(hand_over_url(ready_one_three, components[0]), {f"c{components[0].pk}-collector": "applicant"},
                       follow=True).content.decode()  # fmt: skip

    assert "Akta kelahiran tercatat sudah diserahkan." in answer
    assert answer.count("Serahkan dokumen ini</button>") == 2
    ready_one_three.refresh_from_db()
    assert ready_one_three.status == Status.READY
    event = ready_one_three.events.get(kind="component_pick_up")
    assert (event.data["document"], event.data["collected_by"], event.data["done"]) == ("Akta kelahiran", "Rina", 1)

    # Her husband collects the other two with his NIK; the last one closes the application.
    for component in components[1:]:
        prefix = f"c{component.pk}"
        andi.post(
            hand_over_url(ready_one_three, component),
            {f"{prefix}-collector": "representative", f"{prefix}-representative_name": "Ahmad",
             f"{prefix}-representative_id_number": "7307071505850002", f"{prefix}-relationship": "keluarga_kk"},
        )  # fmt: skip
    ready_one_three.refresh_from_db()
    assert ready_one_three.status == Status.PICKED_UP
    assert ready_one_three.events.filter(kind="component_pick_up", data__collected_by="Ahmad").count() == 2


def test_a_representative_without_an_id_number_is_refused(ready_one_three, client_as):
    component = ready_one_three.components.order_by("position").first()
    prefix = f"c{component.pk}"
    answer = client_as("andi").post(
        hand_over_url(ready_one_three, component),
        {f"{prefix}-collector": "representative", f"{prefix}-representative_name": "Ahmad"},
        follow=True,
    )
    assert "16 angka" in answer.content.decode()
    assert not ready_one_three.events.filter(kind="component_pick_up").exists()


@pytest.mark.parametrize("persona", ["andi", "budi", "citra", "dewi", "eka"])
def test_the_console_offers_each_document_exactly_the_apis_steps(ready_one_three, client_as, people, persona):
    from pencet.accounts.services import api_token_create

    page = client_as(persona).get(reverse("console:application", args=[ready_one_three.tracking_code]))
    key = api_token_create(user=people[persona], name="test")[1]
    detail = Api(key).get(f"/applications/{ready_one_three.tracking_code}")[1]
    by_id = {c["id"]: set(c["actions"]) for c in detail["components"]}
    html = page.content.decode()
    steps = {"siak": "component_siak", "verifikasi": "component_approve", "tanda-tangan": "component_sign",
             "serahkan": "component_pick_up", "hasil": "output_add", "spesimen": "output_specimen"}  # fmt: skip
    for component in ready_one_three.components.all():
        offered = {
            action
            for step, action in steps.items()
            if f'action="{reverse("console:component", args=[ready_one_three.tracking_code, component.pk, step])}"'
            in html
        }
        assert offered == by_id[component.pk], (persona, component.service.code)
