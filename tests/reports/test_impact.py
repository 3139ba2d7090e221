"""Impact: trips citizens did not make and the transport they spared, from the costs Gita (admin) sets per district.

Gita sets Sinjai Borong at Rp30.000–100.000 (the seed's Bonto Katute figure) and Sinjai Barat at Rp20.000. In
November 2026:

    1  WhatsApp, Bonto Katute, sent by e-mail          saved   Sinjai Borong
    2  village staff (Fajar), Bonto Katute, sent       saved   Sinjai Borong
    3  WhatsApp, Bonto Katute, picked up               no (came for the document)
    4  walk-in, Bonto Katute, sent by e-mail           no (came to apply)
    5  WhatsApp, a Sinjai Barat village, sent          saved   Sinjai Barat
    6  WhatsApp, a village of a district without cost  saved, no rupiah
    7  handed to Andi (staff intake), Bonto Katute, sent   no (not an online channel of the dashboard)
and in October one more like 1. By hand: November 4 trips; Sinjai Borong 2 × 30.000–100.000 = Rp60.000–Rp200.000,
Sinjai Barat 1 × 20.000 = Rp20.000, together Rp80.000–Rp220.000; October 1 trip, Rp30.000–Rp100.000.
"""

import io
import re
from collections.abc import Generator
from datetime import date, datetime

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pencet.cases import services as cases
from pencet.cases.models import Channel
from pencet.catalog.models import Service
from pencet.regions.models import Region
from pencet.reports.models_sections import ClosureStat, ImpactStat, TravelCost
from pencet.reports.tasks_sections import reports_section_stats_task

from ..conftest import persona, sinjai_office
from .conftest import WITA, committed, wita, world_kept
from .journeys import Journey, client_of

# November is walked once and kept while the module's tests run (world_kept), so they stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-impact")]

NOVEMBER = {"periode": "month", "tanggal": "2026-11-02"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def _costs_set(gita) -> None:
    response = client_of(gita).post(
        "/laporan/biaya-perjalanan/", {"min_73.07.07": "30.000", "max_73.07.07": "100000", "min_73.07.01": "20000"}
    )
    assert response.status_code == 302


@pytest.fixture
def costs_set(gita) -> None:
    _costs_set(gita)


def _without_cost() -> Region:
    return Region.objects.filter(parent_id="73.07.02", level=4).order_by("code").first()


@pytest.fixture
def without_cost() -> Region:
    return _without_cost()


def _november_walk(at) -> None:
    office = sinjai_office()
    andi, budi, citra, dewi, fajar = (persona(n) for n in ("andi", "budi", "citra", "dewi", "fajar"))
    _costs_set(persona("gita"))
    akta_kelahiran = Service.objects.get(code="akta-kelahiran")
    bonto_katute = Region.objects.get(code="73.07.07.2007")
    journey = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    barat = Region.objects.filter(parent_id="73.07.01", level=4).order_by("code").first()

    def run(village, submitted, **extra) -> None:
        journey.run(office=office, service=akta_kelahiran, village=village, submitted=submitted, **extra)

    run(bonto_katute, datetime(2026, 10, 20, 9, 0, tzinfo=WITA))
    run(bonto_katute, wita(2, 9))
    run(bonto_katute, wita(2, 10), channel=Channel.VILLAGE_STAFF, actor=fajar)
    run(bonto_katute, wita(2, 11), finish="pickup")
    run(bonto_katute, wita(2, 13), channel=Channel.WALK_IN)
    run(barat, wita(3, 9))
    run(_without_cost(), wita(3, 10))
    run(bonto_katute, wita(3, 11), channel=Channel.STAFF_INTAKE, actor=andi)


@pytest.fixture(scope="module")
def _november_walked(django_db_setup, django_db_blocker) -> Generator[None, None, None]:
    start = datetime(2026, 10, 20, 8, 0, tzinfo=WITA)
    yield from world_kept(django_db_blocker, start, _november_walk, OTP_REQUIRED=False)


@pytest.fixture
def november(_november_walked, at) -> None:
    """November (module docstring), walked once for the module, as of Tuesday 3 November at noon."""
    at(wita(3, 12))


def test_leadership_sees_four_trips_saved_and_the_rupiah_they_spared(november, eka, without_cost):
    page = client_of(eka).get("/laporan/", NOVEMBER).content.decode()
    impact = page[page.index('id="impact"') : page.index('id="coverage"')]
    assert re.search(r'id="trips-saved">4<', impact)
    assert "Rp80.000–Rp220.000" in impact
    assert "sebelumnya 1" in impact and "sebelumnya Rp30.000–Rp100.000" in impact
    table = impact[impact.index('id="impact-districts"') :]
    assert "<td>Sinjai Borong</td><td>2</td><td>Rp30.000–Rp100.000</td><td>Rp60.000–Rp200.000</td>" in table
    assert "<td>Sinjai Barat</td><td>1</td><td>Rp20.000</td><td>Rp20.000</td>" in table
    assert f"<td>{without_cost.parent.name}</td><td>1</td><td>–</td><td>–</td>" in table
    assert "1 perjalanan dari kecamatan yang belum diberi biaya" in impact


def test_the_impact_table_downloads_with_rupiah_totals(november, eka):
    response = client_of(eka).get("/laporan/bagian/dampak/xlsx/", NOVEMBER)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("Sinjai Borong", 2, 30000, 100000, 60000, 200000) in rows
    assert ("Jumlah", 4, None, None, 80000, 220000) in rows


def test_gita_sees_her_costs_again_and_may_clear_one(costs_set, gita):
    page = client_of(gita).get("/laporan/biaya-perjalanan/").content.decode()
    assert 'name="min_73.07.07" inputmode="numeric" size="9" value="30000"' in page
    assert 'name="max_73.07.01" inputmode="numeric" size="9" value="20000"' in page
    client_of(gita).post("/laporan/biaya-perjalanan/", {"min_73.07.07": "30000", "max_73.07.07": "100000"})
    assert list(TravelCost.objects.values_list("district_id", flat=True)) == ["73.07.07"]


def test_a_range_upside_down_is_refused_and_nothing_changes(costs_set, gita):
    response = client_of(gita).post("/laporan/biaya-perjalanan/", {"min_73.07.07": "100000", "max_73.07.07": "30000"})
    assert response.status_code == 400
    assert "Biaya terendah Sinjai Borong lebih besar dari biaya tertinggi." in response.content.decode()
    assert sorted(TravelCost.objects.values_list("district_id", "cost_min", "cost_max")) == [
        ("73.07.01", 20000, 20000),
        ("73.07.07", 30000, 100000),
    ]


def test_only_the_admin_sets_costs(eka):
    assert client_of(eka).get("/laporan/biaya-perjalanan/").status_code == 403
    before = sorted(TravelCost.objects.values_list("district_id", "cost_min", "cost_max"))
    assert client_of(eka).post("/laporan/biaya-perjalanan/", {"min_73.07.07": "1"}).status_code == 403
    assert sorted(TravelCost.objects.values_list("district_id", "cost_min", "cost_max")) == before


def test_the_half_hourly_rebuild_restores_lost_aggregates(november, at, eka):
    """If the handling of Tuesday's events was lost (no day rows for it, a month row without them), the periodic task
    recomputes the recent days from the events themselves, and their month with them."""
    ClosureStat.objects.filter(day=date(2026, 11, 3)).delete()
    ClosureStat.objects.filter(grain="month", day=date(2026, 11, 1)).update(count=0)
    ImpactStat.objects.filter(day=date(2026, 11, 3)).delete()  # what impact reads, kept beside the closures
    ImpactStat.objects.filter(grain="month", day=date(2026, 11, 1)).update(trips=0)
    assert re.search(r'id="trips-saved">0<', client_of(eka).get("/laporan/", NOVEMBER).content.decode())
    at(wita(3, 16))
    reports_section_stats_task()
    page = client_of(eka).get("/laporan/", NOVEMBER).content.decode()
    assert re.search(r'id="trips-saved">4<', page)


def closure_rows(office, grain: str) -> list[tuple]:
    return sorted(
        ClosureStat.objects.filter(office=office, grain=grain).values_list(
            "day", "channel", "service_id", "village_id", "how", "count"
        )
    )


def test_novembers_closure_month_row_holds_what_its_days_hold(november, office):
    days = ClosureStat.objects.filter(office=office, grain="day", day__month=11)
    months = ClosureStat.objects.filter(office=office, grain="month", day=date(2026, 11, 1))
    assert sum(r.count for r in days) == sum(r.count for r in months) == 7
    by_channel = {}
    for row in months:
        by_channel[row.channel, row.how] = by_channel.get((row.channel, row.how), 0) + row.count
    assert by_channel == {
        ("whatsapp", "delivered"): 3,  # Bonto Katute, Sinjai Barat, the district without a cost
        ("whatsapp", "picked_up"): 1,
        ("aparat_desa", "delivered"): 1,
        ("walk_in", "delivered"): 1,
        ("staff_intake", "delivered"): 1,
    }


def test_rebuilding_the_closures_from_the_events_gives_what_the_subscriber_kept(november, office):
    kept = {grain: closure_rows(office, grain) for grain in ("day", "month")}
    ClosureStat.objects.all().delete()
    call_command(
        "reports-rebuild", "--office", "snj", "--from", "2026-10-01", "--to", "2026-11-30", stdout=io.StringIO()
    )
    assert {grain: closure_rows(office, grain) for grain in ("day", "month")} == kept


def test_a_document_sent_a_month_after_it_was_ready_is_a_trip_saved_in_december_and_once_in_the_year(
    at, november, office, andi, budi, citra, dewi, akta_kelahiran, bonto_katute, eka
):
    journey = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    late = journey.run(
        office=office, service=akta_kelahiran, village=bonto_katute, submitted=wita(20, 9), finish="ready"
    )
    at(datetime(2026, 12, 10, 10, 0, tzinfo=WITA))
    with committed():
        cases.application_mark_delivered(application=late, actor=None, channel="email")

    def trips(period: str, on: str) -> str:
        page = client_of(eka).get("/laporan/", {"periode": period, "tanggal": on}).content.decode()
        return re.search(r'id="trips-saved">(\d+)<', page).group(1)

    assert trips("month", "2026-11-02") == "4"
    assert trips("month", "2026-12-02") == "1"
    assert trips("year", "2026-06-01") == "6"  # October's one, November's four, December's one: read from month rows
