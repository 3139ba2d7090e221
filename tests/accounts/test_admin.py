"""The Django admin, in Bahasa Indonesia, for offices, staff, the catalogue, templates and API tokens."""

import pytest
from django.urls import reverse

from pencet.accounts.models import ApiToken, Role
from pencet.accounts.services import api_token_create, demo_office_seed


@pytest.fixture
def admin_client(client, settings, db):
    settings.OTP_REQUIRED = False
    demo_office_seed(password="sandi-admin-uji")
    client.post(reverse("console:login"), {"username": "admin", "password": "sandi-admin-uji"})
    return client


def test_the_admin_speaks_bahasa_indonesia(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Pencet — Administrasi" in html
    for label in ("Kantor", "Pegawai", "Layanan", "Template WhatsApp", "Wilayah", "Token API"):
        assert label in html


@pytest.mark.parametrize(
    "model",
    [
        "accounts/office",
        "accounts/user",
        "accounts/apitoken",
        "regions/region",
        "catalog/service",
        "catalog/messagetemplate",
    ],
)
def test_every_admin_list_opens(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_a_staff_member_page_shows_office_roles_and_villages(admin_client):
    from pencet.accounts.models import User

    user = User.objects.get(username="aparat_desa")
    html = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="office"' in html and 'name="villages"' in html and "role_grants-0-role" in html


def test_a_service_page_lists_its_requirements(admin_client):
    from pencet.accounts.models import User
    from pencet.catalog.models import Service

    # The national catalogue is edited by the operators (a superuser); office admins read it.
    operator = User.objects.create_superuser(username="operator", password="sandi-operator-1")
    admin_client.force_login(operator)
    service = Service.objects.get(code="akta-kelahiran")
    html = admin_client.get(f"/admin/catalog/service/{service.pk}/change/").content.decode()
    assert "requirements-0-name" in html


def test_regions_are_read_only(admin_client):
    assert admin_client.get("/admin/regions/region/add/").status_code == 403


def test_village_autocomplete_offers_only_villages(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "Bonto", "app_label": "accounts", "model_name": "user", "field_name": "villages"},
    )
    ids = [r["id"] for r in response.json()["results"]]
    assert "73.07.07.2007" in ids
    assert all(code.count(".") == 3 for code in ids)


def test_an_admin_can_revoke_api_tokens(admin_client):
    from pencet.accounts.models import User

    token, _key = api_token_create(user=User.objects.get(username=Role.OPERATOR.value), name="SIAK bridge")
    response = admin_client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "1 token dicabut." in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_an_admin_can_add_a_staff_member_with_an_office(admin_client):
    from pencet.accounts.models import Office, User

    office = Office.objects.get(code="SNJ")
    assert admin_client.get("/admin/accounts/user/add/").status_code == 200
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "baru",
            "password1": "sandi-yang-panjang-123",
            "password2": "sandi-yang-panjang-123",
            "usable_password": "true",
            "office": office.pk,
            "first_name": "Pegawai",
            "last_name": "Baru",
            "email": "",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": "operator_siak",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="baru")
    assert user.office == office and user.roles == {"operator_siak"}
