"""Every page an officer can reach looks like Pencet: 403, 404 and 500 in Bahasa Indonesia inside the console
layout, with debug off (as in production)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_an_unknown_address_gets_the_indonesian_404_page_with_the_layout(client_as):
    response = client_as("andi").get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page
    assert '<header class="top">' in page and "Antrean" in page  # the console's own header and menu
    assert "Not Found" not in page


def test_another_offices_application_is_the_same_404_page(client_as, other_office_application):
    response = client_as("andi").get(reverse("console:application", args=[other_office_application.tracking_code]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_refusal_keeps_its_reason_inside_the_403_page(client_as):
    response = client_as("andi").get(reverse("console:sign_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Akses ditolak" in page
    assert "Hanya penandatangan yang dapat membuka halaman ini." in page
    assert '<header class="top">' in page


def test_a_stale_form_gets_the_indonesian_csrf_page(andi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(andi)
    response = client.post(reverse("console:logout"))
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()


def test_a_server_error_gets_the_indonesian_500_page_with_the_layout():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan pada server" in page
    assert '<header class="top">' in page and "Server Error" not in page
