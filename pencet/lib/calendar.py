"""Working time: per-weekday office hours, closed dates (holidays, cuti bersama, office days off) and pauses.

Pure and bounded: no Django, no database. The caller builds a `WorkingCalendar` (pencet.cases.clocks does it for an
office) and asks how far `duration` of working time reaches, or how much working time lies between two moments.
Pauses (a service interruption, the citizen's turn to fix a file) are intervals whose working time does not count.
"""

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .public_holidays import public_holiday_dates

# Ten years of days: a bound on every loop, not an expectation.
MAX_DAYS = 3660

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WorkingCalendar:
    """`hours`: ISO weekday (1 = Monday) → (opens, closes); a weekday missing from it is closed.

    `closed`: anything answering `day in closed` (a set, or a lazy lookup of national holidays by year).
    `pauses`: aware (start, end) intervals not counted as working time, in any order, overlaps allowed.
    """

    tz: str
    hours: Mapping[int, tuple[time, time]]
    closed: Container[date] = frozenset()
    pauses: Sequence[Interval] = field(default_factory=tuple)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def with_pauses(self, pauses: Iterable[Interval]) -> "WorkingCalendar":
        return WorkingCalendar(tz=self.tz, hours=self.hours, closed=self.closed, pauses=tuple(pauses))


def working_day_is(*, calendar: WorkingCalendar, day: date) -> bool:
    span = calendar.hours.get(day.isoweekday())
    return span is not None and span[0] < span[1] and day not in calendar.closed


def working_day_next(*, calendar: WorkingCalendar, after: date) -> date:
    """The first working day strictly after `after`."""
    day = after
    for _ in range(MAX_DAYS):
        day += timedelta(days=1)
        if working_day_is(calendar=calendar, day=day):
            return day
    raise ValueError("office has no working day")


def working_day_bounds(*, calendar: WorkingCalendar, day: date) -> tuple[datetime, datetime] | None:
    """Opening and closing moment of `day` in the office's zone, or None when the office is closed."""
    if not working_day_is(calendar=calendar, day=day):
        return None
    opens, closes = calendar.hours[day.isoweekday()]
    return datetime.combine(day, opens, calendar.zone), datetime.combine(day, closes, calendar.zone)


def _merged(pauses: Iterable[Interval]) -> list[Interval]:
    merged: list[list[datetime]] = []
    for start, end in sorted((p for p in pauses if p[1] > p[0]), key=lambda p: p[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _segments(begin: datetime, end: datetime, pauses: list[Interval]) -> Iterator[Interval]:
    """[begin, end) minus the (merged, sorted) pauses."""
    cursor = begin
    for p_start, p_end in pauses:
        if p_end <= cursor:
            continue
        if p_start >= end:
            break
        if p_start > cursor:
            yield cursor, p_start
        cursor = max(cursor, p_end)
        if cursor >= end:
            return
    if cursor < end:
        yield cursor, end


def calendar_add(*, calendar: WorkingCalendar, start: datetime, duration: timedelta) -> datetime:
    """The moment `duration` of working time after `start` (aware in, aware out in the office's zone).

    A zero duration answers the first working moment at or after `start`.
    """
    pauses = _merged(calendar.pauses)
    current = start.astimezone(calendar.zone)
    remaining = duration
    day = current.date()
    for _ in range(MAX_DAYS):
        bounds = working_day_bounds(calendar=calendar, day=day)
        if bounds is not None and current < bounds[1]:
            for seg_start, seg_end in _segments(max(current, bounds[0]), bounds[1], pauses):
                if remaining <= seg_end - seg_start:
                    return (seg_start + remaining).astimezone(calendar.zone)
                remaining -= seg_end - seg_start
        day += timedelta(days=1)
        current = datetime.combine(day, time(0, 0), calendar.zone)
    raise ValueError("office has no working time")


def calendar_between(*, calendar: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time from `start` to `end` (zero when `end` is not after `start`)."""
    if end <= start:
        return timedelta(0)
    pauses = _merged(calendar.pauses)
    zone = calendar.zone
    start, end = start.astimezone(zone), end.astimezone(zone)
    total = timedelta(0)
    day, first, last = start.date(), start.date(), end.date()
    # A whole working day inside the interval, untouched by pauses, counts its opening hours: no moments to build.
    whole = {
        weekday: datetime.combine(first, closes) - datetime.combine(first, opens)
        for weekday, (opens, closes) in calendar.hours.items()
        if opens < closes
    }
    middle = None
    if not pauses and (last - first).days > 1:
        middle = _whole_days(calendar=calendar, whole=whole, first=first + timedelta(days=1), last=last - timedelta(1))
    for _ in range(MAX_DAYS + 1):
        if day > last:
            return total
        if first < day < last and not pauses:
            if middle is not None:
                total, day = total + middle, last
                continue
            length = whole.get(day.isoweekday())
            if length is not None and day not in calendar.closed:
                total += length
            day += timedelta(days=1)
            continue
        bounds = working_day_bounds(calendar=calendar, day=day)
        if bounds is not None:
            begin, finish = max(start, bounds[0]), min(end, bounds[1])
            if begin < finish:
                total += sum((e - s for s, e in _segments(begin, finish, pauses)), timedelta(0))
        day += timedelta(days=1)
    raise ValueError("interval longer than the calendar's bound")


def _whole_days(
    *, calendar: WorkingCalendar, whole: Mapping[int, timedelta], first: date, last: date
) -> timedelta | None:
    """The opening hours of the days `first`..`last` (inclusive) taken whole: weeks at once, then the closed days
    taken off. None when the calendar's closed days cannot be listed (count them day by day instead)."""
    closed = calendar.closed
    if isinstance(closed, NationalHolidaysAnd):
        off = closed.dates_between(first, last)
    elif isinstance(closed, (set, frozenset)):
        off = {d for d in closed if first <= d <= last}
    else:
        return None
    weeks, rest = divmod((last - first).days + 1, 7)
    total = sum(whole.values(), timedelta(0)) * weeks
    for n in range(rest):
        total += whole.get((first + timedelta(days=weeks * 7 + n)).isoweekday(), timedelta(0))
    for day in off:
        total -= whole.get(day.isoweekday(), timedelta(0))
    return total


class NationalHolidaysAnd:
    """Closed dates: Indonesia's national holidays and cuti bersama plus the given extra dates, looked up by year."""

    def __init__(self, extra: Iterable[date] = ()) -> None:
        self.extra = frozenset(extra)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and (day in self.extra or day in public_holiday_dates(day.year))

    def dates_between(self, first: date, last: date) -> set[date]:
        """Every closed date from `first` to `last`, both included."""
        dates = set(self.extra)
        for year in range(first.year, last.year + 1):
            dates |= public_holiday_dates(year)
        return {d for d in dates if first <= d <= last}


def legacy_calendar(
    *, opens_at: time, closes_at: time, weekdays: Iterable[int], tz: str, days_off: Iterable[date] = ()
) -> WorkingCalendar:
    """One opening time for every working weekday (the shape of the older `Office` fields)."""
    return WorkingCalendar(
        tz=tz, hours={d: (opens_at, closes_at) for d in weekdays}, closed=NationalHolidaysAnd(days_off)
    )


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
    """`hours` of working time after `start` on a calendar with one opening time for all working days.

    Kept with its original keywords for the callers that predate `WorkingCalendar`; cuti bersama now count as closed.
    """
    calendar = legacy_calendar(opens_at=opens_at, closes_at=closes_at, weekdays=weekdays, tz=tz, days_off=days_off)
    return calendar_add(calendar=calendar, start=start, duration=timedelta(hours=hours))
