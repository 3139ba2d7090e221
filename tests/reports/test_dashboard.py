"""The /laporan/ page as leadership sees it: the known week's month, pictures without scripts or inline styles."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from pencet.cases import services as cases
from pencet.cases.models import Channel
from pencet.surveys.selectors import ikm_report
from pencet.surveys.services import survey_response_create

from .conftest import committed, wita

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-dashboard")]

NOVEMBER = {"periode": "month", "tanggal": "2026-11-02"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_eka_sees_novembers_figures_against_october(known_week, eka):
    response = client_of(eka).get("/laporan/", NOVEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="received">4<', page)
    assert "50 %" in page  # online share and same-day rate
    assert "25 %" in page  # return rate
    assert "01-11-2026 – 30-11-2026" in page
    assert "01-10-2026 – 31-10-2026" in page


def test_the_return_reasons_name_the_requirement(known_week, dewi, akta_kelahiran):
    page = client_of(dewi).get("/laporan/", NOVEMBER).content.decode()
    requirement = akta_kelahiran.requirements.first()
    reasons = page[page.index('id="return-reasons"') :]
    assert requirement.name in reasons
    assert "Belum ada" in reasons


def test_the_charts_are_svg_without_scripts_or_style_attributes(known_week, gita):
    page = client_of(gita).get("/laporan/", NOVEMBER).content.decode()
    assert page.count("<svg") >= 4
    main = page[page.index("<main") : page.index("</main>")]
    assert "<script" not in main
    assert " style=" not in main


def test_each_table_downloads_as_a_workbook(known_week, eka):
    response = client_of(eka).get("/laporan/service/xlsx/", NOVEMBER)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[:2] == ("Jumlah", 4)


def test_the_nav_shows_reports_to_leadership_only(known_week, eka, andi):
    assert 'href="/laporan/"' in client_of(eka).get("/").content.decode()
    assert 'href="/laporan/"' not in client_of(andi).get("/").content.decode()


def test_a_service_officer_is_refused_the_dashboard(known_week, andi):
    assert client_of(andi).get("/laporan/").status_code == 403
    assert client_of(andi).get("/laporan/channel/xlsx/").status_code == 403


def test_the_daily_register_lists_mondays_four_applications_in_order_of_arrival(known_week, andi):
    response = client_of(andi).get("/laporan/register/", {"tanggal": "2026-11-02"})
    assert response.status_code == 200
    table = response.content.decode().split('id="register"')[1]
    codes = re.findall(r">(SNJ-2611-\d{4})<", table)
    assert codes == ["SNJ-2611-0001", "SNJ-2611-0002", "SNJ-2611-0003", "SNJ-2611-0004"]
    assert re.findall(r"<td>(\d\d\.\d\d)</td>", table) == ["09.00", "10.00", "11.00", "13.00"]
    assert "BNE-" not in table
    # Channel and status in words: A by WhatsApp, B through the village, C and D at the counter; D awaits review.
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>\d+</td>.*?</tr>", table)]
    assert [(row[6], row[8]) for row in cells] == [
        ("WhatsApp", "Dokumen siap"),
        ("Aparat desa", "Dokumen siap"),
        ("Tatap muka", "Dokumen siap"),
        ("Tatap muka", "Menunggu pemeriksaan"),
    ]


def test_the_register_is_not_for_village_staff(known_week, fajar):
    assert client_of(fajar).get("/laporan/register/").status_code == 403


def test_births_registered_within_sixty_days_are_counted_in_time(at, office, eka, akta_kelahiran, bonto_katute):
    at(wita(2, 9))
    for born in (date(2026, 9, 3), date(2026, 9, 1), date(2026, 8, 31)):  # 60, 62 and 63 days before 2 November
        with committed():
            application = cases.application_create(
                office=office, service=akta_kelahiran, channel=Channel.WHATSAPP, applicant_name="Bayi",
                village=bonto_katute, event_date=born, priority_elderly=born.day == 1,
            )  # fmt: skip
            cases.application_submit(application=application, actor=None)
    page = client_of(eka).get("/laporan/", NOVEMBER).content.decode()
    timeliness = page[page.index('id="timeliness"') : page.index('id="ikm"')]
    assert re.search(r"<td>60</td><td>1</td><td>3</td><td>33 %</td>", timeliness), timeliness
    assert re.search(r'id="priority">1<', page)


def test_the_ikm_on_the_dashboard_is_the_survey_reports_for_the_month(known_week, eka, office, akta_kelahiran, at):
    """Three questionnaires in November (one with a blank element): the dashboard shows the index the survey report
    computes from every answer, its grade and the three respondents; October's one does not count."""
    at(wita(30, 12))
    for on, scores in (
        (date(2026, 11, 2), [4, 4, 3, 4, 3, 4, 4, 3, 4]),
        (date(2026, 11, 3), [3, 3, 3, 4, 3, 3, 4, 2, 3]),
        (date(2026, 11, 20), [3, 4, 3, 4, 3, 3, 3, None, 4]),
        (date(2026, 10, 30), [1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ):
        survey_response_create(office=office, channel="kiosk", service=akta_kelahiran, on=on, scores=scores)
    full = ikm_report(office=office, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30), breakdown=False)
    page = client_of(eka).get("/laporan/", NOVEMBER).content.decode()
    ikm = page[page.index('id="ikm"') :][:600]
    assert full.respondents == 3
    assert f"{full.ikm:.2f}".replace(".", ",") in ikm or f"{full.ikm:.2f}" in ikm
    assert f"Mutu {full.grade}" in ikm
    assert "3 responden" in ikm
