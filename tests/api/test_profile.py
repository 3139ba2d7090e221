"""The console profile page where an officer manages their own API tokens."""

import pytest
from django.test import Client

from pencet.accounts.models import ApiToken
from pencet.accounts.services import api_token_create

from .conftest import Api


@pytest.fixture
def console_as(settings, people):
    settings.OTP_REQUIRED = False

    def make(username: str) -> Client:
        client = Client()
        client.force_login(people[username])
        return client

    return make


@pytest.mark.django_db
def test_an_officer_creates_a_token_that_is_shown_once_and_works(console_as, andi):
    client = console_as("andi")

    response = client.post("/profil/", {"action": "create", "name": "Aplikasi kecamatan"})

    assert response.status_code == 200
    token = andi.api_tokens.get()
    key = response.context["new_key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert Api(key).get("/applications")[0] == 200
    again = client.get("/profil/").content.decode()
    assert key not in again
    assert token.prefix in again and "Aplikasi kecamatan" in again


@pytest.mark.django_db
def test_the_profile_shows_when_a_token_was_last_used(console_as, andi):
    _token, key = api_token_create(user=andi, name="arsip")
    client = console_as("andi")
    assert "belum pernah" in client.get("/profil/").content.decode()

    Api(key).get("/applications")

    assert "belum pernah" not in client.get("/profil/").content.decode()


@pytest.mark.django_db
def test_an_officer_revokes_a_token_and_it_stops_working(console_as, andi):
    token, key = api_token_create(user=andi, name="lama")

    response = console_as("andi").post("/profil/", {"action": "revoke", "token": token.pk}, follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "dicabut" in response.content.decode()
    assert Api(key).get("/applications")[0] == 401


@pytest.mark.django_db
def test_an_officer_cannot_see_or_revoke_a_colleagues_token(console_as, andi, budi):
    token, key = api_token_create(user=budi, name="milik budi")
    client = console_as("andi")

    assert "milik budi" not in client.get("/profil/").content.decode()
    response = client.post("/profil/", {"action": "revoke", "token": token.pk}, follow=True)

    assert "Token tidak ditemukan." in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert Api(key).get("/applications")[0] == 200


@pytest.mark.django_db
def test_the_profile_page_needs_a_login(office):
    response = Client().get("/profil/")

    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_every_role_has_a_profile_page(username, console_as):
    assert console_as(username).get("/profil/").status_code == 200
