"""The index of PermenPANRB 14/2017, checked against figures worked out by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from pencet.lib.ikm import grade_for, index_compute, index_from_totals, nrr, sample_minimum

# Four questionnaires; the fourth left element 8 blank.
FOUR = [
    [4, 4, 3, 4, 3, 4, 4, 3, 4],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
    [4, 3, 2, 4, 4, 4, 4, 3, 3],
    [3, 4, 3, 4, 3, 3, 3, None, 4],
]


def test_the_nrr_of_an_element_counts_only_the_filled_answers():
    assert nrr([3, 2, 3, None]) == Fraction(8, 3)
    assert nrr([None, None]) is None


def test_a_score_outside_one_to_four_is_refused():
    with pytest.raises(ValueError):
        nrr([5])
    with pytest.raises(ValueError):
        nrr([0])


def test_four_questionnaires_give_the_hand_computed_nrr_and_ikm():
    result = index_compute(FOUR)
    by_element = {e.element: e for e in result.elements}
    # U1 14/4, U3 11/4, U4 16/4, U8 8/3 (three answers).
    assert by_element[1].nrr == Fraction(7, 2) and by_element[1].answers == 4
    assert by_element[3].nrr == Fraction(11, 4)
    assert by_element[4].nrr == 4
    assert by_element[8].total == 8 and by_element[8].answers == 3
    assert float(by_element[8].weighted_nrr) == pytest.approx(0.296296, abs=1e-6)
    # Σ NRR = 365/12; × 1/9 × 25 = 84.4907… → 84.49, grade B.
    assert result.ikm == Decimal("84.49")
    assert result.grade == "B"


def test_all_fours_are_one_hundred_and_all_ones_twenty_five():
    assert index_compute([[4] * 9]).ikm == Decimal("100.00")
    assert index_compute([[1] * 9]).ikm == Decimal("25.00")
    assert index_compute([[3] * 9]).ikm == Decimal("75.00")


def test_no_answers_have_no_index():
    result = index_compute([])
    assert result.ikm is None and result.grade == ""


def test_a_response_with_eight_scores_is_refused():
    with pytest.raises(ValueError):
        index_compute([[4] * 8])


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_the_grade_follows_the_regulation_table(ikm, grade):
    assert grade_for(Decimal(ikm)) == grade


@pytest.mark.parametrize(
    ("population", "sample"), [(0, 0), (100, 80), (1000, 278), (10000, 370), (75000, 382), (1_000_000, 384)]
)
def test_the_krejcie_morgan_sample_matches_the_published_table(population, sample):
    assert sample_minimum(population) == sample


def test_the_four_questionnaires_summed_per_element_give_the_same_index():
    """What the database hands the dashboard: per element the sum of the scores and how many answered it."""
    by_hand = [(14, 4), (14, 4), (11, 4), (16, 4), (13, 4), (14, 4), (15, 4), (8, 3), (14, 4)]
    result = index_from_totals(by_hand)
    assert result.ikm == Decimal("84.49")
    assert result.grade == "B"
    assert index_from_totals([(0, 0)] * 9).ikm is None
