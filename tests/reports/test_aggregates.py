"""The daily aggregates: kept by the event subscriber, recomputed from source, never counted twice."""

from datetime import date

import pytest

from pencet.reports.models import DailyStat
from pencet.reports.services import daily_stats_rebuild, daily_stats_rebuild_recent

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def monday_totals(office) -> dict[str, int]:
    rows = DailyStat.objects.filter(office=office, day=MONDAY)
    return {name: sum(getattr(r, name) for r in rows) for name in ("received", "same_day", "ready", "returned")}


def test_the_subscriber_kept_mondays_bucket_as_the_week_went(known_week, office):
    assert monday_totals(office) == {"received": 4, "same_day": 2, "ready": 3, "returned": 1}


def test_rebuilding_a_day_again_and_again_gives_the_same_figures(known_week, office):
    daily_stats_rebuild(office=office, day=MONDAY)
    daily_stats_rebuild(office=office, day=MONDAY)
    assert monday_totals(office) == {"received": 4, "same_day": 2, "ready": 3, "returned": 1}


def test_the_periodic_rebuild_restores_a_lost_bucket(known_week, office):
    DailyStat.objects.all().delete()
    daily_stats_rebuild_recent()  # the clock stands on Tuesday afternoon: Monday is yesterday
    assert monday_totals(office) == {"received": 4, "same_day": 2, "ready": 3, "returned": 1}
