"""After registration through the API: add a file, resubmit a returned application registered by staff, correct the
data; the same rules and Events as the console."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pencet.cases.models import Application, Channel, Status

from .conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Kartu Keluarga")
    page.save()
    return out.getvalue()


def test_staff_add_the_missing_file_and_resubmit_a_returned_walk_in_application(api_as, application_at):
    application = application_at(Status.RETURNED, channel=Channel.WALK_IN)
    andi: Api = api_as("andi")
    code = application.tracking_code
    assert {"resubmit", "attachment_add"} <= set(andi.get(f"/applications/{code}")[1]["actions"])
    status, added = andi.upload(
        f"/applications/{code}/attachments",
        {"file": SimpleUploadedFile("kk.pdf", _pdf(), "application/pdf"), "requirement": "kk"},
    )
    assert status == 201, added
    assert (added["requirement"], added["content_type"], added["original_name"]) == ("kk", "application/pdf", "kk.pdf")
    status, body = andi.post(f"/applications/{code}/resubmit")
    assert (status, body["status"]) == (200, "submitted")
    assert [e["kind"] for e in body["events"]][-2:] == ["attachment_added", "resubmit"]


def test_a_returned_whatsapp_application_is_resubmitted_by_the_citizen(api_as, application_at):
    application = application_at(Status.RETURNED)
    status, body = api_as("andi").post(f"/applications/{application.tracking_code}/resubmit")
    assert (status, body["error"]) == (409, "citizen_resubmits")


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(api_as, application_at):
    application = application_at(Status.SUBMITTED)
    status, body = api_as("andi").upload(
        f"/applications/{application.tracking_code}/attachments",
        {"file": SimpleUploadedFile("kk.jpg", b"MZ not a photo", "image/jpeg")},
    )
    assert (status, body["error"]) == (409, "bad_upload")
    assert "bukan foto" in body["message"]
    assert not Application.objects.get(pk=application.pk).attachments.exists()


@pytest.mark.parametrize(("persona", "expected"), [("citra", 403), ("eka", 403), ("rudi", 404)])
def test_who_may_not_add_a_file_is_refused(api_as, application_at, persona, expected):
    application = application_at(Status.SUBMITTED)
    status, _body = api_as(persona).upload(
        f"/applications/{application.tracking_code}/attachments",
        {"file": SimpleUploadedFile("kk.pdf", _pdf(), "application/pdf")},
    )
    assert status == expected
    assert not application.attachments.exists()


def test_the_desk_corrects_the_data_and_the_timeline_shows_old_and_new(api_as, application_at):
    application = application_at(Status.SUBMITTED)
    andi = api_as("andi")
    code = application.tracking_code
    status, body = andi.post(
        f"/applications/{code}/corrections",
        {"reason": "Salah ketik", "applicant_name": "Siti Aminah Daeng", "nik": "7307 0741 0520 0002"},
    )
    assert status == 200, body
    assert (body["applicant_name"], body["nik"]) == ("Siti Aminah Daeng", "7307074105200002")
    event = body["events"][-1]
    assert (event["kind"], event["actor"], event["note"]) == ("details_corrected", "andi", "Salah ketik")
    assert event["data"]["changes"] == [
        {"field": "applicant_name", "old": "Siti Aminah", "new": "Siti Aminah Daeng", "label": "Nama pemohon"},
        {"field": "nik", "old": "7307••••••••0001", "new": "7307••••••••0002", "label": "NIK"},
    ]
    status, body = andi.post(f"/applications/{code}/corrections", {"reason": "x", "nik": "12345"})
    assert (status, body["error"]) == (422, "invalid_nik")


def test_corrections_stop_once_an_operator_keys_it_into_siak(api_as, application_at):
    application = application_at(Status.IN_PROCESS)
    status, body = api_as("andi").post(
        f"/applications/{application.tracking_code}/corrections", {"reason": "x", "applicant_name": "Lain"}
    )
    assert (status, body["error"]) == (409, "wrong_status")
