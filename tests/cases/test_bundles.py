"""A bundle produces every document: a One Three application (akta kelahiran + KK + KIA) carries one component per
document, each given its own SIAK reference and verified on its own; the application moves on after the last one."""

import pytest

from pencet.accounts.models import Role
from pencet.accounts.services import user_create
from pencet.cases import services as cases
from pencet.cases.components import component_actions_for, component_approve, component_siak_record
from pencet.cases.models import Channel, ComponentState, Status
from pencet.cases.policies import application_actions_for
from pencet.catalog.models import Service
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_three(office, andi, budi, bonto_katute):
    """Rina's family applies for One Three for their newborn; Andi accepts it and Budi takes it into SIAK."""
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


def documents(application) -> list[str]:
    return [c.service.name for c in application.components.order_by("position")]


def test_one_three_carries_the_akta_the_family_card_and_the_child_card(one_three):
    assert documents(one_three) == ["Akta kelahiran", "Kartu Keluarga perubahan data", "Kartu Identitas Anak (KIA)"]
    assert set(one_three.components.values_list("state", flat=True)) == {ComponentState.SIAK}


def test_the_death_bundle_carries_the_surviving_spouses_ktp(office, bonto_katute):
    application = cases.application_create(
        office=office, service=Service.objects.get(code="kematian-kk"), village=bonto_katute
    )
    assert documents(application) == ["Akta kematian", "Kartu Keluarga perubahan data", "KTP-el perubahan data"]


def test_a_single_service_has_no_components(office, akta_kelahiran):
    application = cases.application_create(office=office, service=akta_kelahiran)
    assert not application.components.exists()


def test_each_document_gets_its_own_siak_reference_and_the_application_waits_for_the_last(one_three, budi):
    akta, kk, kia = one_three.components.order_by("position")
    assert "complete_siak" not in application_actions_for(application=one_three, user=budi)
    assert component_actions_for(component=akta, user=budi) == ["component_siak"]
    with pytest.raises(cases.TransitionError, match="per dokumen"):
        cases.application_complete_siak(application=one_three, actor=budi, siak_reference="AL-1")

    component_siak_record(component=akta, actor=budi, siak_reference="AL.7307.0001")
    component_siak_record(component=kk, actor=budi, siak_reference="KK.7307.0002")
    one_three.refresh_from_db()
    assert one_three.status == Status.IN_PROCESS
    component_siak_record(component=kia, actor=budi, siak_reference="KIA.7307.0003")

    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_VERIFICATION
    assert list(one_three.components.order_by("position").values_list("siak_reference", flat=True)) == [
        "AL.7307.0001",
        "KK.7307.0002",
        "KIA.7307.0003",
    ]
    assert "AL.7307.0001" in one_three.siak_reference and "KIA.7307.0003" in one_three.siak_reference
    steps = one_three.events.filter(kind="component_siak").order_by("id")
    assert [(e.data["document"], e.data["done"], e.data["total"]) for e in steps] == [
        ("Akta kelahiran", 1, 3),
        ("Kartu Keluarga perubahan data", 2, 3),
        ("Kartu Identitas Anak (KIA)", 3, 3),
    ]


def test_only_the_holding_operator_records_a_documents_reference(one_three, office):
    yusuf = user_create(username="yusuf", office=office, roles=[Role.OPERATOR], password=PASSWORD)
    akta = one_three.components.order_by("position").first()
    with pytest.raises(cases.TransitionError):
        component_siak_record(component=akta, actor=yusuf, siak_reference="AL.7307.0001")
    akta.refresh_from_db()
    assert akta.siak_reference == ""


def test_each_document_is_verified_on_its_own_and_a_send_back_returns_them_all(one_three, budi, citra):
    akta, kk, kia = one_three.components.order_by("position")
    for component, reference in ((akta, "AL-1"), (kk, "KK-2"), (kia, "KIA-3")):
        component_siak_record(component=component, actor=budi, siak_reference=reference)
    with pytest.raises(cases.TransitionError, match="per dokumen"):
        cases.application_approve(application=one_three, actor=citra)

    component_approve(component=akta, actor=citra)
    with pytest.raises(cases.TransitionError, match="tahap"):
        component_approve(component=akta, actor=citra)
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_VERIFICATION
    cases.application_send_back(application=one_three, actor=citra, reason="Nomor KK salah ketik")
    assert set(one_three.components.values_list("state", flat=True)) == {ComponentState.SIAK}

    for component, reference in ((akta, "AL-1"), (kk, "KK-2b"), (kia, "KIA-3")):
        component_siak_record(component=component, actor=budi, siak_reference=reference)
    component_approve(component=akta, actor=citra)
    component_approve(component=kk, actor=citra)
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_VERIFICATION
    component_approve(component=kia, actor=citra)
    one_three.refresh_from_db()
    assert one_three.status == Status.AWAITING_SIGNATURE
    kk.refresh_from_db()
    assert (kk.state, kk.verified_by, kk.siak_reference) == (ComponentState.SIGNATURE, citra, "KK-2b")


def test_an_officer_of_another_office_learns_nothing_about_a_bundle(one_three, hasan):
    with pytest.raises(cases.ApplicationPermissionError):
        cases.application_approve(application=one_three, actor=hasan)
