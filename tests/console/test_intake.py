"""Other ways in: staff intake with files, walk-in at the counter, village staff; officers' messages."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pencet.cases.models import Application, Channel, Status
from pencet.whatsapp.models import Contact, InboundMessage

from .conftest import PDF_BYTES, jpeg_bytes

pytestmark = pytest.mark.django_db

URL = reverse("console:intake", args=["akta-kelahiran"])


def _form(**extra) -> dict:
    data = {
        "channel": Channel.STAFF_INTAKE,
        "applicant_name": "Hasnah",
        "nik": "7307 0752 0315 0001",
        "kk_number": "",
        "phone": "0812 3456 7890",
        "email": "",
        "district": "73.07.07",
        "village": "73.07.07.2007",
        "delivery_preference": "pickup",
        # Hasnah's son, whose akta kelahiran it is.
        "subject_child_name": "Muhammad Rizki",
        "subject_child_sex": "L",
        "subject_child_birth_date": (timezone.localdate() - timedelta(days=7)).isoformat(),
        "subject_child_birth_place": "Sinjai",
        "subject_father_name": "Basri",
        "subject_mother_name": "Hasnah",
        "priority_elderly": "on",
        "note": "Berkas diteruskan dari WA pribadi",
    }
    data.update(extra)
    return data


def test_staff_register_an_application_with_files_and_it_joins_the_review_queue(client_as, akta_kelahiran):
    kk = akta_kelahiran.requirements.get(code="kk")
    birth = akta_kelahiran.requirements.get(code="surat-kelahiran")
    data = _form()
    data[f"file_{kk.pk}"] = SimpleUploadedFile("kk.jpg", jpeg_bytes(size=(800, 600), exif=True), "image/jpeg")
    data[f"file_{birth.pk}"] = SimpleUploadedFile("surat.pdf", PDF_BYTES, "application/pdf")
    response = client_as("budi").post(URL, data)
    application = Application.objects.get(applicant_name="Hasnah")
    assert response["Location"] == reverse("console:application", args=[application.tracking_code])
    assert application.status == Status.SUBMITTED
    assert application.channel == Channel.STAFF_INTAKE
    assert application.submitted_by.username == "budi"
    assert application.nik == "7307075203150001"
    assert application.phone == "6281234567890"
    assert application.priority_elderly
    photo = application.attachments.get(requirement=kk)
    assert photo.content_type == "image/jpeg"
    assert b"KameraRahasia" not in photo.file.read()
    assert Image.open(io.BytesIO(photo.file.open().read())).getexif().get(0x010F) is None
    assert application.attachments.get(requirement=birth).content_type == "application/pdf"
    queue = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert application.tracking_code in queue


def test_the_counter_registers_a_walk_in_application(client_as):
    client_as("andi").post(URL, _form(channel=Channel.WALK_IN))
    assert Application.objects.get(applicant_name="Hasnah").channel == Channel.WALK_IN


def _kept_tokens(page: str) -> list[str]:
    return re.findall(r'name="kept" value="([^"]+)" checked', page)


def test_a_file_that_is_not_an_image_or_pdf_is_refused_and_the_good_one_is_kept(
    client_as, akta_kelahiran, tmp_path, django_capture_on_commit_callbacks
):
    birth = akta_kelahiran.requirements.get(code="surat-kelahiran")
    kk = akta_kelahiran.requirements.get(code="kk")
    data = _form()
    data[f"file_{birth.pk}"] = SimpleUploadedFile("surat.pdf", PDF_BYTES, "application/pdf")
    data[f"file_{kk.pk}"] = SimpleUploadedFile("kk.jpg", b"MZ\x90\x00 not a photo at all", "image/jpeg")
    client = client_as("andi")
    response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "kk.jpg bukan foto" in page
    assert not Application.objects.filter(applicant_name="Hasnah").exists()
    # The good file is kept and listed; only the bad one must be chosen again.
    assert "Berkas yang sudah diunggah" in page and "surat.pdf" in page and "kk.jpg (" not in page
    again = _form(kept=_kept_tokens(page))
    again[f"file_{kk.pk}"] = SimpleUploadedFile("kk.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, again)
    application = Application.objects.get(applicant_name="Hasnah")
    assert sorted(a.original_name for a in application.attachments.all()) == ["kk.jpg", "surat.pdf"]
    assert application.attachments.get(requirement=birth).file.read() == PDF_BYTES
    # Once registered, nothing is left waiting under pending/.
    assert [p for p in tmp_path.rglob("pending/*") if p.is_file()] == []


def test_files_are_kept_when_the_form_has_an_error_and_not_uploaded_again(client_as, akta_kelahiran):
    kk = akta_kelahiran.requirements.get(code="kk")
    birth = akta_kelahiran.requirements.get(code="surat-kelahiran")
    data = _form(nik="12345")
    data[f"file_{kk.pk}"] = SimpleUploadedFile("kk.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    data[f"file_{birth.pk}"] = SimpleUploadedFile("surat.pdf", PDF_BYTES, "application/pdf")
    client = client_as("budi")
    page = client.post(URL, data).content.decode()
    assert "Mohon perbaiki" in page and not Application.objects.exists()
    assert re.search(r'data-kept="kk.jpg">.* checked> Kartu Keluarga: kk.jpg', page)
    assert re.search(r'data-kept="surat.pdf">.* checked> Surat ket. kelahiran: surat.pdf', page)
    tokens = _kept_tokens(page)
    assert len(tokens) == 2
    # The officer fixes the NIK and, having second thoughts, unticks the KK photo: only the letter is registered.
    letter = [t for t in tokens if f'value="{t}" checked> Surat ket. kelahiran: surat.pdf' in page]
    response = client.post(URL, _form(kept=letter))
    assert response.status_code == 302
    application = Application.objects.get()
    assert [(a.requirement.code, a.original_name) for a in application.attachments.all()] == [
        ("surat-kelahiran", "surat.pdf")
    ]
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds == ["created", "attachment_added", "submit"]


def test_a_kept_file_token_of_another_officer_is_ignored(client_as, akta_kelahiran):
    kk = akta_kelahiran.requirements.get(code="kk")
    data = _form(nik="12345")
    data[f"file_{kk.pk}"] = SimpleUploadedFile("kk.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    tokens = _kept_tokens(client_as("budi").post(URL, data).content.decode())
    client_as("andi").post(URL, _form(kept=tokens))
    assert Application.objects.get().attachments.count() == 0


def test_the_counter_records_the_support_a_disabled_applicant_needs(client_as):
    client_as("andi").post(URL, _form(priority_disability="on", disability_support="visual"))
    application = Application.objects.get(applicant_name="Hasnah")
    assert application.priority_disability and application.disability_support == "visual"
    page = client_as("andi").get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert "Tunanetra" in page


def test_an_invalid_nik_is_explained_on_the_form(client_as):
    response = client_as("andi").post(URL, _form(nik="12345"))
    assert response.status_code == 200
    assert "16 digit" in response.content.decode()
    assert not Application.objects.exists()


def test_email_delivery_needs_an_email_address(client_as):
    response = client_as("andi").post(URL, _form(delivery_preference="email"))
    assert "Isi alamat e-mail" in response.content.decode()


def test_village_staff_register_only_for_their_own_village(client_as):
    client_as("fajar").post(URL, _form())
    application = Application.objects.get(applicant_name="Hasnah")
    assert application.channel == Channel.VILLAGE_STAFF
    response = client_as("rudi").post(URL, _form(applicant_name="Lain Desa"))
    assert response.status_code == 200
    assert not Application.objects.filter(applicant_name="Lain Desa").exists()


def test_the_village_select_follows_the_district(client_as):
    html = client_as("andi").get(reverse("console:village_options"), {"district": "73.07.07"}).content.decode()
    assert "Bonto Katute" in html
    assert "73.07.01." not in html
    # Village staff get only their own villages whatever district they ask for.
    html = client_as("rudi").get(reverse("console:village_options"), {"district": "73.07.07"}).content.decode()
    assert "Bonto Katute" not in html


def test_an_officer_writes_to_the_citizen_and_sees_the_whole_conversation(client_as, make_application, office):
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
    client = client_as("andi")
    client.post(
        reverse("console:message", args=[application.tracking_code]), {"body": "Besok siang sudah bisa diambil."}
    )
    message = application.outbound_messages.get(sent_by__username="andi")
    assert message.payload == {"body": "Besok siang sudah bisa diambil."}
    assert message.template_event == "officer_message"
    page = client.get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert "Kapan selesai, Pak?" in page
    assert "Besok siang sudah bisa diambil." in page
    assert "Jendela 24 jam terbuka" in page
    assert page.index("Kapan selesai, Pak?") < page.index("Besok siang sudah bisa diambil.")


def test_outside_the_window_the_page_says_a_template_will_be_used(client_as, make_application, office):
    contact = Contact.objects.create(
        office=office, phone="6281234500001", last_inbound_at=timezone.now() - timedelta(days=2)
    )
    application = make_application(Status.SUBMITTED, contact=contact)
    page = client_as("andi").get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert "Jendela 24 jam tertutup" in page


def test_an_applicant_without_a_contact_gets_one_from_their_phone(client_as, make_application, office):
    application = make_application(Status.SUBMITTED, phone="6281234500077")
    client_as("andi").post(reverse("console:message", args=[application.tracking_code]), {"body": "Halo"})
    application.refresh_from_db()
    assert application.contact.phone == "6281234500077"
    assert application.outbound_messages.count() == 1


def test_an_empty_message_is_refused_politely(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    response = client_as("andi").post(
        reverse("console:message", args=[application.tracking_code]), {"body": " "}, follow=True
    )
    assert "Tulis pesannya terlebih dahulu." in response.content.decode()


def test_the_birth_date_is_typed_day_month_year(client_as, akta_kelahiran):
    page = client_as("budi").get(URL).content.decode()
    assert 'placeholder="dd-mm-yyyy"' in page and 'type="date"' not in page
    client_as("budi").post(URL, _form(subject_child_birth_date="17-08-2025"))
    application = Application.objects.get()
    assert application.subject["child_birth_date"] == "2025-08-17"
    assert str(application.event_date) == "2025-08-17"


def test_a_date_in_another_order_is_refused_with_an_example(client_as, akta_kelahiran):
    response = client_as("budi").post(URL, _form(subject_child_birth_date="2025/17/08"))
    assert "misalnya 17-08-2025" in response.content.decode()
    assert not Application.objects.exists()


def test_villages_are_listed_alphabetically(client_as, akta_kelahiran):
    page = client_as("budi").get(URL + "?").content.decode()
    response = client_as("budi").get(reverse("console:village_options"), {"district": "73.07.07"})
    names = re.findall(r'<option value="[0-9.]+"[^>]*>([^<]+)</option>', response.content.decode())
    assert len(names) > 3 and names == sorted(names)
    districts = re.findall(r'<option value="73\.07\.\d\d"[^>]*>([^<]+)</option>', page)
    assert len(districts) > 3 and districts == sorted(districts)


def test_village_staff_find_their_own_village_already_chosen(client_as, akta_kelahiran):
    page = client_as("fajar").get(URL).content.decode()
    assert '<option value="73.07.07.2007" selected>' in page


def test_akta_kelahiran_intake_asks_the_childs_data_and_keeps_it(client_as):
    html = client_as("budi").get(URL).content.decode()
    assert "Nama anak" in html and "Nama ayah" in html and "Nama ibu" in html
    # The birth date is the event date: no separate "Tanggal peristiwa" field.
    assert 'name="event_date"' not in html

    response = client_as("budi").post(URL, _form(subject_child_name="", subject_child_sex="X"))
    assert response.status_code == 200 and not Application.objects.exists()
    assert "Mohon perbaiki" in response.content.decode()

    client_as("budi").post(URL, _form())
    application = Application.objects.get()
    born = timezone.localdate() - timedelta(days=7)
    assert application.subject == {
        "child_name": "Muhammad Rizki",
        "child_sex": "L",
        "child_birth_date": born.isoformat(),
        "child_birth_place": "Sinjai",
        "father_name": "Basri",
        "mother_name": "Hasnah",
    }
    assert application.event_date == born
    page = client_as("budi").get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert "Muhammad Rizki" in page and "Basri" in page


def test_ktp_el_intake_offers_only_pickup_and_no_child_fields(client_as):
    html = client_as("budi").get(reverse("console:intake", args=["ktp-hilang-rusak"])).content.decode()
    assert 'value="pickup"' in html
    assert 'value="email"' not in html and 'value="whatsapp"' not in html
    assert "Nama anak" not in html
