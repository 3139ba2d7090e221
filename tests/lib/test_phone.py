import pytest

from pencet.lib.phone import phone_normalize, phone_variants


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "6281234567890",
        "+62 (0)812 3456 7890",
        "0062 812 3456 7890",
        "０８１２３４５６７８９０",  # full-width digits from a phone keyboard
    ],
)
def test_every_way_of_typing_a_number_becomes_62_digits(typed):
    assert phone_normalize(typed) == "6281234567890"


@pytest.mark.parametrize("typed", ["", None, "-", "tidak ada", "0812", "62812345", "6281234567890123"])
def test_what_cannot_be_a_phone_number_is_none(typed):
    assert phone_normalize(typed) is None


def test_a_fixed_line_with_its_area_code_is_a_number_too():
    assert phone_normalize("(0411) 123456") == "62411123456"


def test_a_number_is_looked_up_in_every_form_people_stored_it_in():
    assert phone_variants("6281234567890") == {"6281234567890", "081234567890", "+6281234567890"}
    assert phone_variants("0812-3456-7890") == {"081234567890", "6281234567890", "+6281234567890"}


def test_the_start_of_a_number_in_a_search_box_has_its_variants_too():
    assert phone_variants("0812") == {"0812", "62812", "+62812"}
    assert phone_variants("tidak ada") == set()
