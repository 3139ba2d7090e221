"""Bad requests answer a JSON 4xx with a stable code and a message, never a 500, and change nothing."""

import pytest
from django.test import Client

from pencet.accounts.services import user_create
from pencet.cases.models import Application, Status
from tests.conftest import PASSWORD

from .conftest import Api


@pytest.mark.django_db
def test_a_transition_from_the_wrong_status_is_a_409_with_the_reason(api_as, application_at):
    application = application_at(Status.ACCEPTED)

    status, body = api_as("andi").post(f"/applications/{application.tracking_code}/accept")

    assert (status, body["error"]) == (409, "wrong_status")
    assert application.tracking_code in body["message"]
    assert "tidak dapat dilakukan" in body["message"]


@pytest.mark.django_db
def test_an_unknown_tracking_code_is_a_404(api_as, people):
    status, body = api_as("andi").get("/applications/SNJ-0000-9999")

    assert (status, body["error"]) == (404, "not_found")
    assert body["message"] == "Permohonan tidak ditemukan."


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404_even_for_a_post(api_as, people):
    andi = api_as("andi")

    assert andi.get("/nothing-here")[1]["error"] == "not_found"
    assert andi.post("/applications//accept")[1]["error"] == "not_found"


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("andi").post(f"/applications/{application.tracking_code}/reject", raw="{reason: ")

    assert (status, body["error"]) == (400, "bad_request")
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_rejection_without_a_reason_is_a_422_naming_the_field(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    for body in (None, {}, {"reason": ""}):
        status, answer = api_as("andi").post(f"/applications/{application.tracking_code}/reject", body)
        assert (status, answer["error"]) == (422, "invalid_input"), body
        assert answer["message"]
    assert "reason" in str(answer["detail"])
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_blank_reason_is_refused_by_the_service_with_its_own_code(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("andi").post(f"/applications/{application.tracking_code}/reject", {"reason": "   "})

    assert (status, body["error"]) == (409, "reason_required")


@pytest.mark.django_db
def test_returning_with_an_unknown_requirement_lists_the_valid_codes(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("andi").post(
        f"/applications/{application.tracking_code}/return",
        {"items": [{"requirement": "paspor", "verdict": "missing"}]},
    )

    assert (status, body["error"]) == (422, "unknown_requirement")
    assert "paspor" in body["message"]
    assert "kk" in body["detail"]["valid"]


@pytest.mark.django_db
def test_returning_with_an_unknown_verdict_or_no_items_is_a_422(api_as, application_at):
    application = application_at(Status.SUBMITTED)
    andi = api_as("andi")
    path = f"/applications/{application.tracking_code}/return"

    assert andi.post(path, {"items": [{"requirement": "kk", "verdict": "jelek"}]})[0] == 422
    assert andi.post(path, {"items": []})[0] == 422


@pytest.mark.django_db
def test_returning_with_only_ok_items_is_refused(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("andi").post(
        f"/applications/{application.tracking_code}/return", {"items": [{"requirement": "kk", "verdict": "ok"}]}
    )

    assert (status, body["error"]) == (409, "no_items")


@pytest.mark.django_db
def test_an_operator_cannot_record_siak_for_an_application_another_operator_holds(api_as, application_at, office):
    bayu = user_create(username="bayu", office=office, roles=["operator_siak"])
    application = application_at(Status.IN_PROCESS)
    from pencet.accounts.services import api_token_create

    status, body = Api(api_token_create(user=bayu)[1]).post(
        f"/applications/{application.tracking_code}/complete-siak", {"siak_reference": "AL.1"}
    )

    assert (status, body["error"]) == (409, "not_holder")


@pytest.mark.django_db
def test_taking_over_for_an_unknown_or_foreign_operator_is_refused(api_as, application_at):
    application = application_at(Status.IN_PROCESS)
    gita = api_as("gita")
    path = f"/applications/{application.tracking_code}/take-over"

    assert gita.post(path, {"operator": "tidakada"})[1]["error"] == "bad_operator"
    assert gita.post(path, {"operator": "hasan"})[1]["error"] == "bad_operator"
    assert gita.post(path, {"operator": "andi"})[1]["error"] == "bad_operator"


@pytest.mark.django_db
def test_a_refused_role_learns_it_is_refused_before_its_input_is_checked(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    status, body = api_as("eka").post(
        f"/applications/{application.tracking_code}/return",
        {"items": [{"requirement": "paspor", "verdict": "missing"}]},
    )

    assert (status, body["error"]) == (403, "forbidden")


@pytest.mark.django_db
def test_bulk_signing_with_one_unknown_code_signs_nothing(api_as, application_at):
    good = application_at(Status.AWAITING_SIGNATURE)

    status, body = api_as("dewi").post("/applications/sign", {"codes": [good.tracking_code, "SNJ-0000-0000"]})

    assert (status, body["error"]) == (404, "not_found")
    assert body["detail"] == {"missing": ["SNJ-0000-0000"]}
    assert Application.objects.get(pk=good.pk).status == Status.AWAITING_SIGNATURE


@pytest.mark.django_db
def test_bulk_signing_with_one_application_not_awaiting_signature_signs_nothing(api_as, application_at, siak_output):
    good = application_at(Status.AWAITING_SIGNATURE)
    siak_output(good)
    early = application_at(Status.AWAITING_VERIFICATION)

    codes = [good.tracking_code, early.tracking_code]
    status, body = api_as("dewi").post("/applications/sign", {"codes": codes, "passphrase": PASSWORD})

    assert (status, body["error"]) == (409, "wrong_status")
    assert early.tracking_code in body["message"]
    assert Application.objects.get(pk=good.pk).status == Status.AWAITING_SIGNATURE


@pytest.mark.django_db
def test_bulk_signing_needs_at_least_one_code(api_as, people):
    dewi = api_as("dewi")

    assert dewi.post("/applications/sign", {"codes": []})[0] == 422
    assert dewi.post("/applications/sign", {"codes": [" "]})[1]["error"] == "codes_required"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"status": "selesai"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}, {"submitted_from": "kemarin"}],
)
def test_list_filters_with_bad_values_are_a_422(params, api_as, people):
    status, body = api_as("andi").get("/applications", **params)

    assert (status, body["error"]) == (422, "invalid_input")
    assert body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"service": "sim-a"}, "unknown_service"),
        ({"village": "73.07.07"}, "unknown_village"),
        ({"village": "73.08.01.2002"}, "unknown_village"),
        ({"nik": ""}, "invalid_input"),
        ({"phone": "0812"}, "invalid_phone"),
        ({"delivery_preference": "email"}, "email_required"),
        ({"delivery_preference": "whatsapp"}, "phone_required"),
        ({"nik": "7307071313900001"}, "invalid_nik"),
        ({"nik": "12345"}, "invalid_nik"),
        ({"kk_number": "123"}, "invalid_kk"),
        ({"email": "bukan-email"}, "invalid_input"),
        ({"channel": "whatsapp"}, "invalid_input"),
        ({"applicant_name": ""}, "invalid_input"),
        ({"event_date": "31-12-2026"}, "invalid_input"),
    ],
)
def test_registering_with_bad_fields_is_a_422_and_creates_nothing(change, code, api_as, people):
    body = {
        "service": "akta-kelahiran",
        "applicant_name": "Rahmat",
        "nik": "7307070101900003",
        "village": "73.07.07.2007",
        **change,
    }

    status, answer = api_as("andi").post("/applications", body)

    assert (status, answer["error"]) == (422, code), answer
    assert answer["message"]
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_invalid_nik_is_explained_in_bahasa_indonesia(api_as, people):
    status, body = api_as("andi").post(
        "/applications",
        {"service": "akta-kelahiran", "applicant_name": "Rahmat", "nik": "12345", "village": "73.07.07.2007"},
    )

    assert status == 422
    assert "16 digit" in body["message"]


@pytest.mark.django_db
def test_a_get_on_a_transition_is_refused_without_a_500(api_as, application_at):
    application = application_at(Status.SUBMITTED)

    response = Client().get(
        f"/api/v1/applications/{application.tracking_code}/accept",
        headers={"Authorization": f"Bearer {api_as('andi').key}"},
    )

    assert response.status_code == 405
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
