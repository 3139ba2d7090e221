"""The roll-ups at their edges, each on an otherwise empty office: a time zone with summer time, and a population
imported in the middle of the month it counts from (see test_rollups.py for the figures of a whole province)."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from pencet.catalog.models import Service
from pencet.reports.models_sections import ClosureStat, ImpactStat

from .journeys import Journey, client_of
from .test_rollups import DECEMBER, at_wita, import_population, kinds_of, trips_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.OTP_REQUIRED = False


def test_the_rebuild_keeps_local_days_where_the_offices_zone_changes_its_offset(
    at, office, andi, budi, citra, dewi, bonto_katute, eka
):
    """An office on a clock with summer time (Berlin: +1 until 29 March 2026 02:00, then +2): a document sent at 00:30
    on 30 March is 22:30 UTC on the 29th; one offset for the whole month would put it on the 29th."""
    office.time_zone = "Europe/Berlin"
    office.save()
    berlin = ZoneInfo("Europe/Berlin")
    Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi).run(
        office=office, service=Service.objects.get(code="akta-kelahiran"), village=bonto_katute,
        submitted=datetime(2026, 3, 30, 0, 30, tzinfo=berlin) - timedelta(minutes=30),
    )  # fmt: skip
    at(datetime(2026, 4, 2, 10, tzinfo=berlin))

    def trips_on(day: str) -> int:
        return trips_of(client_of(eka).get("/laporan/", {"periode": "day", "tanggal": day}).content.decode())

    assert (trips_on("2026-03-29"), trips_on("2026-03-30")) == (0, 1)
    ImpactStat.objects.all().delete()
    ClosureStat.objects.all().delete()
    call_command("reports-rebuild", "--from", "2026-03-01", "--to", "2026-03-31", stdout=io.StringIO())
    assert (trips_on("2026-03-29"), trips_on("2026-03-30")) == (0, 1)


def test_documents_issued_in_the_imports_month_count_only_after_its_moment(
    at, office, andi, budi, citra, dewi, gita, bonto_katute, eka
):
    """Bonto Katute's akta kelahiran sent on 2 November, 3 November 09:30, 3 November 11:30, 10 November and
    2 December; the semester imported on 3 November 10:00, then imported again on 25 November 10:00: +3 akta, then
    +1 (only December's)."""
    journey = Journey(at, andi=andi, budi=budi, citra=citra, dewi=dewi)
    akta = Service.objects.get(code="akta-kelahiran")

    def sent(day: int, hour: int, minute: int = 0, month: int = 11) -> None:
        submitted = at_wita(day, hour, minute, month=month) - timedelta(minutes=30)
        journey.run(office=office, service=akta, village=bonto_katute, submitted=submitted)

    def akta_issued(moment: datetime) -> str:
        at(moment)
        page = client_of(eka).get("/laporan/", DECEMBER).content.decode()
        return kinds_of(page, "coverage-villages", bonto_katute.name)["akta"]

    sent(2, 9)
    sent(3, 9, 30)
    at(at_wita(3, 10, month=11))
    import_population(gita, f"{bonto_katute.code};1000;700;300;250;600;60;200;400")
    sent(3, 11, 30)
    sent(10, 9)
    sent(2, 9, month=12)
    assert akta_issued(at_wita(15, 10)) == "40,3 %"  # (400 + 3) / 1000
    at(at_wita(25, 10, month=11))
    import_population(gita, f"{bonto_katute.code};1000;700;300;250;600;60;200;400")
    assert akta_issued(at_wita(15, 10)) == "40,1 %"  # (400 + 1) / 1000
