"""The dashboard's periods, written out on a calendar by hand, and the summary's place in the OpenAPI document."""

import json
from datetime import date

import pytest
from django.test import Client

from pencet.reports.dashboard import period_for, trend_points
from pencet.reports.histograms import binned_median, binned_percentile, histogram_add


def test_a_week_runs_monday_to_sunday_and_is_compared_with_the_week_before():
    period = period_for(kind="week", on=date(2026, 11, 4))  # a Wednesday
    assert (period.date_from, period.date_to) == (date(2026, 11, 2), date(2026, 11, 8))
    assert (period.previous_from, period.previous_to) == (date(2026, 10, 26), date(2026, 11, 1))


def test_march_is_compared_with_a_short_february():
    period = period_for(kind="month", on=date(2026, 3, 31))
    assert (period.date_from, period.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert (period.previous_from, period.previous_to) == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_day_and_a_year_have_the_day_and_the_year_before():
    day = period_for(kind="day", on=date(2026, 1, 1))
    assert (day.previous_from, day.previous_to) == (date(2025, 12, 31), date(2025, 12, 31))
    year = period_for(kind="year", on=date(2026, 6, 15))
    assert (year.date_from, year.date_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert year.previous_from == date(2025, 1, 1)


@pytest.mark.django_db
def test_the_summary_is_documented_in_the_openapi_document():
    document = json.loads(Client().get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/reports/summary"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "group_by", "format"} <= names


def test_the_trend_has_every_day_of_the_week_with_zeros_where_nothing_arrived():
    week = period_for(kind="week", on=date(2026, 11, 4))
    trend = {"rows": [{"key": "2026-11-02", "received": 4}]}
    assert trend_points(trend=trend, period=week) == [
        ("2026-11-02", 4), ("2026-11-03", 0), ("2026-11-04", 0), ("2026-11-05", 0), ("2026-11-06", 0),
        ("2026-11-07", 0), ("2026-11-08", 0),
    ]  # fmt: skip


def binned(*minutes: float) -> dict[str, int]:
    values: dict[str, int] = {}
    for m in minutes:
        histogram_add(values, measure="review", seconds=m * 60)
    return values


def test_medians_and_p90s_from_counted_minutes():
    # 5, 10, 10, 20: the median is the mean of the two middle values, p90 the 4th (nearest rank of 3.6).
    assert binned_median(binned(5, 10, 10, 20), "review") == 10.0
    assert binned_percentile(binned(5, 10, 10, 20), "review", 0.9) == 20.0
    # 1..10 once each: median 5.5, p90 the 9th.
    one_to_ten = binned(*range(1, 11))
    assert binned_median(one_to_ten, "review") == 5.5
    assert binned_percentile(one_to_ten, "review", 0.9) == 9.0
    assert binned_median({}, "review") is None


def test_durations_sharing_a_bin_are_read_as_their_mean():
    # 7 min 10 s and 7 min 50 s fall in the 7-minute bin; a day and a half sits alone in its own.
    assert binned_median(binned(7 + 10 / 60, 7 + 50 / 60), "review") == 7.5
    assert binned_percentile(binned(3, 2160), "review", 0.9) == 2160.0
