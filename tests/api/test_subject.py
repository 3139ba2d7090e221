"""The document's subject through the API: POST /applications takes it, the detail shows it (issue 10, point 6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases.models import Application

pytestmark = pytest.mark.django_db


def _payload(**extra: object) -> dict:
    payload = {
        "service": "akta-kelahiran",
        "applicant_name": "Hasnah",
        "nik": "7307075203150001",
        "village": "73.07.07.2007",
        "delivery_preference": "pickup",
    }
    payload.update(extra)
    return payload


def test_an_akta_kelahiran_registered_through_the_api_carries_the_childs_data(api_as, people):
    born = timezone.localdate() - timedelta(days=3)
    subject = {
        "child_name": "Muhammad Rizki",
        "child_sex": "l",
        "child_birth_date": born.isoformat(),
        "child_birth_place": "Sinjai",
        "father_name": "Basri",
        "mother_name": "Hasnah",
    }
    status, created = api_as("andi").post("/applications", _payload(subject=subject))
    assert status == 201, created
    assert created["subject"]["child_name"] == "Muhammad Rizki"
    assert created["subject"]["child_sex"] == "L"
    application = Application.objects.get()
    assert application.event_date == born
    status, detail = api_as("budi").get(f"/applications/{application.tracking_code}")
    assert detail["subject"]["father_name"] == "Basri"


def test_the_api_refuses_a_field_the_service_does_not_ask_and_a_mode_it_does_not_offer(api_as, people):
    status, body = api_as("andi").post("/applications", _payload(subject={"deceased_name": "La Baco"}))
    assert status == 422 and body["error"] == "unknown_subject_field"
    status, body = api_as("andi").post(
        "/applications", _payload(service="ktp-hilang-rusak", delivery_preference="whatsapp", phone="081234567890")
    )
    assert status == 422 and body["error"] == "delivery_not_offered"
    assert not Application.objects.exists()
