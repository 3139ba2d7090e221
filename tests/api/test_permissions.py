"""Every role × every API endpoint: allowed, forbidden (403) and invisible (404) — the console's own rules."""

from dataclasses import dataclass

import pytest

from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, Status
from pencet.regions.models import Region
from tests.conftest import PASSWORD

from .conftest import PERSONAS

# hasan works in another office; rudi is village staff of another village: for them a Sinjai application
# from Bonto Katute does not exist.
OUTSIDERS = {"hasan", "rudi"}


@dataclass(frozen=True)
class Action:
    path: str
    source: str
    body: dict | None
    allowed: frozenset[str]
    target: str


ACTIONS = [
    Action("accept", Status.SUBMITTED, None, frozenset({"andi", "gita"}), Status.ACCEPTED),
    Action(
        "return",
        Status.SUBMITTED,
        {"items": [{"requirement": "kk", "verdict": "missing", "reason": "Foto KK belum ada"}]},
        frozenset({"andi", "gita"}),
        Status.RETURNED,
    ),
    Action("reject", Status.SUBMITTED, {"reason": "Bukan warga Sinjai"}, frozenset({"andi", "gita"}), Status.REJECTED),
    Action(
        "cancel", Status.SUBMITTED, {"reason": "Pemohon membatalkan"}, frozenset({"andi", "gita"}), Status.CANCELLED
    ),
    Action("claim", Status.ACCEPTED, None, frozenset({"budi"}), Status.IN_PROCESS),
    Action("release", Status.IN_PROCESS, None, frozenset({"budi", "gita"}), Status.ACCEPTED),
    Action("take-over", Status.IN_PROCESS, {"operator": "budi"}, frozenset({"gita"}), Status.IN_PROCESS),
    Action(
        "complete-siak",
        Status.IN_PROCESS,
        {"siak_reference": "AL.7307.0000002"},
        frozenset({"budi"}),
        Status.AWAITING_VERIFICATION,
    ),
    Action("approve", Status.AWAITING_VERIFICATION, None, frozenset({"citra"}), Status.AWAITING_SIGNATURE),
    Action(
        "send-back",
        Status.AWAITING_VERIFICATION,
        {"reason": "Nama ibu salah ketik"},
        frozenset({"citra"}),
        Status.IN_PROCESS,
    ),
    # With the signer's passphrase (each persona's own password), on the output PDF SIAK signed.
    Action("sign", Status.AWAITING_SIGNATURE, {"passphrase": PASSWORD}, frozenset({"dewi"}), Status.READY),
    Action(
        "pick-up",
        Status.READY,
        {"collected_by": "Siti Aminah", "originals_seen": ["kk"]},
        frozenset({"andi", "gita"}),
        Status.PICKED_UP,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS, ids=[a.path for a in ACTIONS])
def test_each_role_may_perform_exactly_its_transitions(action, persona, api_as, application_at, siak_output):
    application = application_at(action.source)
    if action.path == "sign":
        siak_output(application)
    events_before = application.events.count()

    status, body = api_as(persona).post(f"/applications/{application.tracking_code}/{action.path}", action.body)

    application.refresh_from_db()
    if persona in OUTSIDERS:
        assert (status, body["error"]) == (404, "not_found")
    elif persona in action.allowed:
        assert status == 200, body
        assert body["status"] == action.target
        assert application.status == action.target
        assert application.events.count() == events_before + 1
        return
    else:
        assert (status, body["error"]) == (403, "forbidden"), body
        assert body["message"]
    assert application.status == action.source
    assert application.events.count() == events_before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_may_deliver_only_if_the_console_lets_it(persona, api_as, application_at):
    application = application_at(Status.READY)

    status, body = api_as(persona).post(f"/applications/{application.tracking_code}/deliver", {})

    if persona in OUTSIDERS:
        assert (status, body["error"]) == (404, "not_found")
    elif persona in {"andi", "budi", "gita"}:
        # Allowed, and refused by the delivery service itself: Siti chose to pick the document up.
        assert (status, body["error"]) == (409, "pickup_preferred")
    else:
        assert (status, body["error"]) == (403, "forbidden")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_may_sign_in_bulk_only_as_the_signer(persona, api_as, application_at, siak_output):
    first, second = application_at(Status.AWAITING_SIGNATURE), application_at(Status.AWAITING_SIGNATURE)
    siak_output(first), siak_output(second)

    codes = [first.tracking_code, second.tracking_code]
    status, body = api_as(persona).post("/applications/sign", {"codes": codes, "passphrase": PASSWORD})

    statuses = set(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    if persona == "dewi":
        assert status == 200
        assert [item["status"] for item in body] == [Status.READY, Status.READY]
        assert statuses == {Status.READY}
    else:
        assert (status, body["error"]) == ((404, "not_found") if persona in OUTSIDERS else (403, "forbidden"))
        assert statuses == {Status.AWAITING_SIGNATURE}


FULL_NIK = {"andi", "budi", "citra", "gita"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reads_an_application_of_its_office_and_village_only(persona, api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as(persona).get(f"/applications/{application.tracking_code}")

    if persona in OUTSIDERS:
        assert (status, body["error"]) == (404, "not_found")
        assert "Siti" not in str(body)
        return
    assert status == 200
    assert body["tracking_code"] == application.tracking_code
    if persona in FULL_NIK:
        assert (body["nik"], body["kk_number"], body["nik_masked"]) == ("7307074105200001", "7307071203150002", False)
    else:
        assert body["nik"] == "7307••••••••0001"
        assert body["kk_number"] == "7307••••••••0002"
        assert body["nik_masked"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_lists_only_what_it_may_see_with_the_nik_masked(persona, api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as(persona).get("/applications")

    assert status == 200
    codes = [item["tracking_code"] for item in body["items"]]
    if persona in OUTSIDERS:
        assert codes == [] and body["count"] == 0
    else:
        assert codes == [application.tracking_code]
        assert body["items"][0]["nik"] == "7307••••••••0001"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_registers_applications_only_where_the_console_lets_it(persona, api_as, people):
    # Each office registers for villages of its own regency; hasan's office is Bone (73.08).
    village = Region.objects.filter(parent__parent_id="73.08", level=4).first() if persona == "hasan" else None
    body = {
        "service": "akta-kelahiran",
        "channel": "walk_in",
        "applicant_name": "Rahmat",
        "nik": "7307070101900003",
        "village": village.code if village else "73.07.07.2007",
    }

    status, answer = api_as(persona).post("/applications", body)

    if persona in {"eka", "rudi"}:
        # Leadership registers nothing; rudi's villages do not include Bonto Katute.
        assert (status, answer["error"]) == (403, "forbidden")
        assert not Application.objects.exists()
        return
    assert status == 201, answer
    application = Application.objects.get(tracking_code=answer["tracking_code"])
    assert application.status == Status.SUBMITTED
    assert application.office == people[persona].office
    assert application.submitted_by == people[persona]
    expected_channel = Channel.VILLAGE_STAFF if persona == "fajar" else Channel.WALK_IN
    assert answer["channel"] == application.channel == expected_channel


@pytest.mark.django_db
def test_another_offices_application_is_invisible_and_untouchable(api_as, other_office, akta_kelahiran, hasan):
    bone = cases.application_create(office=other_office, service=akta_kelahiran, applicant_name="Andi Baso")
    cases.application_submit(application=bone, actor=None)
    andi = api_as("andi")

    assert andi.get(f"/applications/{bone.tracking_code}")[0] == 404
    assert andi.post(f"/applications/{bone.tracking_code}/accept")[0] == 404
    assert andi.get("/applications")[1]["count"] == 0
    # …while Bone's own officer works it as usual.
    status, body = api_as("hasan").post(f"/applications/{bone.tracking_code}/accept")
    assert (status, body["status"]) == (200, Status.ACCEPTED)
