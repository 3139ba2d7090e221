"""The survey and complaints pages: kiosk, paper entry, report, follow-up plan, publishing, the public page."""

import csv
import io

from django.urls import reverse
from django.utils import timezone

from pencet.catalog.models import Service
from pencet.surveys import complaints as svc
from pencet.surveys.models import SurveyPeriod, SurveyResponse


def _answers(scores, **extra):
    data = {
        "service": Service.objects.get(code="akta-kelahiran").pk,
        "sex": "L",
        "age_group": "21-30",
        "education": "D4/S1",
        "occupation": "PNS",
        "suggestion": "",
    }
    data.update({f"u{n}": str(s) for n, s in enumerate(scores, start=1) if s is not None})
    data.update(extra)
    return data


def test_a_citizen_answers_on_the_counter_tablet_signed_in_by_andi(client_as):
    kiosk = client_as("andi")
    page = kiosk.get(reverse("console:survey_kiosk")).content.decode()
    assert "Sangat mahal" in page and "Gratis" in page and "Dikelola dengan baik" in page

    done = kiosk.post(reverse("console:survey_kiosk"), _answers([4, 4, 3, 4, 3, 3, 4, 3, 3]))

    assert "Terima kasih" in done.content.decode()
    response = SurveyResponse.objects.get()
    assert (response.channel, response.age_group, response.entered_by.username) == ("kiosk", "21-30", "andi")


def test_the_kiosk_wants_every_element_answered(client_as):
    page = client_as("andi").post(reverse("console:survey_kiosk"), _answers([4, 4, 3, 4, 3, 3, 4, 3, None]))
    assert page.status_code == 200 and not SurveyResponse.objects.exists()


def test_a_paper_form_is_entered_once_and_a_blank_element_stays_blank(client_as):
    desk = client_as("andi")
    today = str(timezone.localdate())
    form = _answers([3, 3, 3, 4, 3, None, 3, 3, 3], form_number="SKM-2026-0042", on=today, age="52")

    assert desk.post(reverse("console:survey_paper"), form).status_code == 302
    again = desk.post(reverse("console:survey_paper"), form)

    assert "sudah pernah dimasukkan" in again.content.decode()
    response = SurveyResponse.objects.get()
    assert response.answers.count() == 8 and (response.age, response.age_group) == (52, "51-60")


def test_the_report_warns_when_the_sample_is_too_small_and_shows_the_lowest_elements(
    client_as, ready_application, pick_up
):
    pick_up(ready_application())
    pick_up(ready_application())
    kiosk = client_as("andi")
    kiosk.post(reverse("console:survey_kiosk"), _answers([4, 4, 4, 1, 4, 4, 4, 4, 4], suggestion="Ada pungli di loket"))

    page = client_as("eka").get(reverse("console:survey_report")).content.decode()

    # N = 2 → S = 1.9205 / 0.96275 = 1.99 → 2; one respondent is not enough.
    assert 'id="sample-warning"' in page
    assert "Ada pungli di loket" in page  # mentions "pungli", a word of U4 biaya/tarif, the lowest element
    assert "U4 Biaya/tarif" in page


def test_dewi_writes_the_follow_up_plan_publishes_and_the_public_page_shows_the_grade(client, client_as):
    client_as("andi").post(reverse("console:survey_kiosk"), _answers([4] * 9))
    period = SurveyPeriod.objects.get()
    head = client_as("dewi")
    assert client_as("eka").post(reverse("console:survey_publish", args=[period.pk])).status_code == 403

    head.post(reverse("console:survey_follow_up", args=[period.pk]), {"plan": "Menambah loket KIA."})
    head.post(reverse("console:survey_publish", args=[period.pk]))

    public = client.get(reverse("console:ikm_public_office", args=["SNJ"])).content.decode()
    assert "100,00" in public and "Sangat baik" in public and "Menambah loket KIA." in public
    pdf = head.get(reverse("console:survey_pdf", args=[period.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = head.get(reverse("console:survey_xlsx", args=[period.pk]))
    assert xlsx.content.startswith(b"PK")


def test_the_public_page_says_so_when_nothing_is_published(client, office):
    assert "Belum ada hasil" in client.get(reverse("console:ikm_public")).content.decode()


def test_a_counter_complaint_through_the_console_and_its_export_for_lapor(client_as, office):
    desk = client_as("andi")
    created = desk.post(
        reverse("console:complaint_new"),
        {"citizen_name": "Pak Rahman", "citizen_phone": "081234", "category": "sarana", "text": "Toilet rusak."},
    )
    complaint = office.complaints.get()
    assert created.status_code == 302
    assert complaint.tracking_code in desk.get(reverse("console:complaints")).content.decode()

    desk.post(reverse("console:complaint_act", args=[complaint.tracking_code, "note"]), {"text": "Lapor ke umum."})
    page = desk.get(reverse("console:complaint", args=[complaint.tracking_code])).content.decode()
    assert "Toilet rusak." in page and "Lapor ke umum." in page
    desk.post(reverse("console:complaint_act", args=[complaint.tracking_code, "reply"]), {"text": "Sudah diperbaiki."})
    desk.post(reverse("console:complaint_act", args=[complaint.tracking_code, "close"]), {"confirmed": "1"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.confirmed_via) == ("closed", "counter")

    exported = desk.get(reverse("console:complaint_export") + "?status=&format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "kode" and rows[1][0] == complaint.tracking_code
    assert rows[1][4] == "Toilet rusak." and rows[1][11] == "Sudah diperbaiki."
    assert client_as("eka").get(reverse("console:complaint_export")).status_code == 403


def test_another_office_cannot_open_the_complaint(client_as, office):
    complaint = svc.complaint_file(office=office, text="x", category="lainnya", channel="counter")
    assert client_as("hasan").get(reverse("console:complaint", args=[complaint.tracking_code])).status_code == 404
