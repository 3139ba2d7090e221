"""The small parsers the conversation relies on: commands with typos, dates as people type them."""

from datetime import date

import pytest

from pencet.bot.commands import command_parse
from pencet.bot.services import date_parse

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("menu", "menu"),
        ("MENU", "menu"),
        ("meny", "menu"),
        ("stauts", "status"),
        ("cek status", "status"),
        ("btal", "cancel"),
        ("cancel", "cancel"),
        ("bantuan", "help"),
        ("help", "help"),
        ("petugs", "human"),
        ("officer", "human"),
        ("bahasa inggris", "english"),
        ("English", "english"),
    ],
)
def test_commands_are_recognised_with_typos_in_indonesian_and_english(text, name):
    assert command_parse(text=text).name == name


def test_status_with_a_tracking_code_carries_the_code():
    command = command_parse(text="status snj-2611-0042")
    assert (command.name, command.code) == ("status", "SNJ-2611-0042")


@pytest.mark.parametrize(
    "text", ["Sari Wahyuni", "bonto katute", "ya", "7307075205900001", "kapan selesai ya pak", "lansia", "Lansia"]
)
def test_ordinary_answers_are_not_mistaken_for_commands(text):
    assert command_parse(text=text) is None


def test_typo_guessing_is_off_while_the_citizen_types_data():
    assert command_parse(text="stauts", fuzzy=False) is None
    assert command_parse(text="status", fuzzy=False).name == "status"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17-08-2026", date(2026, 8, 17)),
        ("17/8/26", date(2026, 8, 17)),
        ("17.08.2026", date(2026, 8, 17)),
        ("17 Agustus 2026", date(2026, 8, 17)),
        ("2026-08-17", date(2026, 8, 17)),
        ("1 des 1990", date(1990, 12, 1)),
    ],
)
def test_dates_are_read_as_people_type_them(text, expected):
    assert date_parse(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "01-01-2027", "kemarin", "17-08"])
def test_impossible_or_future_dates_are_refused(text):
    assert date_parse(text, today=TODAY) is None
