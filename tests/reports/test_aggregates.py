"""The aggregates: kept by the event subscriber, recomputed from source, never counted twice, a late transition
counted in the day (and month) the application was received and in the day the officer did the work."""

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command

from pencet.cases import services as cases
from pencet.reports.models import DailyStat, Dimension, Grain, OfficerStat
from pencet.reports.selectors import report_summary
from pencet.reports.services import daily_stats_rebuild, daily_stats_rebuild_recent, report_stats_rebuild_range

from .conftest import WITA, committed

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-aggregates")]

MONDAY = date(2026, 11, 2)
NOVEMBER = date(2026, 11, 1)
COUNTED = ("received", "same_day", "ready", "returned")


def totals(office, *, dimension=Dimension.CHANNEL, grain=Grain.DAY, day=MONDAY) -> dict[str, int]:
    rows = DailyStat.objects.filter(office=office, dimension=dimension, grain=grain, day=day)
    return {name: sum(getattr(r, name) for r in rows) for name in COUNTED}


MONDAYS_FOUR = {"received": 4, "same_day": 2, "ready": 3, "returned": 1}


def test_the_subscriber_kept_mondays_bucket_as_the_week_went(known_week, office):
    assert totals(office) == MONDAYS_FOUR


def test_each_application_is_counted_once_by_channel_by_service_and_by_village(known_week, office):
    for dimension in (Dimension.CHANNEL, Dimension.SERVICE, Dimension.VILLAGE):
        assert totals(office, dimension=dimension) == MONDAYS_FOUR


def test_novembers_month_row_holds_what_its_days_hold(known_week, office):
    for dimension in (Dimension.CHANNEL, Dimension.SERVICE, Dimension.VILLAGE):
        assert totals(office, dimension=dimension, grain=Grain.MONTH, day=NOVEMBER) == MONDAYS_FOUR


def test_rebuilding_a_day_again_and_again_gives_the_same_figures(known_week, office):
    daily_stats_rebuild(office=office, day=MONDAY)
    daily_stats_rebuild(office=office, day=MONDAY)
    assert totals(office) == MONDAYS_FOUR
    assert totals(office, grain=Grain.MONTH, day=NOVEMBER) == MONDAYS_FOUR


def test_the_periodic_rebuild_restores_a_lost_bucket(known_week, office):
    DailyStat.objects.all().delete()
    OfficerStat.objects.all().delete()
    daily_stats_rebuild_recent()  # the clock stands on Tuesday afternoon: Monday is yesterday
    assert totals(office) == MONDAYS_FOUR
    assert totals(office, grain=Grain.MONTH, day=NOVEMBER) == MONDAYS_FOUR
    assert OfficerStat.objects.filter(office=office, grain=Grain.DAY, day=MONDAY, actor__username="andi").exists()


def test_a_range_rebuild_gives_what_the_subscriber_kept(known_week, office, eka):
    before = report_summary(user=eka, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), group_by="village")
    DailyStat.objects.all().delete()
    report_stats_rebuild_range(office=office, date_from=MONDAY, date_to=date(2026, 11, 3))
    after = report_summary(user=eka, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), group_by="village")
    assert after["rows"] == before["rows"]
    assert after["total"]["received"] == 4


def december(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def d_signed_in_december(known_week, at, andi, budi, citra, dewi):
    """D, waiting since Monday 2 November 13:00, is reviewed on Monday 7 December 08:00 and signed at 08:30."""
    d = known_week["d"]
    for moment, action in (
        (december(7, 8), lambda: cases.application_accept(application=d, actor=andi)),
        (december(7, 8, 5), lambda: cases.application_claim(application=d, actor=budi)),
        (december(7, 8, 20), lambda: cases.application_complete_siak(application=d, actor=budi, siak_reference="2")),
        (december(7, 8, 25), lambda: cases.application_approve(application=d, actor=citra)),
        (december(7, 8, 30), lambda: cases.application_sign(application=d, actor=dewi)),
    ):
        at(moment)
        with committed():
            action()
    return d


def test_a_signature_a_month_late_counts_on_the_day_and_in_the_month_d_was_received(d_signed_in_december, office):
    assert totals(office) == {"received": 4, "same_day": 2, "ready": 4, "returned": 1}
    for dimension in (Dimension.CHANNEL, Dimension.SERVICE, Dimension.VILLAGE):
        assert totals(office, dimension=dimension, grain=Grain.MONTH, day=NOVEMBER)["ready"] == 4
    assert not DailyStat.objects.filter(office=office, day__gte=date(2026, 12, 1)).exists()


def test_the_years_figures_read_from_the_month_rows_include_the_late_signature(d_signed_in_december, eka):
    year = report_summary(user=eka, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), group_by="service")
    total = year["total"]
    assert (total["received"], total["ready"]) == (4, 4)
    # Submission → signed: A 45, C 30, B 1,400 and D from 2 November 13:00 to 7 December 08:30 = 50,130 minutes.
    assert total["submission_to_ready_count"] == 4
    assert total["submission_to_ready_p90_minutes"] == 50130.0
    # Reviews: A 10, B 20 and 10, C 5, and D's 50,100 minutes waiting in the queue.
    assert total["review_count"] == 5
    assert total["review_median_minutes"] == 10.0


def test_the_late_review_is_andis_work_on_the_day_he_did_it(d_signed_in_december, eka):
    december_work = report_summary(
        user=eka, date_from=date(2026, 12, 1), date_to=date(2026, 12, 31), group_by="officer"
    )
    andi = next(r for r in december_work["rows"] if r["key"] == "andi")
    assert andi["reviewed"] == 1
    assert andi["review_p90_minutes"] == 50100.0
    november = report_summary(user=eka, date_from=NOVEMBER, date_to=date(2026, 11, 30), group_by="officer")
    assert next(r for r in november["rows"] if r["key"] == "andi")["reviewed"] == 4


def test_the_rebuild_command_restores_every_aggregate_after_an_upgrade(known_week, office, eka):
    DailyStat.objects.all().delete()
    OfficerStat.objects.all().delete()
    call_command(
        "reports-rebuild", "--office", "snj", "--from", "2026-11-01", "--to", "2026-11-30", stdout=io.StringIO()
    )
    assert totals(office) == MONDAYS_FOUR
    assert totals(office, grain=Grain.MONTH, day=NOVEMBER) == MONDAYS_FOUR
    work = report_summary(user=eka, date_from=NOVEMBER, date_to=date(2026, 11, 30), group_by="officer")
    assert next(r for r in work["rows"] if r["key"] == "budi")["siak"] == 3
