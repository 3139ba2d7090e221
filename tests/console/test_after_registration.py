"""After registration: village staff find what they submitted, staff add files to and resubmit a returned application
registered in the console, correct an application's data; every such write is on the timeline as an Event."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pencet.cases import services as cases
from pencet.cases.models import Application, ReviewItem, Status

from .conftest import PDF_BYTES, jpeg_bytes
from .test_intake import URL, _form

pytestmark = pytest.mark.django_db


def _register(client, **extra) -> Application:
    response = client.post(URL, _form(**extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(tracking_code=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def _return_for_missing_kk(application: Application, andi) -> None:
    kk = application.service.requirements.get(code="kk")
    verdict = cases.ReviewVerdict(requirement=kk, verdict=ReviewItem.Verdict.MISSING, reason="Foto KK belum ada")
    cases.application_return(application=application, actor=andi, items=[verdict])


def _page(client, application: Application) -> str:
    return client.get(reverse("console:application", args=[application.tracking_code])).content.decode()


def test_village_staff_find_their_own_submissions_with_their_status(client_as, andi):
    fajar = client_as("fajar")
    first = _register(fajar, applicant_name="Hasnah")
    second = _register(fajar, applicant_name="Rahmawati", nik="7307075203150002")
    _register(client_as("andi"), applicant_name="Dari Loket", nik="7307075203150003")
    _return_for_missing_kk(first, andi)
    home = fajar.get(reverse("console:home")).content.decode()
    assert f'href="{reverse("console:my_submissions")}"' in home
    page = fajar.get(reverse("console:my_submissions")).content.decode()
    assert "Pengajuan saya" in page and "(2)" in page
    rows = re.findall(r'class="code">([A-Z]+-\d{4}-\d{4})</a>', page)
    assert rows == [second.tracking_code, first.tracking_code]  # newest first
    assert "Dikembalikan ke pemohon" in page and "Menunggu pemeriksaan" in page
    assert "Dari Loket" not in page
    # An officer at the counter has no such list in the menu.
    assert reverse("console:my_submissions") not in client_as("andi").get(reverse("console:home")).content.decode()


def test_the_list_of_submissions_is_paged(client_as, fajar, office, akta_kelahiran, bonto_katute):
    for n in range(51):
        cases.application_create(
            office=office, service=akta_kelahiran, actor=fajar, village=bonto_katute, applicant_name=f"Warga {n}"
        )
    client = client_as("fajar")
    first = client.get(reverse("console:my_submissions")).content.decode()
    assert "1–50 dari 51" in first and "Warga 50" in first and "Warga 0<" not in first
    second = client.get(reverse("console:my_submissions"), {"halaman": 2}).content.decode()
    assert "Warga 0<" in second


def test_village_staff_add_the_missing_file_and_resubmit_a_returned_application(client_as, andi, akta_kelahiran):
    """Before, an application registered by village staff and returned stayed returned for ever: no WhatsApp
    conversation would send the missing KK."""
    fajar = client_as("fajar")
    application = _register(fajar)
    _return_for_missing_kk(application, andi)
    page = _page(fajar, application)
    assert f'action="{reverse("console:attachment_add", args=[application.tracking_code])}"' in page
    assert 'id="resubmit"' in page
    kk = akta_kelahiran.requirements.get(code="kk")
    upload = SimpleUploadedFile("kk-baru.jpg", jpeg_bytes(size=(800, 600), exif=True), "image/jpeg")
    response = fajar.post(
        reverse("console:attachment_add", args=[application.tracking_code]),
        {"requirement": kk.pk, "file": upload},
        follow=True,
    )
    assert "Berkas ditambahkan." in response.content.decode()
    added = application.attachments.get(requirement=kk)
    assert added.original_name == "kk-baru.jpg" and b"KameraRahasia" not in added.file.open("rb").read()
    event = application.events.get(kind="attachment_added")
    assert (event.actor.username, event.data["requirement"]) == ("fajar", "kk")
    response = fajar.post(reverse("console:resubmit", args=[application.tracking_code]), follow=True)
    assert "diajukan ulang" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not application.review_items.filter(resolved=False).exists()
    queue = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert application.tracking_code in queue


def test_a_returned_whatsapp_application_is_resubmitted_by_the_citizen_not_by_staff(client_as, make_application, andi):
    application = make_application(Status.SUBMITTED)
    _return_for_missing_kk(application, andi)
    client = client_as("andi")
    page = _page(client, application)
    assert 'id="resubmit"' not in page
    assert reverse("console:attachment_add", args=[application.tracking_code]) in page  # what she brought in
    response = client.post(reverse("console:resubmit", args=[application.tracking_code]), follow=True)
    assert "lewat WhatsApp" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.RETURNED


def test_a_staff_upload_to_a_submitted_application_is_on_the_timeline(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client = client_as("andi")
    upload = SimpleUploadedFile("surat-bidan.pdf", PDF_BYTES, "application/pdf")
    client.post(
        reverse("console:attachment_add", args=[application.tracking_code]), {"requirement": "", "file": upload}
    )
    attachment = application.attachments.get()
    assert (attachment.requirement, attachment.uploaded_by.username) == (None, "andi")
    page = _page(client, application)
    assert "Lampiran ditambahkan" in page and "Berkas ditambahkan: Berkas lain." in page


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [("citra", Status.SUBMITTED, 403), ("andi", Status.AWAITING_SIGNATURE, 200), ("eka", Status.SUBMITTED, 403)],
)
def test_who_may_not_add_a_file_adds_none(client_as, make_application, persona, status, expected):
    application = make_application(status)
    upload = SimpleUploadedFile("x.pdf", PDF_BYTES, "application/pdf")
    response = client_as(persona).post(
        reverse("console:attachment_add", args=[application.tracking_code]), {"file": upload}, follow=True
    )
    assert response.status_code == expected
    if expected == 200:  # past the SIAK step the files are history: refused with the reason on the page
        assert "Anda tidak dapat menambahkan berkas" in response.content.decode()
    assert not application.attachments.exists()
    assert not application.events.filter(kind="attachment_added").exists()


def test_the_desk_corrects_an_applications_data_and_the_timeline_shows_old_and_new(client_as, make_application):
    application = make_application(Status.SUBMITTED, subject={"child_name": "Muhamad Riski", "child_sex": "L"})
    client = client_as("andi")
    url = reverse("console:correct", args=[application.tracking_code])
    assert f'href="{url}"' in _page(client, application)
    form = client.get(url).content.decode()
    assert 'value="Siti Aminah"' in form and 'value="Muhamad Riski"' in form
    data = {
        "applicant_name": "Siti Aminah Daeng Tasi",
        "nik": "7307075203150002",
        "kk_number": "",
        "phone": "6281234500001",
        "email": "",
        "village": "73.07.07.2007",
        "subject_child_name": "Muhammad Rizki",
        "subject_child_sex": "L",
        "subject_child_birth_date": "17-11-2026",
        "subject_child_birth_place": "Sinjai",
        "subject_father_name": "Basri",
        "subject_mother_name": "Siti Aminah",
        "reason": "Salah ketik di loket",
    }
    refused = client.post(url, {**data, "reason": ""})
    assert refused.status_code == 400
    application.refresh_from_db()
    assert application.applicant_name == "Siti Aminah"
    client.post(url, data)
    application.refresh_from_db()
    assert application.applicant_name == "Siti Aminah Daeng Tasi"
    assert application.nik == "7307075203150002"
    assert application.subject["child_name"] == "Muhammad Rizki"
    event = application.events.get(kind="details_corrected")
    assert (event.actor.username, event.note) == ("andi", "Salah ketik di loket")
    changes = {c["field"]: (c["old"], c["new"]) for c in event.data["changes"]}
    assert changes["applicant_name"] == ("Siti Aminah", "Siti Aminah Daeng Tasi")
    assert changes["subject.child_name"] == ("Muhamad Riski", "Muhammad Rizki")
    assert changes["subject.child_birth_date"] == ("", "17-11-2026")
    # The NIK is on the timeline masked, as the signer and the village staff read it.
    assert changes["nik"] == ("7307••••••••0001", "7307••••••••0002")
    assert "phone" not in changes  # unchanged fields are not listed
    page = _page(client, application)
    assert "Data permohonan dikoreksi petugas" in page
    assert re.search(r"Nama pemohon: <del>Siti Aminah</del> → <ins>Siti Aminah Daeng Tasi</ins>", page)


def test_village_staff_correct_only_a_returned_application_and_only_within_their_villages(
    client_as, andi, bonto_katute
):
    fajar = client_as("fajar")
    application = _register(fajar)
    url = reverse("console:correct", args=[application.tracking_code])
    # Submitted: it is the desk's to correct now.
    assert "Anda tidak dapat mengoreksi data permohonan" in fajar.get(url, follow=True).content.decode()
    _return_for_missing_kk(application, andi)
    form = fajar.get(url).content.decode()
    assert re.findall(r'<option value="([0-9.]+)"', form) == ["73.07.07.2007"]
    response = fajar.post(url, {**_form(applicant_name="Hasnah Binti Basri"), "reason": "Nama lengkap"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.applicant_name == "Hasnah Binti Basri"
    assert application.events.filter(kind="details_corrected", actor__username="fajar").exists()


def test_nothing_changed_leaves_no_event(client_as, make_application):
    subject = {
        "child_name": "Nur Aisyah",
        "child_sex": "P",
        "child_birth_date": "2026-11-20",
        "child_birth_place": "Sinjai",
        "father_name": "Ahmad Yani",
        "mother_name": "Siti Aminah",
    }
    application = make_application(Status.SUBMITTED, subject=subject, event_date=date(2026, 11, 20))
    client = client_as("andi")
    url = reverse("console:correct", args=[application.tracking_code])
    form = client.get(url).content.decode()
    # The form as it was shown, sent back unchanged (the selects as they were chosen).
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    values.update(village="73.07.07.2007", subject_child_sex="P")
    values["reason"] = "Cek"
    values.pop("csrfmiddlewaretoken", None)
    response = client.post(url, values, follow=True)
    assert "Tidak ada data yang berubah." in response.content.decode()
    assert not application.events.filter(kind="details_corrected").exists()
