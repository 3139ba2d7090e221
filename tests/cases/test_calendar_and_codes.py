"""Working time (the SLA clock) and tracking codes."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from pencet.accounts.models import DayOff
from pencet.cases import services as cases
from pencet.cases.services import office_working_time_add, tracking_code_next
from pencet.lib.calendar import working_time_add

WITA = ZoneInfo("Asia/Makassar")


def wita(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def add(start: datetime, hours: float, days_off: tuple[date, ...] = ()) -> datetime:
    """Sinjai's office hours: 08:00–16:00 WITA, Monday to Friday."""
    return working_time_add(
        start=start,
        hours=hours,
        opens_at=time(8, 0),
        closes_at=time(16, 0),
        weekdays={1, 2, 3, 4, 5},
        tz="Asia/Makassar",
        days_off=days_off,
    )


# November 2026: Monday 23 … Friday 27, Saturday 28, Sunday 29, Monday 30.
@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (wita(2026, 11, 23, 9), 2, wita(2026, 11, 23, 11)),
        (wita(2026, 11, 23, 9, 30), 0.5, wita(2026, 11, 23, 10)),
        (wita(2026, 11, 23, 6), 1, wita(2026, 11, 23, 9)),  # before opening: the clock starts at 08:00
        (wita(2026, 11, 23, 8), 8, wita(2026, 11, 23, 16)),  # a full working day ends at closing time
        (wita(2026, 11, 23, 15), 2, wita(2026, 11, 24, 9)),  # one hour today, one tomorrow
        (wita(2026, 11, 23, 19), 2, wita(2026, 11, 24, 10)),  # after closing: from tomorrow's opening
        (wita(2026, 11, 23, 8), 24, wita(2026, 11, 25, 16)),  # three working days
        (wita(2026, 11, 27, 15), 2, wita(2026, 11, 30, 9)),  # Friday afternoon runs on into Monday
        (wita(2026, 11, 27, 17), 1, wita(2026, 11, 30, 9)),
        (wita(2026, 11, 28, 10), 1, wita(2026, 11, 30, 9)),  # Saturday counts nothing
        (wita(2026, 11, 29, 10), 8, wita(2026, 11, 30, 16)),  # nor does Sunday
        (wita(2026, 8, 14, 15), 2, wita(2026, 8, 18, 9)),  # Fri 14 Aug, weekend, Mon 17 Aug Independence Day
        (wita(2026, 8, 17, 9), 1, wita(2026, 8, 18, 9)),  # filed on 17 August itself
        (wita(2026, 12, 23, 15), 2, wita(2026, 12, 28, 9)),  # Thu 24 cuti bersama, Fri 25 Christmas
    ],
)
def test_working_time_skips_nights_weekends_and_national_holidays(start, hours, due):
    assert add(start, hours) == due


def test_working_time_is_counted_in_the_office_time_zone():
    # 00:30 UTC is 08:30 WITA: half an hour into the working day already.
    due = add(datetime(2026, 11, 23, 0, 30, tzinfo=UTC), 1)
    assert due == wita(2026, 11, 23, 9, 30)
    assert due.utcoffset().total_seconds() == 8 * 3600


def test_an_office_day_off_is_skipped():
    assert add(wita(2026, 11, 23, 15), 2, days_off=(date(2026, 11, 24),)) == wita(2026, 11, 25, 9)


@pytest.mark.django_db
def test_the_office_clock_uses_its_own_days_off(office):
    start = wita(2026, 11, 23, 15)
    assert office_working_time_add(office=office, start=start, hours=2) == wita(2026, 11, 24, 9)
    DayOff.objects.create(office=office, date=date(2026, 11, 24), name="Hari Jadi Kabupaten Sinjai")
    assert office_working_time_add(office=office, start=start, hours=2) == wita(2026, 11, 25, 9)


@pytest.mark.django_db
def test_another_offices_day_off_does_not_stop_this_office(office, other_office):
    DayOff.objects.create(office=other_office, date=date(2026, 11, 24), name="Hari Jadi Bone")
    assert office_working_time_add(office=office, start=wita(2026, 11, 23, 15), hours=2) == wita(2026, 11, 24, 9)


@pytest.mark.django_db
def test_a_saturday_working_office_counts_saturday(office):
    office.working_days = "1,2,3,4,5,6"
    office.save()
    assert office_working_time_add(office=office, start=wita(2026, 11, 27, 15), hours=2) == wita(2026, 11, 28, 9)


@pytest.mark.django_db
def test_tracking_codes_count_up_within_a_month(office):
    at = wita(2026, 11, 2, 9)
    assert tracking_code_next(office=office, at=at) == "SNJ-2611-0001"
    assert tracking_code_next(office=office, at=wita(2026, 11, 30, 15)) == "SNJ-2611-0002"
    assert tracking_code_next(office=office, at=at) == "SNJ-2611-0003"


@pytest.mark.django_db
def test_a_new_month_starts_again_at_0001(office):
    assert tracking_code_next(office=office, at=wita(2026, 11, 30, 23, 59)) == "SNJ-2611-0001"
    assert tracking_code_next(office=office, at=wita(2026, 11, 30, 23, 59)) == "SNJ-2611-0002"
    assert tracking_code_next(office=office, at=wita(2026, 12, 1, 0, 1)) == "SNJ-2612-0001"
    assert tracking_code_next(office=office, at=wita(2027, 1, 4, 8)) == "SNJ-2701-0001"


@pytest.mark.django_db
def test_each_office_has_its_own_counter(office, other_office):
    at = wita(2026, 11, 2, 9)
    assert tracking_code_next(office=office, at=at) == "SNJ-2611-0001"
    assert tracking_code_next(office=other_office, at=at) == "BNE-2611-0001"
    assert tracking_code_next(office=office, at=at) == "SNJ-2611-0002"
    assert tracking_code_next(office=other_office, at=at) == "BNE-2611-0002"


@pytest.mark.django_db
def test_the_month_of_a_tracking_code_is_the_offices_own(office, other_office):
    other_office.time_zone = "Asia/Jayapura"  # WIT, one hour ahead of WITA
    other_office.save()
    at = wita(2026, 11, 30, 23, 30)  # already 1 December 00:30 in Papua
    assert tracking_code_next(office=office, at=at) == "SNJ-2611-0001"
    assert tracking_code_next(office=other_office, at=at) == "BNE-2612-0001"


@pytest.mark.django_db
def test_new_applications_get_consecutive_codes(office, akta_kelahiran):
    first = cases.application_create(office=office, service=akta_kelahiran)
    second = cases.application_create(office=office, service=akta_kelahiran)
    prefix, period, serial = first.tracking_code.split("-")
    assert (prefix, len(period), serial) == ("SNJ", 4, "0001")
    assert second.tracking_code == f"SNJ-{period}-0002"
