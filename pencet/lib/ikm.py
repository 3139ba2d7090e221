"""The public satisfaction index (IKM) of PermenPANRB 14/2017, and the Krejcie–Morgan minimum sample.

Framework-free arithmetic on plain numbers. Fractions keep every step exact; rounding happens once, half up, where
the regulation prints a figure (IKM to two decimals, the sample to a whole respondent).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENT_COUNT = 9
SCORE_MIN = 1
SCORE_MAX = 4
# The regulation weighs the nine elements equally: 1/9 each (printed as 0.111).
WEIGHT = Fraction(1, ELEMENT_COUNT)
# From the 1–4 scale to 25–100.
CONVERSION = 25

# (lowest IKM of the grade, grade); the table of PermenPANRB 14/2017 on the IKM rounded to two decimals.
GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal("88.31"), "A"),
    (Decimal("76.61"), "B"),
    (Decimal("65.00"), "C"),
    (Decimal("25.00"), "D"),
)


@dataclass(frozen=True)
class ElementIndex:
    element: int  # 1..9 in the regulation's order
    total: int  # sum of the scores
    answers: int  # number of filled answers
    nrr: Fraction | None  # None when nobody answered this element
    weighted_nrr: Fraction | None


@dataclass(frozen=True)
class IndexResult:
    elements: tuple[ElementIndex, ...]
    ikm: Decimal | None  # two decimals; None without any answer
    grade: str  # "A".."D", "" without an IKM


def nrr(scores: Iterable[int | None]) -> Fraction | None:
    """Nilai rata-rata: the sum of the scores over the number of filled answers (blank answers do not count)."""
    filled = [s for s in scores if s is not None]
    for score in filled:
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise ValueError(f"score {score} is outside {SCORE_MIN}..{SCORE_MAX}")
    if not filled:
        return None
    return Fraction(sum(filled), len(filled))


def weighted_nrr(value: Fraction) -> Fraction:
    return value * WEIGHT


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_for(ikm: Decimal | float) -> str:
    """A 88.31–100.00, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99, on the IKM rounded to two decimals."""
    value = round_half_up(Decimal(str(ikm)))
    for lowest, grade in GRADES:
        if value >= lowest:
            return grade
    return "D"


def index_compute(responses: Sequence[Sequence[int | None]]) -> IndexResult:
    """The IKM of a set of responses, each nine scores (1–4 or None) in the regulation's element order.

    IKM = Σ (NRR × 1/9) × 25 over the elements; an element nobody answered is left out of the sum, so a set
    with a blank element cannot reach 100 (the regulation assumes every element was answered).
    """
    totals = []
    for index in range(ELEMENT_COUNT):
        column = []
        for response in responses:
            if len(response) != ELEMENT_COUNT:
                raise ValueError(f"a response needs {ELEMENT_COUNT} scores, got {len(response)}")
            column.append(response[index])
        nrr(column)  # checks every score's range
        filled = [s for s in column if s is not None]
        totals.append((sum(filled), len(filled)))
    return index_from_totals(totals)


def index_from_totals(totals: Sequence[tuple[int, int]]) -> IndexResult:
    """The same IKM from each element's (sum of its scores, number of filled answers), in the regulation's order:
    what a database sums without handing every answer over (the scores' range is its check constraint's)."""
    elements = []
    for index, (total, answers) in enumerate(totals):
        value = Fraction(total, answers) if answers else None
        elements.append(
            ElementIndex(
                element=index + 1,
                total=total,
                answers=answers,
                nrr=value,
                weighted_nrr=None if value is None else weighted_nrr(value),
            )
        )
    weighted = [e.weighted_nrr for e in elements if e.weighted_nrr is not None]
    if not weighted:
        return IndexResult(elements=tuple(elements), ikm=None, grade="")
    ikm = round_half_up(sum(weighted, Fraction(0)) * CONVERSION)
    return IndexResult(elements=tuple(elements), ikm=ikm, grade=grade_for(ikm))


def sample_minimum(population: int) -> int:
    """Krejcie & Morgan: S = 3.841·N·0.25 / (0.0025·(N−1) + 3.841·0.25), rounded to the nearest respondent.

    Rounded half up, as the regulation's table does (N=100 → 80, N=75,000 → 382).
    """
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    p = Fraction(1, 4)
    d2 = Fraction(25, 10000)
    value = chi * population * p / (d2 * (population - 1) + chi * p)
    return int(round_half_up(value, 0))
