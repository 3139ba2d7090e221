"""Durations kept in fixed minute bins, one count and one sum of seconds per bin, so that medians and p90s over any
period and any grouping are read from database sums instead of decoding every sample.

A percentile is the mean of the durations in the bin holding its rank: exact whenever the durations of that bin are
equal (a hand-made test, whole-minute steps), otherwise off by at most the bin's width (one minute below half an hour,
the widths below further up).
"""

import math
from bisect import bisect_right

# Lower edges in minutes: one-minute bins up to 30 minutes (the seed's 5–15 minutes review, 15 minutes SIAK → signed),
# then wider ones up to a month; the last bin holds everything longer.
BIN_EDGES: tuple[int, ...] = (
    *range(30),
    30, 40, 50, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 2160, 2880, 4320, 7200, 10080, 20160, 43200,
)  # fmt: skip
BINS = len(BIN_EDGES)
# The durations a DailyStat row carries: completeness reviews, SIAK input → signed, submission → signed.
DURATIONS = ("review", "siak_to_signed", "submission_to_ready")


def bin_of(seconds: float) -> int:
    return max(0, bisect_right(BIN_EDGES, max(seconds, 0) / 60) - 1)


def count_column(measure: str, index: int) -> str:
    return f"{measure}_n{index:02d}"


def sum_column(measure: str, index: int) -> str:
    return f"{measure}_s{index:02d}"


def histogram_columns(measures: tuple[str, ...]) -> list[str]:
    return [name for m in measures for i in range(BINS) for name in (count_column(m, i), sum_column(m, i))]


def histogram_add(values: dict[str, int], *, measure: str, seconds: float) -> None:
    """Count one duration into a row's column values."""
    index = bin_of(seconds)
    values[count_column(measure, index)] = values.get(count_column(measure, index), 0) + 1
    values[sum_column(measure, index)] = values.get(sum_column(measure, index), 0) + round(max(seconds, 0))


_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {}


def _columns_of(measure: str) -> tuple[tuple[str, str], ...]:
    """(count column, sum column) of every bin, named once per measure: the read path calls this per report row."""
    if measure not in _COLUMNS:
        _COLUMNS[measure] = tuple((count_column(measure, i), sum_column(measure, i)) for i in range(BINS))
    return _COLUMNS[measure]


def _bins(values: dict, measure: str) -> list[tuple[int, int]]:
    """(count, seconds) of each non-empty bin, shortest first."""
    return [(values[n], values.get(s) or 0) for n, s in _columns_of(measure) if values.get(n)]


def _minutes_at_rank(bins: list[tuple[int, int]], rank: int) -> float:
    seen = 0
    for count, seconds in bins:
        seen += count
        if seen >= rank:
            return seconds / count / 60
    count, seconds = bins[-1]
    return seconds / count / 60


def binned_median(values: dict, measure: str) -> float | None:
    """The median in minutes: the middle rank, or the mean of the two middle ranks; None when empty."""
    bins = _bins(values, measure)
    n = sum(count for count, _seconds in bins)
    if not n:
        return None
    if n % 2:
        return _minutes_at_rank(bins, (n + 1) // 2)
    return (_minutes_at_rank(bins, n // 2) + _minutes_at_rank(bins, n // 2 + 1)) / 2


def binned_percentile(values: dict, measure: str, fraction: float) -> float | None:
    """Nearest-rank percentile in minutes (p90 of 10 durations is the 9th shortest); None when empty."""
    bins = _bins(values, measure)
    n = sum(count for count, _seconds in bins)
    if not n:
        return None
    return _minutes_at_rank(bins, max(1, math.ceil(fraction * n)))


def binned_summary(values: dict, measure: str) -> tuple[int, float | None, float | None]:
    """(how many, median, p90) in minutes in one pass over the bins."""
    bins = _bins(values, measure)
    n = sum(count for count, _seconds in bins)
    if not n:
        return 0, None, None
    median = (
        _minutes_at_rank(bins, (n + 1) // 2)
        if n % 2
        else (_minutes_at_rank(bins, n // 2) + _minutes_at_rank(bins, n // 2 + 1)) / 2
    )
    return n, median, _minutes_at_rank(bins, max(1, math.ceil(0.9 * n)))
