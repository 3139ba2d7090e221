"""A province's Disdukcapil and the Directorate General read every office of their region, aggregated and side by
side; the staff of one office never see another office's figures (dashboard, API, workbooks)."""

import io
import json
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from pencet.accounts.models import Role, User
from pencet.accounts.services import user_create
from pencet.cases import services as cases
from pencet.cases.models import Channel
from pencet.catalog.models import Service
from pencet.regions.models import Region

from .conftest import committed, wita

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-cross-office")]

PERIOD = {"from": "2026-11-02", "to": "2026-11-03"}
NOVEMBER = {"periode": "month", "tanggal": "2026-11-02"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def viewer(username: str, *, region: str | None = None, national: bool = False) -> User:
    person = user_create(username=username, office=None, roles=[Role.LEADERSHIP], password="rahasia-uji-123")
    person.report_region = Region.objects.get(code=region) if region else None
    person.report_national = national
    person.save()
    return person


@pytest.fixture
def rahmat() -> User:
    """Head of Sulawesi Selatan's provincial Disdukcapil (province 73)."""
    return viewer("rahmat", region="73")


def api(user: User, token_of, **params: str):
    key = token_of(user)
    response = Client().get("/api/v1/reports/summary", {**PERIOD, **params}, headers={"Authorization": f"Bearer {key}"})
    if response["Content-Type"].startswith("application/json"):
        return response.status_code, json.loads(response.content)
    return response.status_code, response


def page_of(user: User, path: str = "/laporan/", params: dict | None = None):
    client = Client()
    client.force_login(user)
    return client.get(path, params or NOVEMBER)


def workbook_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_province_sees_sinjai_and_bone_side_by_side_and_together(known_week, rahmat, token_of):
    status, body = api(rahmat, token_of, group_by="office")
    assert status == 200, body
    assert body["offices"] == ["BNE", "SNJ"]
    by_office = {r["key"]: r for r in body["rows"]}
    assert by_office["SNJ"]["received"] == 4
    assert by_office["SNJ"]["label"] == "Disdukcapil Kabupaten Sinjai"
    assert by_office["BNE"]["received"] == 1
    assert by_office["BNE"]["review_median_minutes"] == 5.0
    assert body["total"]["received"] == 5
    assert body["total"]["online"] == 3  # A and E on WhatsApp, B through Fajar


def test_the_provinces_other_tables_add_both_offices_up(known_week, rahmat, token_of):
    _status, body = api(rahmat, token_of, group_by="channel")
    assert next(r for r in body["rows"] if r["key"] == "whatsapp")["received"] == 2
    assert body["total"]["received"] == 5


def test_the_provinces_dashboard_has_a_table_per_office(known_week, rahmat):
    response = page_of(rahmat)
    assert response.status_code == 200
    page = response.content.decode()
    offices = page[page.index('id="per-office"') :]
    assert "Disdukcapil Kabupaten Sinjai" in offices
    assert "Disdukcapil Kabupaten Bone" in offices
    assert '<strong id="received">5<' in page


def test_the_provinces_workbook_per_office(known_week, rahmat):
    response = page_of(rahmat, "/laporan/office/xlsx/")
    rows = workbook_rows(response.content)
    header = next(r for r in rows if r[:2] == ("Kantor", "Diterima"))
    received = {r[0]: r[1] for r in rows[rows.index(header) + 1 :]}
    assert received == {"Disdukcapil Kabupaten Sinjai": 4, "Disdukcapil Kabupaten Bone": 1, "Jumlah": 5}


def test_the_directorate_general_sees_every_office(known_week, token_of):
    status, body = api(viewer("dirjen", national=True), token_of, group_by="office")
    assert status == 200
    assert body["offices"] == ["BNE", "SNJ"]
    assert body["total"]["received"] == 5


def test_a_viewer_of_bone_regency_sees_bone_only(known_week, token_of):
    _status, body = api(viewer("andi_bone", region="73.08"), token_of, group_by="office")
    assert [r["key"] for r in body["rows"]] == ["BNE"]
    assert body["total"]["received"] == 1


def test_leadership_without_an_office_or_a_region_is_refused(known_week, token_of):
    nobody = viewer("tanpa_wilayah")
    status, _body = api(nobody, token_of)
    assert status == 403
    assert page_of(nobody).status_code == 403


def test_sinjais_leadership_never_sees_bones_figures(known_week, eka, token_of):
    _status, body = api(eka, token_of, group_by="office")
    assert [r["key"] for r in body["rows"]] == ["SNJ"]
    assert body["total"]["received"] == 4
    page = page_of(eka).content.decode()
    assert "Bone" not in page
    assert 'id="per-office"' not in page
    labels = [r[0] for r in workbook_rows(page_of(eka, "/laporan/office/xlsx/").content)]
    assert "Disdukcapil Kabupaten Sinjai" in labels
    assert "Disdukcapil Kabupaten Bone" not in labels


def test_bones_leadership_never_sees_sinjais_figures(known_week, bone_leader, token_of):
    for group_by in ("office", "channel", "village", "officer"):
        _status, body = api(bone_leader, token_of, group_by=group_by)
        assert body["offices"] == ["BNE"]
        assert body["total"]["received"] == (0 if group_by == "officer" else 1)
        assert "andi" not in [r["key"] for r in body["rows"]]
    status, response = api(bone_leader, token_of, group_by="channel", format="xlsx")
    totals = workbook_rows(response.content)[-1]
    assert totals[:2] == ("Jumlah", 1)
    page = page_of(bone_leader).content.decode()
    assert '<strong id="received">1<' in page
    assert "Sinjai" not in page


def test_the_province_opens_the_console_and_finds_the_reports(known_week, rahmat):
    response = page_of(rahmat, "/", {})
    assert response.status_code == 200
    assert 'href="/laporan/"' in response.content.decode()


@pytest.fixture
def twenty_one_more_villages(known_week, at, office) -> list[Region]:
    """Tuesday afternoon at Sinjai: one WhatsApp application from each of 21 more villages (Bonto Katute has four,
    Bone's one has no village): 23 rows in the province's village table."""
    villages = list(
        Region.objects.filter(code__startswith="73.07.", level=4).exclude(code="73.07.07.2007").order_by("code")[:21]
    )
    akta = Service.objects.get(code="akta-kelahiran")
    for minute, village in enumerate(villages):
        at(wita(3, 14, minute))
        with committed():
            application = cases.application_create(
                office=office, service=akta, channel=Channel.WHATSAPP, actor=None, applicant_name="Pemohon",
                village=village,
            )  # fmt: skip
            cases.application_submit(application=application, actor=None)
    at(wita(3, 15))
    return villages


def village_rows(page: str) -> list[str]:
    table = page[page.index('id="villages"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return re.findall(r"<tr><td>([^<]*)</td>", body)


def test_the_province_lists_its_twenty_busiest_villages_and_counts_them_all(twenty_one_more_villages, rahmat):
    page = page_of(rahmat).content.decode()
    rows = village_rows(page)
    assert len(rows) == 20
    assert rows[0] == "Bonto Katute"  # four applications, the busiest
    assert "20 dari 23 desa/kelurahan dengan permohonan terbanyak" in page
    villages = page[page.index('id="villages"') :]
    assert re.search(r"<tfoot><tr><th>Jumlah</th><th>26</th>", villages)  # 4 + 21 at Sinjai, 1 at Bone
    assert "desa=semua#villages" in villages


def test_the_province_opens_every_village_on_request(twenty_one_more_villages, rahmat):
    page = page_of(rahmat, params={**NOVEMBER, "desa": "semua"}).content.decode()
    rows = village_rows(page)
    assert len(rows) == 23
    assert {v.name for v in twenty_one_more_villages} <= set(rows)
    assert 'id="villages-folded"' not in page


def test_one_offices_leadership_sees_every_village(twenty_one_more_villages, eka):
    page = page_of(eka).content.decode()
    assert len(village_rows(page)) == 22
    assert 'id="villages-folded"' not in page
