"""The application page shows each role the personal data it needs: the full NIK/KK to those who compare or key
it in, masked to those who only decide or follow up; the citizen's chat to the office, not to village staff."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import Status
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db

FULL_NIK = "7307075203150001"
MASKED_NIK = "7307••••••••0001"
FULL_KK = "7307071203150002"
MASKED_KK = "7307••••••••0002"


def _page(client_as, persona: str, application) -> str:
    response = client_as(persona).get(reverse("console:application", args=[application.tracking_code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", ["andi", "budi", "citra", "gita"])
def test_those_who_compare_or_key_in_the_nik_see_it_in_full(client_as, make_application, persona):
    application = make_application(Status.SUBMITTED, nik=FULL_NIK, kk_number=FULL_KK)
    page = _page(client_as, persona, application)
    assert FULL_NIK in page and FULL_KK in page
    assert MASKED_NIK not in page
    assert 'id="nik-check"' in page


@pytest.mark.parametrize("persona", ["dewi", "eka", "fajar"])
def test_the_signer_leadership_and_village_staff_see_the_nik_masked(client_as, make_application, persona):
    application = make_application(Status.SUBMITTED, nik=FULL_NIK, kk_number=FULL_KK)
    page = _page(client_as, persona, application)
    assert MASKED_NIK in page and MASKED_KK in page
    assert FULL_NIK not in page and FULL_KK not in page
    # What the NIK encodes (birth date, sex, district) would give the digits back.
    assert 'id="nik-check"' not in page
    assert "lahir 12-03-2015" not in page


@pytest.fixture
def chatting(make_application, office):
    contact = Contact.objects.create(office=office, phone="6281234500001", last_inbound_at=timezone.now())
    application = make_application(Status.SUBMITTED, contact=contact)
    InboundMessage.objects.create(
        office=office,
        contact=contact,
        wamid="wamid.IN1",
        type="text",
        text="Kapan selesai, Pak?",
        sent_at=timezone.now(),
    )
    OutboundMessage.objects.create(
        office=office, contact=contact, kind="text", payload={"body": "Besok siang."}, preview="Besok siang."
    )
    return application


@pytest.mark.parametrize("persona", ["andi", "dewi", "eka"])
def test_the_office_reads_the_citizens_chat_on_the_application(client_as, chatting, persona):
    page = _page(client_as, persona, chatting)
    assert "Kapan selesai, Pak?" in page and "Besok siang." in page


def test_village_staff_follow_the_application_but_not_the_citizens_chat(client_as, chatting):
    page = _page(client_as, "fajar", chatting)
    assert "Kapan selesai, Pak?" not in page
    assert "Besok siang." not in page
    assert "Jendela 24 jam" not in page
    # The application's own history stays: created and submitted.
    assert "Dibuat" in page
