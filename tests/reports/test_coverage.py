"""Coverage: Gita (admin) imports the second semester of 2026 on Sunday 1 November; the dashboard then shows the
ownership rates live, adding the new documents Pencet issued since.

The import (written out here), three villages:

    village                     penduduk  wajib KTP  anak  keluarga | KTP-el  KIA  KK  akta
    Bonto Katute (Sinjai Borong)    1000        700   300       250 |    600   60  200   400
    second village, Sinjai Borong    500        350   150       120 |    300   30  100   200
    a village of Sinjai Barat       2000       1400   600       500 |   1000  120  400   800

Completed in Bonto Katute since the import: an akta kelahiran sent by e-mail (+1 akta), a One Three bundle picked up
(+1 akta, +1 KIA; its KK is a changed one, nobody new owns a KK), a new KK sent (+1 KK) and a lost KTP-el replaced
(+0: its owner had one). Not counted: an akta kelahiran completed on 30 October (before the import) and one only
signed, not yet handed over. By hand:

    Bonto Katute   KTP-el 600/700 = 85,7 %  KIA 61/300 = 20,3 %  KK 201/250 = 80,4 %  akta 402/1000 = 40,2 %
    Sinjai Borong  KTP-el 900/1050 = 85,7 % KIA 91/450 = 20,2 %  KK 301/370 = 81,4 %  akta 602/1500 = 40,1 %
    all            KTP-el 1900/2450 = 77,6 % KIA 211/1050 = 20,1 % KK 701/870 = 80,6 % akta 1402/3500 = 40,1 %
"""

import io
import re
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from pencet.accounts.models import Role
from pencet.accounts.services import user_create
from pencet.catalog.models import Service
from pencet.regions.models import Region
from pencet.reports.models_sections import PopulationImport, VillagePopulation

from .conftest import WITA, wita
from .journeys import Journey, client_of

pytestmark = pytest.mark.django_db

HEADER = "kode desa;penduduk;wajib KTP-el;anak 0–17;keluarga;pemilik KTP-el;KIA;KK;akta kelahiran"


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


@pytest.fixture
def villages(bonto_katute) -> dict[str, Region]:
    borong = Region.objects.filter(parent_id="73.07.07", level=4).exclude(pk=bonto_katute.pk).order_by("code").first()
    barat = Region.objects.filter(parent_id="73.07.01", level=4).order_by("code").first()
    return {"bonto": bonto_katute, "borong": borong, "barat": barat}


def the_csv(villages) -> bytes:
    lines = [
        HEADER,
        f"{villages['bonto'].code};1000;700;300;250;600;60;200;400",
        f"{villages['borong'].code.replace('.', '')};500;350;150;120;300;30;100;200",
        f"{villages['barat'].code};2.000;1.400;600;500;1.000;120;400;800",
    ]
    return ("\n".join(lines) + "\n").encode()


def upload(user, content: bytes, name: str, semester: str = "2026-2"):
    return client_of(user).post(
        "/laporan/cakupan/impor/", {"semester": semester, "file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def imported(at, gita, villages) -> None:
    at(datetime(2026, 11, 1, 10, 0, tzinfo=WITA))
    response = upload(gita, the_csv(villages), "dkb-2026-2.csv")
    assert response.status_code == 302


@pytest.fixture
def issued_since(at, office, andi, budi, citra, dewi, villages, imported) -> None:
    journey = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    bonto = villages["bonto"]

    def run(code: str, submitted: datetime, finish: str = "email") -> None:
        journey.run(office=office, service=Service.objects.get(code=code), village=bonto, submitted=submitted,
                    finish=finish)  # fmt: skip

    run("akta-kelahiran", wita(2, 9))
    run("one-three", wita(2, 10), finish="pickup")
    run("kk-baru", wita(2, 11))
    run("ktp-hilang-rusak", wita(2, 13), finish="pickup")
    run("akta-kelahiran", wita(3, 9), finish="ready")


@pytest.fixture
def before_the_import(at, office, andi, budi, citra, dewi, villages) -> None:
    Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi).run(
        office=office, service=Service.objects.get(code="akta-kelahiran"), village=villages["bonto"],
        submitted=datetime(2026, 10, 30, 9, 0, tzinfo=WITA),
    )  # fmt: skip


def cells(html: str, table_id: str, first: str) -> dict[str, str]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table) if f"<td>{first}</td>" in r)
    return dict(re.findall(r'<td data-kind="(\w+)">([^<]*)', row))


def test_the_dashboard_shows_ownership_live_with_what_pencet_issued_since(
    before_the_import, issued_since, eka, villages
):
    page = client_of(eka).get("/laporan/").content.decode()
    assert cells(page, "coverage-villages", villages["bonto"].name) == {
        "ktp": "85,7 %", "kia": "20,3 %", "kk": "80,4 %", "akta": "40,2 %",
    }  # fmt: skip
    assert cells(page, "coverage-districts", "Sinjai Borong") == {
        "ktp": "85,7 %", "kia": "20,2 %", "kk": "81,4 %", "akta": "40,1 %",
    }  # fmt: skip
    total = page[page.index('id="coverage-total"') :]
    assert re.findall(r'<dd data-kind="\w+">([^<]*)</dd>', total)[:4] == ["77,6 %", "20,1 %", "80,6 %", "40,1 %"]
    assert "1402 / 3500 · +2" in total
    coverage = page[page.index('id="coverage"') :]
    assert "<script" not in coverage and " style=" not in coverage
    assert coverage.count('class="meter"') >= 16


def test_the_coverage_table_downloads_with_indonesian_headers_and_totals(issued_since, eka, villages):
    response = client_of(eka).get("/laporan/bagian/cakupan/xlsx/")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[1] == "Desa/Kelurahan")
    assert "Akta kelahiran: terbit sejak impor" in header
    bonto = next(r for r in rows if r and r[0] == villages["bonto"].code)
    akta = header.index("Akta kelahiran: cakupan")
    assert bonto[akta - 3 : akta + 1] == (400, 2, 1000, 0.402)
    totals = [r for r in rows if r and r[1] == "Jumlah"]
    assert totals[0][3] == 3500  # penduduk, villages' totals row


def test_an_xlsx_file_with_the_same_headers_imports_too(at, gita, villages):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([villages["bonto"].code, 1000, 700, 300, 250, 600, 60, 200, 400])
    out = io.BytesIO()
    book.save(out)
    assert upload(gita, out.getvalue(), "dkb.xlsx").status_code == 302
    row = VillagePopulation.objects.get(village=villages["bonto"])
    assert (row.population, row.kia_owners, row.akta_owners) == (1000, 60, 400)


def test_a_wrong_file_is_refused_whole_with_an_error_per_row(gita, villages):
    lines = [
        HEADER,
        f"{villages['bonto'].code};1000;700;300;250;600;60;200;400",
        "73.08.01.2001;100;70;30;25;60;6;20;40",  # a village of Bone
        f"{villages['borong'].code};500;seratus;150;120;300;30;100;200",
        f"{villages['barat'].code};200;1400;600;50;100;12;40;80",
        f"{villages['bonto'].code};1000;700;300;250;600;60;200;400",
    ]
    response = upload(gita, "\n".join(lines).encode(), "salah.csv")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Baris 3: kode desa 73.08.01.2001 bukan desa/kelurahan di wilayah kantor ini." in page
    assert "Baris 4: wajib KTP-el harus bilangan bulat 0 atau lebih, bukan “seratus”." in page
    assert "Baris 5: wajib KTP-el (1400) lebih besar dari penduduk (200); anak 0–17 (600) lebih besar" in page
    assert f"Baris 6: desa {villages['bonto'].code} sudah ada di baris 2." in page
    assert not PopulationImport.objects.exists()


def test_a_file_missing_columns_names_them(gita):
    response = upload(gita, b"kode desa,penduduk,KK\n73.07.07.2007,10,5\n", "kurang.csv")
    assert response.status_code == 400
    assert "Kolom tidak ditemukan: wajib KTP-el, anak 0–17, keluarga, pemilik KTP-el, KIA, akta kelahiran." in (
        response.content.decode()
    )


def test_importing_the_semester_again_replaces_it(imported, gita, villages):
    again = f"{HEADER}\n{villages['bonto'].code};1100;770;330;260;700;90;210;500\n".encode()
    assert upload(gita, again, "dkb-2026-2-revisi.csv").status_code == 302
    assert PopulationImport.objects.count() == 1
    assert list(VillagePopulation.objects.values_list("village_id", "population")) == [(villages["bonto"].code, 1100)]


def test_only_the_office_admin_imports(eka, dewi, villages):
    assert client_of(eka).get("/laporan/cakupan/impor/").status_code == 403
    assert upload(dewi, the_csv(villages), "dkb.csv").status_code == 403
    assert not PopulationImport.objects.exists()


def test_bones_leadership_sees_no_sinjai_coverage(imported, bone_leader):
    page = client_of(bone_leader).get("/laporan/").content.decode()
    assert "Belum ada data penduduk semester yang diimpor." in page


@pytest.mark.parametrize("hour", [0, 7, 20], ids=["at midnight", "in the morning", "in the evening"])
def test_on_the_import_day_only_what_was_handed_over_after_the_import_counts(
    at, gita, eka, office, andi, budi, citra, dewi, villages, hour
):
    journey = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    imported_at = datetime(2026, 11, 2, hour, 0, tzinfo=WITA)
    akta = Service.objects.get(code="akta-kelahiran")
    # Handed over 60 minutes before the import (the previous evening for an import at midnight): counted in the file.
    journey.run(office=office, service=akta, village=villages["bonto"], submitted=imported_at - timedelta(minutes=90))
    at(imported_at)
    assert upload(gita, the_csv(villages), "dkb-2026-2.csv").status_code == 302
    # Handed over 90 minutes after the import, the same day: a new owner.
    journey.run(office=office, service=akta, village=villages["bonto"], submitted=imported_at + timedelta(hours=1))
    at(imported_at + timedelta(days=1))
    page = client_of(eka).get("/laporan/").content.decode()
    assert cells(page, "coverage-villages", villages["bonto"].name)["akta"] == "40,1 %"  # 401 / 1000
    total = page[page.index('id="coverage-total"') :]
    assert "1401 / 3500 · +1" in total


def test_the_province_reads_coverage_per_district_and_opens_the_villages_on_request(
    issued_since, other_office, villages
):
    rahmat = user_create(username="rahmat", office=None, roles=[Role.LEADERSHIP], password="rahasia-uji-123")
    rahmat.report_region = Region.objects.get(code="73")
    rahmat.save()
    page = client_of(rahmat).get("/laporan/").content.decode()
    assert cells(page, "coverage-districts", "Sinjai Borong")["akta"] == "40,1 %"
    assert 'id="coverage-villages"' not in page
    assert "Cakupan 3 desa/kelurahan ada di XLSX." in page
    page = client_of(rahmat).get("/laporan/", {"desa": "semua"}).content.decode()
    assert cells(page, "coverage-villages", villages["bonto"].name)["akta"] == "40,2 %"
