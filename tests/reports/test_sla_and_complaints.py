"""SLA per stage and what is overdue now (the known week's stage clocks), and complaints beside the IKM.

The known week's stages against the seeded targets (review 15, forum 30, SIAK 30, verification 10, signature 5
working minutes), worked out by hand from tests/reports/conftest.py:

    review        A 10 ✓  B 20 ✗  C 5 ✓  B again 10 ✓          → 3 of 4 = 75,0 %
    forum         A 5 ✓   C 5 ✓   B 5 ✓                        → 3 of 3
    SIAK          A 15 ✓  C 10 ✓  B 15 ✓                       → 3 of 3
    verification  A 5 ✓   C 5 ✓   B 10 ✓                       → 3 of 3
    signature     A 10 ✗  C 5 ✓   B 10 ✗                       → 1 of 3 = 33,3 %
Tuesday 15:00, D has waited for its review since Monday 13:00: the only stage past its target in Sinjai (A, B and C
wait for a pickup, which has no target). Bone's E sits in its forum, which Sinjai's leadership never sees.
"""

import io
import re

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from pencet.surveys.complaints import complaint_close, complaint_file, complaint_reply
from pencet.surveys.models import Complaint

from .conftest import wita

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-sla-and-complaints")]

NOVEMBER = {"periode": "month", "tanggal": "2026-11-02"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def page_of(user, params=NOVEMBER) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/laporan/", params)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, name: str) -> str:
    """The dashboard card with that id, up to the next card."""
    start = page.index(f'id="{name}"')
    end = page.find('<div class="card"', start)
    return page[start : end if end != -1 else None]


def stage_row(html: str, stage: str) -> list[str]:
    row = re.search(rf'<tr data-stage="{stage}">(.*?)</tr>', html).group(1)
    return re.findall(r"<td>([^<]*)", row)


def test_eka_sees_each_stage_finished_within_its_target(known_week, eka):
    sla = section(page_of(eka), "sla")
    assert stage_row(sla, "review")[1:5] == ["4", "3", "1", "75,0 %"]
    assert stage_row(sla, "forum")[1:5] == ["3", "3", "0", "100,0 %"]
    assert stage_row(sla, "siak")[1:5] == ["3", "3", "0", "100,0 %"]
    assert stage_row(sla, "verification")[1:5] == ["3", "3", "0", "100,0 %"]
    assert stage_row(sla, "signature")[1:5] == ["3", "1", "2", "33,3 %"]
    assert stage_row(sla, "delivery")[1:5] == ["0", "0", "0", "–"]
    assert sla.count('class="meter"') >= 6


def test_what_is_overdue_now_is_ds_review_and_nothing_of_bone(known_week, eka):
    sla = section(page_of(eka), "sla")
    assert re.search(r'id="sla-overdue-count">1<', sla)
    assert re.search(r'<li data-stage="review">Pemeriksaan kelengkapan: 1</li>', sla)
    overdue = sla[sla.index('id="sla-overdue"') :]
    assert known_week["d"].tracking_code in overdue
    assert known_week["a"].tracking_code not in overdue
    assert "BNE-" not in overdue


def test_the_running_clocks_are_found_by_their_office_not_through_every_application_of_it(known_week, eka):
    """At 1,000,000 applications, finding an office's few thousand running clocks through its applications hashed
    the whole office (128 ms); each clock names its office, and an index holds the running ones by office."""
    timer_queries: list[str] = []

    def remember(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and 'FROM "cases_stagetimer"' in sql:
            timer_queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        page_of(eka)
    assert timer_queries
    for sql in timer_queries:
        condition = sql[sql.index(" WHERE ") :]
        assert '"cases_stagetimer"."office_id" IN' in condition, sql
        assert '"cases_application"."office_id"' not in condition, sql


def test_the_stage_table_downloads_with_a_totals_row(known_week, eka):
    client = Client()
    client.force_login(eka)
    response = client.get("/laporan/bagian/sla/xlsx/", NOVEMBER)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("Pemeriksaan kelengkapan", 4, 3, 1, 0.75) in rows
    assert ("Jumlah", 16, 13, 3, 13 / 16) in rows
    assert any(row[0] == known_week["d"].tracking_code for row in rows)


def test_a_service_officer_gets_no_section_workbook(known_week, andi):
    client = Client()
    client.force_login(andi)
    assert client.get("/laporan/bagian/sla/xlsx/").status_code == 403


@pytest.fixture
def novembers_complaints(at, office, andi) -> None:
    """K4 filed Fri 30 October and answered that day, closed Mon 2 November; K1 filed and answered Mon 2 November,
    closed Tue 3; K2 filed Mon 2 November, answered only Thu 12 November (three working days are long past);
    K3 filed Wed 4 November, never answered. Looked at on Mon 30 November."""

    def file(moment) -> Complaint:
        at(moment)
        return complaint_file(
            office=office, text="Antrean lama", category="waktu", channel="counter", citizen_name="Siti", filed_by=andi
        )

    def act(moment, action) -> None:
        at(moment)
        action()

    k4 = file(wita(2, 9).replace(month=10, day=30))
    act(wita(2, 11).replace(month=10, day=30), lambda: complaint_reply(complaint=k4, actor=andi, text="Maaf"))
    act(wita(2, 12), lambda: complaint_close(complaint=k4, actor=andi, confirmed_via="counter"))
    k1 = file(wita(2, 9))
    act(wita(2, 11), lambda: complaint_reply(complaint=k1, actor=andi, text="Sudah kami perbaiki"))
    act(wita(3, 9), lambda: complaint_close(complaint=k1, actor=andi, confirmed_via="counter"))
    k2 = file(wita(2, 10))
    act(wita(12, 10), lambda: complaint_reply(complaint=k2, actor=andi, text="Maaf terlambat"))
    file(wita(4, 9))
    at(wita(30, 10))


def test_complaints_opened_closed_and_late_stand_beside_the_ikm(novembers_complaints, eka):
    page = page_of(eka)
    complaints = section(page, "complaints")
    assert re.search(r'id="complaints-opened">3<', complaints)
    assert re.search(r'id="complaints-closed">2<', complaints)
    assert re.search(r'id="complaints-late">2<', complaints)
    assert re.search(r'id="complaints-open">2<', complaints)
    assert "lewat batas 1" in complaints
    assert "sebelumnya 1" in complaints  # October: K4 filed
    assert page.index('id="ikm"') < page.index('id="complaints"')


def test_octobers_page_counts_only_k4(novembers_complaints, eka):
    complaints = section(page_of(eka, {"periode": "month", "tanggal": "2026-10-15"}), "complaints")
    assert re.search(r'id="complaints-opened">1<', complaints)
    assert re.search(r'id="complaints-closed">0<', complaints)
    assert re.search(r'id="complaints-late">0<', complaints)
