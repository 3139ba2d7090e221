"""Bearer tokens: who gets in, what is recorded, and the token command; the OpenAPI document."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from pencet.accounts.models import ApiToken
from pencet.accounts.services import api_token_create, api_token_revoke, user_create

from .conftest import Api


@pytest.mark.django_db
def test_a_call_without_a_token_is_refused_with_a_json_401():
    status, body = Api(None).get("/applications")

    assert status == 401
    assert body["error"] == "unauthorized"
    assert "Bearer" in body["message"]


@pytest.mark.django_db
def test_the_401_tells_the_client_to_use_a_bearer_token():
    response = Client().get("/api/v1/applications")

    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_a_wrong_token_is_refused(andi):
    api_token_create(user=andi)

    assert Api("pct_not-a-real-token").get("/applications")[0] == 401


@pytest.mark.django_db
def test_a_token_in_another_scheme_is_refused(andi):
    _token, key = api_token_create(user=andi)

    response = Client().get("/api/v1/applications", headers={"Authorization": f"Token {key}"})

    assert response.status_code == 401


@pytest.mark.django_db
def test_a_revoked_token_is_refused(andi):
    token, key = api_token_create(user=andi)
    assert Api(key).get("/applications")[0] == 200

    api_token_revoke(user=andi, token_id=token.pk)

    status, body = Api(key).get("/applications")
    assert (status, body["error"]) == (401, "unauthorized")


@pytest.mark.django_db
def test_the_token_of_a_deactivated_user_is_refused(andi):
    _token, key = api_token_create(user=andi)
    andi.is_active = False
    andi.save()

    assert Api(key).get("/applications")[0] == 401


@pytest.mark.django_db
def test_an_account_without_a_role_is_forbidden_like_in_the_console(office):
    nobody = user_create(username="nobody", office=office, roles=[])
    _token, key = api_token_create(user=nobody)

    status, body = Api(key).get("/applications")

    assert (status, body["error"]) == (403, "no_role")


@pytest.mark.django_db
def test_a_used_token_records_when_it_was_last_used(andi):
    token, key = api_token_create(user=andi)
    assert token.last_used_at is None

    Api(key).get("/applications")

    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_only_the_hash_of_a_token_is_stored(andi):
    token, key = api_token_create(user=andi)

    assert key not in {token.key_hash, token.prefix}
    assert token.key_hash == ApiToken.hash_key(key)


@pytest.mark.django_db
def test_a_user_cannot_revoke_someone_elses_token(andi, budi):
    token, key = api_token_create(user=budi)

    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(user=andi, token_id=token.pk)
    assert Api(key).get("/applications")[0] == 200


@pytest.mark.django_db
def test_the_api_token_command_prints_a_working_token_on_its_last_line(andi):
    out, err = io.StringIO(), io.StringIO()

    call_command("api-token", "andi", "--name", "sistem arsip", stdout=out, stderr=err)

    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("pct_")
    assert Api(key).get("/applications")[0] == 200
    assert andi.api_tokens.get().name == "sistem arsip"
    assert key not in err.getvalue()


@pytest.mark.django_db
def test_the_api_token_command_refuses_an_unknown_user(office):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("api-token", "siapa", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_the_openapi_document_is_public_valid_and_lists_every_endpoint():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    paths = document["paths"]
    for path in [
        "/api/v1/applications",
        "/api/v1/applications/sign",
        "/api/v1/applications/{tracking_code}",
        *(
            f"/api/v1/applications/{{tracking_code}}/{action}"
            for action in [
                "accept",
                "return",
                "reject",
                "claim",
                "release",
                "take-over",
                "complete-siak",
                "approve",
                "send-back",
                "sign",
                "deliver",
                "pick-up",
                "cancel",
                "attachments",
                "resubmit",
                "corrections",
            ]
        ),
    ]:
        assert path in paths, path
    # Signing asks for the passphrase, and the document says so.
    sign = paths["/api/v1/applications/{tracking_code}/sign"]["post"]
    assert "passphrase" in sign["summary"]
    sign_in = document["components"]["schemas"]["SignIn"]
    assert "passphrase" in sign_in["properties"]
    assert "passphrase_required" in sign_in["properties"]["passphrase"]["description"]
    assert set(paths["/api/v1/applications"]) == {"get", "post"}
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_the_openapi_document_passes_the_openapi_validator(db):
    validator = pytest.importorskip("openapi_spec_validator")
    document = json.loads(Client().get("/api/v1/openapi.json").content)

    validator.validate(document)


@pytest.mark.django_db
def test_the_docs_page_works_offline_with_the_bundled_swagger_ui():
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
