import pytest

from pencet.cases import services as cases
from pencet.cases.models import Channel, Status


@pytest.mark.django_db
def test_an_application_walks_from_draft_to_picked_up(office, andi, budi, citra, dewi, akta_kelahiran, bonto_katute):
    application = cases.application_create(
        office=office,
        service=akta_kelahiran,
        channel=Channel.WHATSAPP,
        applicant_name="Siti",
        village=bonto_katute,
    )
    assert application.tracking_code.startswith("SNJ-")
    cases.application_submit(application=application, actor=None)
    assert application.due_at is not None
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.7307.0012345")
    cases.application_approve(application=application, actor=citra)
    cases.application_sign(application=application, actor=dewi)
    cases.application_pick_up(
        application=application,
        actor=andi,
        collected_by="Siti",
        is_representative=False,
        originals_seen=["kk"],
    )
    application.refresh_from_db()
    assert application.status == Status.PICKED_UP
    assert list(application.events.values_list("kind", flat=True)) == [
        "created",
        "submit",
        "accept",
        "claim",
        "complete_siak",
        "approve",
        "sign",
        "pick_up",
    ]


@pytest.mark.django_db
def test_an_operator_cannot_accept_an_application(office, budi, akta_kelahiran):
    application = cases.application_create(office=office, service=akta_kelahiran)
    cases.application_submit(application=application, actor=None)
    with pytest.raises(cases.ApplicationPermissionError):
        cases.application_accept(application=application, actor=budi)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.count() == 2
