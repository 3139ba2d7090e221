"""Working time: office hours, weekends, Indonesian national holidays and office days off."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=16)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


def is_working_day(day: date, *, weekdays: set[int], days_off: Iterable[date] = ()) -> bool:
    return day.isoweekday() in weekdays and day not in _national_holidays(day.year) and day not in set(days_off)


def working_time_add(
    *,
    start: datetime,
    hours: float,
    opens_at: time,
    closes_at: time,
    weekdays: set[int],
    tz: str,
    days_off: Iterable[date] = (),
) -> datetime:
    """The moment `hours` of office working time after `start` (aware datetimes in, aware out)."""
    zone = ZoneInfo(tz)
    off = set(days_off)
    current = start.astimezone(zone)
    remaining = timedelta(hours=hours)
    for _ in range(3660):  # ten years of days: a bound, not an expectation
        day = current.date()
        day_open = datetime.combine(day, opens_at, zone)
        day_close = datetime.combine(day, closes_at, zone)
        if is_working_day(day, weekdays=weekdays, days_off=off) and current < day_close:
            begin = max(current, day_open)
            available = day_close - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        current = datetime.combine(day + timedelta(days=1), time(0, 0), zone)
    raise ValueError("office has no working time")
