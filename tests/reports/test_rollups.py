"""Impact and coverage read their own narrow roll-ups; these check the figures the province and an office see
against counts made by hand, across a month's edge at local midnight, and again after every section aggregate was
thrown away and rebuilt from the events (`pencet reports-rebuild`, one statement per month).

Sinjai (Gita, admin: Sinjai Borong Rp30.000–100.000; population imported 1 November 10:00 for Bonto Katute) and Bone
(Lina, admin: her first district Rp50.000; population imported the same morning for one village), all WITA:

    S1  akta kelahiran, WhatsApp, Bonto Katute, submitted Mon 30 Nov 23:20, sent 23:50   Nov trip   +1 akta
    S2  akta kelahiran, WhatsApp, Bonto Katute, submitted Mon 30 Nov 23:45, sent Tue 1 Dec 00:15 (30 Nov 16:15 UTC)
                                                                                      Dec trip   +1 akta
    S3  One Three, village staff (Fajar), Bonto Katute, 2 Dec, picked up               no trip    +1 akta, +1 KIA
    S4  KIA, walk-in, Bonto Katute, 2 Dec, picked up                                   no trip    +1 KIA
    B1  akta kelahiran, WhatsApp, a Bone village, 1 Dec 09:00, sent 09:30              Dec trip   +1 akta

By hand: December (as the province) 2 trips, Rp30.000–100.000 + Rp50.000 = Rp80.000–Rp150.000, November 1 trip;
the year 3 trips. Coverage: Bonto Katute (1000 people, 700 wajib KTP, 300 children, 250 families; owners 600 KTP, 60
KIA, 200 KK, 400 akta) KTP 600/700 = 85,7 %, KIA 62/300 = 20,7 %, KK 200/250 = 80,0 %, akta 403/1000 = 40,3 %; the
Bone village (1600, 1400, 600, 500; 1000, 120, 400, 800) KTP 71,4 %, KIA 20,0 %, KK 80,0 %, akta 801/1600 = 50,1 %;
together akta 1204 / 2600 · +4 and KIA 182 / 900 · +2.
"""

import io
import re
from collections.abc import Generator
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pencet.accounts.models import Role
from pencet.accounts.services import user_create
from pencet.cases.models import Channel
from pencet.catalog.models import Service
from pencet.regions.models import Region
from pencet.reports.models_sections import ClosureStat, CoverageStat, ImpactStat, StageStat

from ..conftest import bone_office, persona, sinjai_office
from .conftest import WITA, world_kept
from .journeys import Journey, client_of
from .test_cross_office import viewer

# The module's world is walked once and kept while its tests run (world_kept), so they stay on one worker; a test
# that needs an office without it lives in test_rollup_edges.py.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-rollups")]

HEADER = "kode desa;penduduk;wajib KTP-el;anak 0–17;keluarga;pemilik KTP-el;KIA;KK;akta kelahiran"
DECEMBER = {"periode": "month", "tanggal": "2026-12-02"}
YEAR = {"periode": "year", "tanggal": "2026-12-02"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def at_wita(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def _bone_village() -> Region:
    district = Region.objects.filter(parent_id="73.08", level=3).order_by("code").first()
    return Region.objects.filter(parent=district, level=4).order_by("code").first()


@pytest.fixture
def bone_village() -> Region:
    return _bone_village()


def import_population(admin, line: str) -> None:
    content = f"{HEADER}\n{line}\n".encode()
    response = client_of(admin).post(
        "/laporan/cakupan/impor/", {"semester": "2026-2", "file": SimpleUploadedFile("dkb.csv", content)}
    )
    assert response.status_code == 302


def _province_year_walk(at) -> None:
    office, other_office = sinjai_office(), bone_office()
    andi, budi, citra, dewi, fajar, gita = (persona(n) for n in ("andi", "budi", "citra", "dewi", "fajar", "gita"))
    bone_people = {
        key: user_create(username=username, office=other_office, roles=[role], password="rahasia-uji-123")
        for key, username, role in (
            ("andi", "hasan", Role.SERVICE_OFFICER), ("budi", "irfan", Role.OPERATOR),
            ("citra", "joko", Role.VERIFIER), ("dewi", "kartini", Role.SIGNER), ("admin", "lina", Role.ADMIN),
        )
    }  # fmt: skip
    bonto_katute, bone_village = Region.objects.get(code="73.07.07.2007"), _bone_village()
    at(at_wita(1, 10, month=11))
    import_population(gita, f"{bonto_katute.code};1000;700;300;250;600;60;200;400")
    import_population(bone_people["admin"], f"{bone_village.code};1600;1400;600;500;1000;120;400;800")
    costs = client_of(gita).post("/laporan/biaya-perjalanan/", {"min_73.07.07": "30000", "max_73.07.07": "100000"})
    assert costs.status_code == 302
    bone_district = bone_village.parent_id
    costs = client_of(bone_people["admin"]).post("/laporan/biaya-perjalanan/", {f"min_{bone_district}": "50000"})
    assert costs.status_code == 302
    sinjai = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    bone = Journey(at, **{k: v for k, v in bone_people.items() if k != "admin"})
    akta = Service.objects.get(code="akta-kelahiran")
    sinjai.run(office=office, service=akta, village=bonto_katute, submitted=at_wita(30, 23, 20, month=11))
    sinjai.run(office=office, service=akta, village=bonto_katute, submitted=at_wita(30, 23, 45, month=11))
    sinjai.run(office=office, service=Service.objects.get(code="one-three"), village=bonto_katute,
               submitted=at_wita(2, 9), channel=Channel.VILLAGE_STAFF, actor=fajar, finish="pickup")  # fmt: skip
    sinjai.run(office=office, service=Service.objects.get(code="kia"), village=bonto_katute,
               submitted=at_wita(2, 11), channel=Channel.WALK_IN, finish="pickup")  # fmt: skip
    bone.run(office=other_office, service=akta, village=bone_village, submitted=at_wita(1, 9))


@pytest.fixture(scope="module")
def _province_year_walked(django_db_setup, django_db_blocker) -> Generator[None, None, None]:
    yield from world_kept(django_db_blocker, at_wita(1, 8, month=11), _province_year_walk, OTP_REQUIRED=False)


@pytest.fixture
def province_year(_province_year_walked, at) -> None:
    """The two offices' November and December (module docstring), walked once for the module, as of 15 December."""
    at(at_wita(15, 10))


@pytest.fixture
def rahmat():
    return viewer("rahmat", region="73")


def section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    end = page.find('<div class="card"', start)
    return page[start : end if end > 0 else page.index("</main>", start)]


def kinds_of(page: str, table_id: str, first: str) -> dict[str, str]:
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table) if f"<td>{first}</td>" in r)
    return dict(re.findall(r'<td data-kind="(\w+)">([^<]*)', row))


def trips_of(page: str) -> int:
    return int(re.search(r'id="trips-saved">(\d+)<', page).group(1))


def test_the_province_sees_each_offices_trips_saved_by_district_and_their_cost(province_year, rahmat, bone_village):
    page = client_of(rahmat).get("/laporan/", DECEMBER).content.decode()
    impact = section(page, "impact")
    assert trips_of(impact) == 2
    assert "Rp80.000–Rp150.000" in impact
    assert "sebelumnya 1" in impact and "sebelumnya Rp30.000–Rp100.000" in impact
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td>", impact[impact.index('id="impact-districts"') :]))
    assert rows == {"Sinjai Borong": "1", bone_village.parent.name: "1"}
    assert trips_of(client_of(rahmat).get("/laporan/", YEAR).content.decode()) == 3


def test_a_document_sent_after_local_midnight_counts_in_the_new_month(province_year, eka):
    november = client_of(eka).get("/laporan/", {"periode": "month", "tanggal": "2026-11-30"}).content.decode()
    december = client_of(eka).get("/laporan/", DECEMBER).content.decode()
    assert trips_of(section(november, "impact")) == 1  # S1 at 23:50 on 30 November
    assert trips_of(section(december, "impact")) == 1  # S2 at 00:15 on 1 December (still 30 November in UTC)
    day = client_of(eka).get("/laporan/", {"periode": "day", "tanggal": "2026-12-01"}).content.decode()
    assert trips_of(section(day, "impact")) == 1


def test_the_province_sees_both_offices_coverage_with_what_was_issued_since(
    province_year, rahmat, bonto_katute, bone_village
):
    page = client_of(rahmat).get("/laporan/", {**DECEMBER, "desa": "semua"}).content.decode()  # every village
    assert kinds_of(page, "coverage-villages", bonto_katute.name) == {
        "ktp": "85,7 %", "kia": "20,7 %", "kk": "80,0 %", "akta": "40,3 %",
    }  # fmt: skip
    assert kinds_of(page, "coverage-villages", bone_village.name) == {
        "ktp": "71,4 %", "kia": "20,0 %", "kk": "80,0 %", "akta": "50,1 %",
    }  # fmt: skip
    total = page[page.index('id="coverage-total"') :]
    assert "1204 / 2600 · +4" in total and "182 / 900 · +2" in total


def test_sinjais_leadership_sees_sinjais_coverage_only(province_year, eka, bonto_katute, bone_village):
    page = client_of(eka).get("/laporan/", DECEMBER).content.decode()
    assert bone_village.name not in section(page, "coverage")
    total = page[page.index('id="coverage-total"') :]
    assert "403 / 1000 · +3" in total


def test_every_section_aggregate_rebuilt_from_the_events_gives_the_same_page(province_year, rahmat, eka):
    def sections() -> list[str]:
        return [
            section(client_of(viewer).get("/laporan/", params).content.decode(), name)
            for viewer in (rahmat, eka)
            for params in (DECEMBER, YEAR)
            for name in ("impact", "coverage", "sla")
        ]

    kept = sections()
    for model in (ClosureStat, ImpactStat, CoverageStat, StageStat):
        model.objects.all().delete()
    assert trips_of(client_of(rahmat).get("/laporan/", YEAR).content.decode()) == 0
    call_command("reports-rebuild", "--from", "2026-10-01", "--to", "2026-12-31", stdout=io.StringIO())
    assert sections() == kept
