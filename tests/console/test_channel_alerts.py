"""An expired WhatsApp token stops sending; every console page tells the office admin at once."""

import pytest
from django.utils import timezone

from pencet.whatsapp.models import ChannelAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_expired(office) -> ChannelAlert:
    return ChannelAlert.objects.create(
        code="190", message="Token akses WhatsApp tidak berlaku lagi.", stops_sending=True
    )


def test_an_admin_sees_that_whatsapp_sending_stopped_on_every_console_page(client_as, token_expired):
    html = client_as("gita").get("/").content.decode()
    assert "Pengiriman WhatsApp berhenti" in html and "Token akses WhatsApp tidak berlaku lagi." in html
    assert "/admin/whatsapp/channelalert/" in html


def test_a_service_officer_is_not_shown_the_admins_alert(client_as, token_expired):
    assert "Pengiriman WhatsApp berhenti" not in client_as("andi").get("/").content.decode()


def test_the_banner_goes_away_once_the_alert_is_closed(client_as, token_expired, gita):
    token_expired.cleared_at = timezone.now()
    token_expired.cleared_by = gita
    token_expired.save()
    assert "Pengiriman WhatsApp berhenti" not in client_as("gita").get("/").content.decode()
