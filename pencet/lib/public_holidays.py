"""Indonesia's public-service days off by year: national holidays and cuti bersama.

The yearly SKB 3 Menteri sets both. PyPI `lokal-id` ships the decrees it knows (2026 and 2027 today) including cuti
bersama; for any other year PyPI `holidays` gives the national holidays only (some of them estimated), so an office
must add that year's cuti bersama as its own days off. `public_holiday_source` says which applies, for the admin.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
from lokal import holidays as lokal_holidays

SOURCE_LOKAL = "lokal-id"
SOURCE_HOLIDAYS = "holidays"


@dataclass(frozen=True)
class PublicHoliday:
    date: date
    name: str
    cuti_bersama: bool = False


@dataclass(frozen=True)
class HolidaySource:
    year: int
    package: str  # SOURCE_LOKAL or SOURCE_HOLIDAYS
    decree: str  # the SKB's numbers where known
    includes_cuti_bersama: bool


def public_holiday_source(year: int) -> HolidaySource:
    if year in lokal_holidays.HOLIDAY_YEARS:
        return HolidaySource(year, SOURCE_LOKAL, lokal_holidays.get_holidays(year).decree, True)
    return HolidaySource(year, SOURCE_HOLIDAYS, "", False)


@lru_cache(maxsize=32)
def public_holidays(year: int) -> tuple[PublicHoliday, ...]:
    """Every national holiday (and, where the decree is known, cuti bersama) of `year`, by date."""
    if year in lokal_holidays.HOLIDAY_YEARS:
        found = [
            PublicHoliday(date.fromisoformat(h.date), h.name, h.type == "cuti_bersama")
            for h in lokal_holidays.get_holidays(year).holidays
        ]
    else:
        found = [PublicHoliday(d, n) for d, n in holidays.country_holidays("ID", years=year, language="id").items()]
    return tuple(sorted(found, key=lambda h: h.date))


@lru_cache(maxsize=32)
def public_holiday_dates(year: int) -> frozenset[date]:
    return frozenset(h.date for h in public_holidays(year))
