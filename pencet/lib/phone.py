"""Phone numbers as WhatsApp and SIAK forms know them: the country code 62 and digits only ("6281234567890").

Citizens and officers type them every way: "0812-3456-7890", "+62 812 3456 7890", "62812…", "+62 (0)812…",
"0062 812…". One normaliser keeps the console, the API, the bot and the channel agreeing on who is who.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_DIGIT = re.compile(r"\D")
# The shortest Indonesian number with its country code (62 + a 7-digit fixed line) and E.164's maximum.
MIN_DIGITS = 9
MAX_DIGITS = 15


def _digits(value: str | None) -> str:
    # NFKC turns full-width digits from some phone keyboards into 0-9.
    return _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", value or ""))


def phone_normalize(value: str | None) -> str | None:
    """The number as "62…" digits, or None when what was typed cannot be a phone number (empty included)."""
    digits = _digits(value)
    if digits.startswith("00"):
        digits = digits[2:]  # the international call prefix: 0062 812… is +62 812…
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if digits.startswith("620"):
        digits = "62" + digits[3:]  # "+62 (0)812…": the trunk 0 never follows the country code
    return digits if MIN_DIGITS <= len(digits) <= MAX_DIGITS else None


def phone_variants(value: str | None) -> set[str]:
    """The forms a (possibly partial) number may have been stored in by hand: as typed, 0…, 62… and +62….

    For lookups in fields people filled in before this normaliser existed, and for search boxes where an officer
    types the start of a number.
    """
    digits = _digits(value)
    if not digits:
        return set()
    variants = {digits}
    if digits.startswith("0"):
        variants |= {"62" + digits[1:], "+62" + digits[1:]}
    elif digits.startswith("62"):
        variants |= {"0" + digits[2:], "+" + digits}
    return variants
