"""Office admins run their own office in the Django admin: staff with the permissions they need, not superusers."""

import pytest
from django.test import Client

from pencet.accounts.models import Role, User
from pencet.accounts.services import api_token_create, demo_office_seed, user_roles_set
from pencet.cases.models_access import AccessRecord
from pencet.whatsapp.models import Contact, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def bone_admin(hasan) -> User:
    user_roles_set(user=hasan, roles=[Role.ADMIN])
    hasan.is_staff = True
    hasan.save()
    return hasan


@pytest.fixture
def sinjai_rows(office, make_application, andi, client_as):
    application = make_application()
    client_as("andi").get(f"/permohonan/{application.tracking_code}/")
    contact = Contact.objects.create(office=office, phone="6281234500001", profile_name="Siti Sinjai")
    api_token_create(user=andi, name="arsip-sinjai")
    return {"application": application, "contact": contact}


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("/admin/accounts/user/", ">andi<"),
        ("/admin/accounts/office/", "Disdukcapil Kabupaten Sinjai"),
        ("/admin/accounts/apitoken/", "arsip-sinjai"),
        ("/admin/whatsapp/contact/", "Siti Sinjai"),
        ("/admin/cases/accessrecord/", ">andi<"),
    ],
)
def test_bones_admin_cannot_see_sinjais_rows(client_as, bone_admin, sinjai_rows, path, secret):
    response = client_as("hasan").get(path)
    assert response.status_code == 200
    assert secret not in response.content.decode()
    # Sinjai's own admin does see them.
    assert secret in client_as("gita").get(path).content.decode()


def test_bones_admin_cannot_open_a_sinjai_row_by_its_address(client_as, bone_admin, sinjai_rows, andi):
    client = client_as("hasan")
    assert client.get(f"/admin/accounts/user/{andi.pk}/change/").status_code == 302
    assert client.get(f"/admin/whatsapp/contact/{sinjai_rows['contact'].pk}/change/").status_code == 302
    record = AccessRecord.objects.get()
    assert client.get(f"/admin/cases/accessrecord/{record.pk}/change/").status_code == 302
    assert User.objects.filter(pk=andi.pk, is_active=True).exists()


def test_an_office_admin_cannot_make_anyone_a_superuser(client_as, gita, andi):
    page = client_as("gita").get(f"/admin/accounts/user/{andi.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="username"' in page


def test_an_office_admin_can_only_pick_their_own_office(client_as, gita, other_office):
    page = client_as("gita").get("/admin/accounts/user/add/").content.decode()
    assert "Disdukcapil Kabupaten Bone" not in page


def test_the_national_catalogue_is_read_only_for_an_office_admin(client_as, gita):
    client = client_as("gita")
    assert client.get("/admin/catalog/service/").status_code == 200
    assert client.get("/admin/catalog/service/add/").status_code == 403


def test_the_demo_admin_is_an_office_admin_scoped_to_sinjai(client, settings, other_office):
    settings.OTP_REQUIRED = False
    demo_office_seed(password="sandi-admin-uji")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    client.post("/masuk/", {"username": "admin", "password": "sandi-admin-uji"})
    offices = client.get("/admin/accounts/office/").content.decode()
    assert "Disdukcapil Kabupaten Sinjai" in offices and "Disdukcapil Kabupaten Bone" not in offices
    # Dead-lettered webhooks are the office admin's to retry, but only the office's own.
    sinjai = WebhookDelivery.objects.create(body=b"{}", signature="sha256=sinjai", office=admin.office)
    mixed = WebhookDelivery.objects.create(body=b"{}", signature="sha256=mixed")
    deliveries = client.get("/admin/whatsapp/webhookdelivery/")
    assert deliveries.status_code == 200
    assert f"/{sinjai.pk}/change/" in deliveries.content.decode()
    assert f"/{mixed.pk}/change/" not in deliveries.content.decode()


def test_an_operator_superuser_still_sees_every_office(office, other_office):
    root = User.objects.create_superuser(username="operator", password="sandi-operator-1")
    client = Client()
    client.force_login(root)
    page = client.get("/admin/accounts/office/").content.decode()
    assert "Disdukcapil Kabupaten Sinjai" in page and "Disdukcapil Kabupaten Bone" in page


def test_the_authenticator_enrolment_page_is_never_cached(client, settings, andi):
    settings.OTP_REQUIRED = True
    client.post("/masuk/", {"username": "andi", "password": "rahasia-uji-123"})
    response = client.get("/masuk/autentikator/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
