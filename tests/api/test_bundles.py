"""Through the API a One Three application shows its three documents with the steps each offers, exactly the
console's; every document is given its SIAK reference, approved, given its PDF and signed on its own."""

import pytest

from pencet.cases.models import Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def test_one_three_is_taken_document_by_document_through_the_api(api_as, office, media_in_tmp):
    office.is_demo = True
    office.save()
    andi, budi, citra, dewi = (api_as(name) for name in ("andi", "budi", "citra", "dewi"))
    status, created = andi.post(
        "/applications",
        {
            "service": "one-three",
            "channel": "staff_intake",
            "applicant_name": "Rina",
            "nik": "7307074105200001",
            "phone": "081234567801",
            "village": "73.07.07.2007",
            "delivery_preference": "pickup",
        },
    )
    assert status == 201, created
    code = created["tracking_code"]
    assert [c["service"]["code"] for c in created["components"]] == ["akta-kelahiran", "kk-perubahan", "kia"]
    andi.post(f"/applications/{code}/accept")
    detail = budi.post(f"/applications/{code}/claim")[1]
    assert "complete_siak" not in detail["actions"]
    assert [c["actions"] for c in detail["components"]] == [["component_siak"]] * 3

    refused = budi.post(f"/applications/{code}/complete-siak", {"siak_reference": "AL-1"})
    assert (refused[0], refused[1]["error"]) == (409, "per_document")
    ids = [c["id"] for c in detail["components"]]
    for number, component in enumerate(ids, start=1):
        detail = budi.post(
            f"/applications/{code}/components/{component}/complete-siak", {"siak_reference": f"R-{number}"}
        )[1]
    assert detail["status"] == Status.AWAITING_VERIFICATION
    for component in ids:
        detail = citra.post(f"/applications/{code}/components/{component}/approve")[1]
    assert detail["status"] == Status.AWAITING_SIGNATURE

    for component in ids:
        status, output = budi.post(f"/applications/{code}/components/{component}/outputs/specimen")
        assert (status, output["component"]) == (201, component)
    detail = dewi.get(f"/applications/{code}")[1]
    assert [c["actions"] for c in detail["components"]] == [["component_sign"]] * 3
    wrong = dewi.post(f"/applications/{code}/components/{ids[0]}/sign", {"passphrase": "tebakan"})
    assert (wrong[0], wrong[1]["error"]) == (403, "passphrase_wrong")
    for number, component in enumerate(ids, start=1):
        seen = [o["sha256"] for o in detail["outputs"] if o["component"] == component]
        status, detail = dewi.post(
            f"/applications/{code}/components/{component}/sign", {"passphrase": PASSWORD, "documents": seen}
        )
        assert status == 200, detail
        assert detail["status"] == (Status.READY if number == 3 else Status.AWAITING_SIGNATURE)

    assert [c["state"] for c in detail["components"]] == ["ready"] * 3
    assert [c["signed_by"] for c in detail["components"]] == ["dewi"] * 3
    assert [o["signature_status"] for o in detail["outputs"]] == ["valid"] * 3

    # At the counter Andi hands the three documents over one by one; the last one closes the application.
    detail = andi.get(f"/applications/{code}")[1]
    assert all("component_pick_up" in c["actions"] for c in detail["components"])
    for number, component in enumerate(ids, start=1):
        status, detail = andi.post(
            f"/applications/{code}/components/{component}/pick-up", {"collected_by": "Rina", "note": ""}
        )
        assert status == 200, detail
        assert detail["status"] == (Status.PICKED_UP if number == 3 else Status.READY)
    assert [c["state"] for c in detail["components"]] == ["done"] * 3
    again = andi.post(f"/applications/{code}/components/{ids[0]}/pick-up", {"collected_by": "Rina"})
    assert again[0] in (400, 409)
