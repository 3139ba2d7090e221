"""The working calendar on its own: Sinjai's hours, national holidays and cuti bersama, pauses."""

from datetime import time, timedelta

import pytest

from pencet.lib.calendar import (
    NationalHolidaysAnd,
    WorkingCalendar,
    calendar_add,
    calendar_between,
)
from pencet.lib.public_holidays import public_holiday_source, public_holidays

from .conftest import wita

EIGHT, FOUR, HALF_PAST_FOUR = time(8), time(16), time(16, 30)
SINJAI = WorkingCalendar(
    tz="Asia/Makassar",
    hours={1: (EIGHT, FOUR), 2: (EIGHT, FOUR), 3: (EIGHT, FOUR), 4: (EIGHT, FOUR), 5: (EIGHT, HALF_PAST_FOUR)},
    closed=NationalHolidaysAnd(),
)
ONE_HOUR = timedelta(hours=1)


def test_the_issue_example_wednesday_before_christmas_is_due_monday_half_past_eight():
    # Half an hour on Wednesday 23 December, Thursday 24 cuti bersama, Friday 25 Christmas, the weekend.
    due = calendar_add(calendar=SINJAI, start=wita(2026, 12, 23, 15, 30), duration=ONE_HOUR)
    assert due == wita(2026, 12, 28, 8, 30)


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        (wita(2026, 11, 23, 9), ONE_HOUR, wita(2026, 11, 23, 10)),
        (wita(2026, 11, 23, 15, 30), ONE_HOUR, wita(2026, 11, 24, 8, 30)),  # across Monday's closing time
        (wita(2026, 11, 23, 19), ONE_HOUR, wita(2026, 11, 24, 9)),  # after closing: from tomorrow's opening
        (wita(2026, 11, 23, 6), timedelta(minutes=15), wita(2026, 11, 23, 8, 15)),  # before opening
        (wita(2026, 11, 26, 15, 30), ONE_HOUR, wita(2026, 11, 27, 8, 30)),  # Thursday closes at 16:00
        (wita(2026, 11, 27, 15, 30), ONE_HOUR, wita(2026, 11, 27, 16, 30)),  # Friday runs to 16:30
        (wita(2026, 11, 27, 16), ONE_HOUR, wita(2026, 11, 30, 8, 30)),  # half an hour Friday, then Monday
        (wita(2026, 11, 27, 16, 15), timedelta(minutes=15), wita(2026, 11, 27, 16, 30)),  # Friday's last quarter
        (wita(2026, 11, 28, 10), ONE_HOUR, wita(2026, 11, 30, 9)),  # Saturday counts nothing
        (wita(2026, 8, 14, 15), timedelta(hours=2), wita(2026, 8, 18, 8, 30)),  # Mon 17 Aug Independence Day
        # Idulfitri 2026: Wed 18 cuti bersama, Thu 19 Nyepi, Fri 20 cuti, Sat 21-Sun 22, Mon 23-Tue 24 cuti.
        (wita(2026, 3, 17, 15, 30), ONE_HOUR, wita(2026, 3, 25, 8, 30)),
        (wita(2027, 2, 4, 15, 30), ONE_HOUR, wita(2027, 2, 8, 8, 30)),  # Fri 5 Feb 2027 cuti bersama (Imlek)
        (wita(2028, 12, 22, 16), ONE_HOUR, wita(2028, 12, 26, 8, 30)),  # 2028 from `holidays`: Mon 25 Christmas
    ],
)
def test_working_time_skips_nights_weekends_holidays_and_cuti_bersama(start, duration, due):
    assert calendar_add(calendar=SINJAI, start=start, duration=duration) == due


def test_the_working_time_between_two_moments_counts_only_opening_hours():
    assert calendar_between(calendar=SINJAI, start=wita(2026, 12, 23, 15, 30), end=wita(2026, 12, 28, 8, 30)) == (
        ONE_HOUR
    )
    # Friday 14:00 to Monday 10:00: 2.5 hours on Friday, 2 on Monday.
    assert calendar_between(calendar=SINJAI, start=wita(2026, 11, 27, 14), end=wita(2026, 11, 30, 10)) == timedelta(
        hours=4, minutes=30
    )
    assert calendar_between(calendar=SINJAI, start=wita(2026, 11, 30, 10), end=wita(2026, 11, 30, 9)) == timedelta(0)


def test_a_stage_running_for_weeks_counts_every_whole_day_and_skips_the_days_off():
    anniversary = WorkingCalendar(
        tz=SINJAI.tz, hours=SINJAI.hours, closed=NationalHolidaysAnd([wita(2026, 11, 18, 0).date()])
    )
    # Monday 16 November 12:00 to Monday 30 November 12:00: 4 h, then Tuesday and Thursday 8 h each (Wednesday is
    # the office's day off), Friday 8.5 h, a whole week of 8 + 8 + 8 + 8 + 8.5 h, and 4 h on the last Monday.
    assert calendar_between(
        calendar=anniversary, start=wita(2026, 11, 16, 12), end=wita(2026, 11, 30, 12)
    ) == timedelta(hours=4 + 16 + 8.5 + 40.5 + 4)


def test_a_pause_stops_the_clock_and_the_night_is_not_counted_twice():
    paused = SINJAI.with_pauses([(wita(2026, 11, 23, 9, 30), wita(2026, 11, 23, 10, 30))])
    assert calendar_add(calendar=paused, start=wita(2026, 11, 23, 9), duration=timedelta(hours=2)) == wita(
        2026, 11, 23, 12
    )
    # Paused from Monday 15:00 to Tuesday 09:00: one working hour on Monday, one on Tuesday are lost.
    overnight = SINJAI.with_pauses([(wita(2026, 11, 23, 15), wita(2026, 11, 24, 9))])
    assert calendar_add(calendar=overnight, start=wita(2026, 11, 23, 14), duration=timedelta(hours=2)) == wita(
        2026, 11, 24, 10
    )
    assert calendar_between(calendar=overnight, start=wita(2026, 11, 23, 14), end=wita(2026, 11, 24, 10)) == (
        timedelta(hours=2)
    )


def test_overlapping_pauses_count_once():
    paused = SINJAI.with_pauses(
        [(wita(2026, 11, 23, 9), wita(2026, 11, 23, 10)), (wita(2026, 11, 23, 9, 30), wita(2026, 11, 23, 11))]
    )
    assert calendar_between(calendar=paused, start=wita(2026, 11, 23, 8), end=wita(2026, 11, 23, 12)) == timedelta(
        hours=2
    )


def test_an_office_day_off_closes_the_office():
    anniversary = WorkingCalendar(
        tz=SINJAI.tz, hours=SINJAI.hours, closed=NationalHolidaysAnd([wita(2026, 11, 24, 0).date()])
    )
    assert calendar_add(calendar=anniversary, start=wita(2026, 11, 23, 15, 30), duration=ONE_HOUR) == wita(
        2026, 11, 25, 8, 30
    )


def test_an_office_without_any_opening_hours_is_an_error_not_a_hang():
    with pytest.raises(ValueError):
        calendar_add(
            calendar=WorkingCalendar(tz="Asia/Makassar", hours={}), start=wita(2026, 1, 5, 9), duration=ONE_HOUR
        )


def test_2026_and_2027_come_from_lokal_id_with_cuti_bersama_other_years_from_holidays_without():
    assert public_holiday_source(2026).package == "lokal-id"
    assert public_holiday_source(2026).includes_cuti_bersama
    assert "1497" in public_holiday_source(2026).decree
    assert public_holiday_source(2027).includes_cuti_bersama
    assert public_holiday_source(2028).package == "holidays"
    assert not public_holiday_source(2028).includes_cuti_bersama
    christmas_eve = [h for h in public_holidays(2026) if h.date == wita(2026, 12, 24, 0).date()]
    assert [h.cuti_bersama for h in christmas_eve] == [True]
