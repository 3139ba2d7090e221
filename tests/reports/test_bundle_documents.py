"""Reports count services and documents separately: a One Three application is one service ("layanan") and three
documents ("dokumen"), a single akta one of each."""

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from pencet.cases import services as cases
from pencet.catalog.models import Service
from pencet.reports.models import DailyStat, Dimension, Grain
from pencet.reports.services import daily_stats_rebuild, office_local_date

pytestmark = pytest.mark.django_db


def test_a_one_three_application_is_one_service_and_three_documents(office, akta_kelahiran, bonto_katute):
    for service in (Service.objects.get(code="one-three"), akta_kelahiran):
        application = cases.application_create(office=office, service=service, village=bonto_katute)
        cases.application_submit(application=application, actor=None)
    day = office_local_date(office=office, moment=application.submitted_at)

    daily_stats_rebuild(office=office, day=day)

    by_service = DailyStat.objects.filter(office=office, grain=Grain.DAY, day=day, dimension=Dimension.SERVICE)
    codes = dict(Service.objects.values_list("pk", "code"))
    rows = {codes[int(r.key)]: (r.received, r.documents) for r in by_service}
    assert rows == {"one-three": (1, 3), "akta-kelahiran": (1, 1)}
    month = DailyStat.objects.get(office=office, grain=Grain.MONTH, dimension=Dimension.CHANNEL)
    assert (month.received, month.documents) == (2, 4)


@pytest.fixture
def one_three_and_an_akta(office, akta_kelahiran, bonto_katute):
    """Today: the Rahman family's One Three (three documents) and a single akta kelahiran (one)."""
    for service in (Service.objects.get(code="one-three"), akta_kelahiran):
        application = cases.application_create(office=office, service=service, village=bonto_katute)
        cases.application_submit(application=application, actor=None)
    day = office_local_date(office=office, moment=application.submitted_at)
    daily_stats_rebuild(office=office, day=day)
    return day


def test_leadership_sees_services_and_documents_side_by_side(one_three_and_an_akta, eka, settings):
    settings.OTP_REQUIRED = False
    client = Client()
    client.force_login(eka)
    day = one_three_and_an_akta

    page = client.get("/laporan/", {"periode": "month", "tanggal": day.isoformat()}).content.decode()

    assert re.search(r'id="services-count">2<', page)
    assert re.search(r'id="documents-count">4<', page)
    per_service = page[page.index("Per layanan") :]
    assert "<th>Dokumen</th>" in per_service


def test_the_summary_api_and_its_workbook_carry_the_documents(one_three_and_an_akta, eka, token_of):
    day = one_three_and_an_akta.isoformat()
    headers = {"Authorization": f"Bearer {token_of(eka)}"}
    query = {"from": day, "to": day, "group_by": "service"}

    body = Client().get("/api/v1/reports/summary", query, headers=headers).json()
    workbook = Client().get("/api/v1/reports/summary", {**query, "format": "xlsx"}, headers=headers)

    assert (body["total"]["received"], body["total"]["documents"]) == (2, 4)
    rows = [list(r) for r in load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Layanan")
    totals = dict(zip(header, next(r for r in rows if r[0] == "Jumlah"), strict=True))
    assert (totals["Diterima"], totals["Dokumen"]) == (2, 4)
