"""Dates as people type them: 17-08-2026, 17/8/26, 17 Agustus 2026, 2026-08-17 (Indonesian or English months)."""

import re
from datetime import date

from .commands import normalize

MONTH_NAMES = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
    "december": 12,
    "dec": 12,
}


def date_parse(text: str, *, today: date) -> date | None:
    """17-08-2026, 17/8/26, 17.08.2026, 17 Agustus 2026, 2026-08-17; None if unreadable or in the future."""
    clean = normalize(text).replace("/", "-").replace(".", "-")
    parts = re.split(r"[\s-]+", clean)
    if len(parts) != 3:
        return None
    try:
        if len(parts[0]) == 4 and parts[0].isdigit():
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
        else:
            day = int(parts[0])
            month = int(parts[1]) if parts[1].isdigit() else MONTH_NAMES.get(parts[1], 0)
            year = int(parts[2])
        if year < 100:
            year += 2000 if 2000 + year <= today.year else 1900
        value = date(year, month, day)
    except ValueError:
        return None
    if value > today or value.year < 1900:
        return None
    return value
