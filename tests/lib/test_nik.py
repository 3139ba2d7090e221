import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from pencet.lib.nik import RegionRef, kk_parse, nik_compare, nik_parse
from pencet.regions.models import Region
from pencet.regions.selectors import region_names

# A fixed "today" so century and leap-year cases do not drift with the calendar.
TODAY = date(2026, 6, 1)

pytestmark = pytest.mark.django_db


def nik(*, region: str = "730707", day: str = "01", month: str = "01", yy: str = "90", serial: str = "0001") -> str:
    return region + day + month + yy + serial


@pytest.mark.parametrize(
    ("value", "sex", "birth_date"),
    [
        (nik(day="17", month="08", yy="85"), "L", date(1985, 8, 17)),
        (nik(day="57", month="08", yy="85"), "P", date(1985, 8, 17)),  # women: day + 40
        (nik(day="31", month="12", yy="99"), "L", date(1999, 12, 31)),
        (nik(day="71", month="01", yy="01"), "P", date(2001, 1, 31)),
        (nik(day="41", month="05", yy="26"), "P", date(2026, 5, 1)),  # a baby born this year
        (nik(day="01", month="07", yy="26"), "L", date(1926, 7, 1)),  # 2026-07-01 is still ahead: a century ago
        (nik(day="29", month="02", yy="00"), "L", date(2000, 2, 29)),  # 2000 was a leap year
        (nik(day="69", month="02", yy="96"), "P", date(1996, 2, 29)),
        (nik(day="29", month="02", yy="24"), "L", date(2024, 2, 29)),
        (nik(day="29", month="02", yy="28"), "L", date(1928, 2, 29)),  # 2028 is ahead, 1928 was a leap year
        ("7307 0741 0190 0001", "P", date(1990, 1, 1)),  # typed in groups, as on the card
        ("7307.07.410190.0001", "P", date(1990, 1, 1)),
        (" 7307074101900001 ", "P", date(1990, 1, 1)),
    ],
)
def test_a_well_formed_nik_is_valid_and_tells_sex_and_birth_date(regions, value, sex, birth_date):
    check = nik_parse(value=value, today=TODAY)
    assert check.valid, check.errors
    assert check.errors == ()
    assert check.sex == sex
    assert check.birth_date == birth_date
    assert check.province == RegionRef("73", "Sulawesi Selatan")
    assert check.regency == RegionRef("73.07", "Kabupaten Sinjai")
    assert check.district == RegionRef("73.07.07", "Sinjai Borong")
    assert check.regency_kind == "kabupaten"


@pytest.mark.parametrize(
    ("value", "code", "in_message"),
    [
        (nik(day="00"), "day", "tertulis 00"),
        (nik(day="32"), "day", "tertulis 32"),
        (nik(day="40"), "day", "tertulis 40"),
        (nik(day="72"), "day", "tertulis 72"),
        (nik(month="13"), "month", "tertulis 13"),
        (nik(month="00"), "month", "tertulis 00"),
        (nik(day="30", month="02"), "date", "30-02-90"),
        (nik(day="31", month="04"), "date", "31-04-90"),
        (nik(day="29", month="02", yy="01"), "date", "29-02-01"),  # 2001 and 1901: no leap day
        (nik(day="69", month="02", yy="27"), "date", "29-02-27"),  # 2027 is ahead and 1927 had no leap day
        (nik(serial="0000"), "serial", "0000"),
        ("730707010190001", "length", "15 digit"),
        ("73070701019000011", "length", "17 digit"),
        ("7307", "length", "4 digit"),
        ("73070701O1900001", "not_digits", "angka"),  # letter O for zero
        ("NIK saya 7307070101900001", "not_digits", "angka"),
        ("", "empty", "belum diisi"),
        (nik(region="000707"), "province_zero", "provinsi"),
        (nik(region="730007"), "regency_zero", "kabupaten/kota"),
        (nik(region="730700"), "district_zero", "kecamatan"),
    ],
)
def test_a_malformed_nik_is_invalid_with_a_message_saying_what_is_wrong(regions, value, code, in_message):
    check = nik_parse(value=value, today=TODAY)
    assert not check.valid
    assert check.error_codes == [code]
    assert in_message in check.errors[0].message


def test_the_regions_above_a_00_code_are_still_named(regions):
    check = nik_parse(value=nik(region="730700"), today=TODAY)
    assert check.error_codes == ["district_zero"]
    assert check.warnings == ()
    assert check.province == RegionRef("73", "Sulawesi Selatan")
    assert check.regency == RegionRef("73.07", "Kabupaten Sinjai")
    assert check.district is None


def test_every_problem_of_a_nik_is_reported_at_once(regions):
    check = nik_parse(value="7307007213900000", today=TODAY)
    assert check.error_codes == ["district_zero", "day", "serial"]


@pytest.mark.parametrize(
    ("region", "warning", "province", "regency"),
    [
        ("990101", "province_unknown", None, None),
        ("737001", "regency_unknown", RegionRef("73", "Sulawesi Selatan"), None),
        ("730799", "district_unknown", RegionRef("73", "Sulawesi Selatan"), RegionRef("73.07", "Kabupaten Sinjai")),
    ],
)
def test_an_unknown_but_well_formed_region_is_a_warning_not_an_error(regions, region, warning, province, regency):
    check = nik_parse(value=nik(region=region), today=TODAY)
    assert check.valid
    assert check.warning_codes == [warning]
    assert "pemekaran" in check.warnings[0].message
    assert check.province == province
    assert check.regency == regency
    assert check.district is None


SINJAI_DISTRICTS = [
    ("73.07.01", "Sinjai Barat"),
    ("73.07.02", "Sinjai Selatan"),
    ("73.07.03", "Sinjai Timur"),
    ("73.07.04", "Sinjai Tengah"),
    ("73.07.05", "Sinjai Utara"),
    ("73.07.06", "Bulupoddo"),
    ("73.07.07", "Sinjai Borong"),
    ("73.07.08", "Tellu Limpoe"),
    ("73.07.09", "Pulau Sembilan"),
]


@pytest.mark.parametrize("imported", [True, False], ids=["after-import", "empty-table"])
@pytest.mark.parametrize(("code", "name"), SINJAI_DISTRICTS)
def test_a_sinjai_nik_names_its_district_with_or_without_an_import(request, imported, code, name):
    request.getfixturevalue("regions" if imported else "no_regions")
    assert Region.objects.exists() == imported
    check = nik_parse(value=nik(region=code.replace(".", "")), today=TODAY, region_names=region_names)
    assert check.valid
    assert check.warnings == ()
    assert check.district == RegionRef(code, name)


@pytest.mark.parametrize("imported", [True, False], ids=["after-import", "empty-table"])
def test_bonto_katute_is_a_village_of_sinjai_borong(request, imported):
    request.getfixturevalue("regions" if imported else "no_regions")
    names = region_names(codes=["73.07.07", "73.07.07.2007"])
    assert names == {"73.07.07": "Sinjai Borong", "73.07.07.2007": "Bonto Katute"}


def test_the_region_table_names_win_over_the_packaged_data(regions):
    Region.objects.filter(code="73.07.07").update(name="Sinjai Borong (diubah)")
    check = nik_parse(value=nik(), today=TODAY, region_names=region_names)
    assert check.district == RegionRef("73.07.07", "Sinjai Borong (diubah)")


def test_without_a_lookup_the_check_names_regions_from_the_packaged_data_alone(regions):
    Region.objects.filter(code="73.07.07").update(name="Sinjai Borong (diubah)")
    check = nik_parse(value=nik(), today=TODAY)
    assert check.district == RegionRef("73.07.07", "Sinjai Borong")


def test_the_lookup_the_caller_passes_names_the_regions():
    def names(*, codes):
        return {"73": "Provinsi Uji", "73.07": "Kabupaten Uji"}

    check = nik_parse(value=nik(), today=TODAY, region_names=names)
    assert (check.province, check.regency, check.district) == (
        RegionRef("73", "Provinsi Uji"),
        RegionRef("73.07", "Kabupaten Uji"),
        None,
    )
    assert [w.code for w in check.warnings] == ["district_unknown"]


@pytest.mark.parametrize(
    ("region", "kind"),
    [("730101", "kabupaten"), ("736901", "kabupaten"), ("737101", "kota"), ("739901", "kota"), ("737001", None)],
)
def test_the_regency_code_tells_kabupaten_from_kota(regions, region, kind):
    assert nik_parse(value=nik(region=region), today=TODAY).regency_kind == kind


def test_kota_makassar_is_a_kota(db):
    check = nik_parse(value=nik(region="737101"), today=TODAY)
    assert check.regency == RegionRef("73.71", "Kota Makassar")
    assert check.regency_kind == "kota"


WOMAN = nik(region="730707", day="57", month="08", yy="85", serial="0042")  # born 17 Aug 1985, Sinjai Borong


@pytest.mark.parametrize(
    ("said", "fields"),
    [
        ({"birth_date": date(1985, 8, 17), "sex": "P", "region_code": "73.07.07.2007"}, []),
        ({"birth_date": date(1985, 8, 17), "sex": "p", "region_code": "73.07"}, []),
        ({}, []),
        ({"birth_date": date(1985, 8, 18)}, ["birth_date"]),
        ({"sex": "L"}, ["sex"]),
        ({"region_code": "73.07.01.2001"}, ["region"]),
        ({"region_code": "73.08"}, ["region"]),
        ({"birth_date": date(1958, 8, 17), "sex": "L", "region_code": "74"}, ["birth_date", "sex", "region"]),
    ],
)
def test_the_nik_is_compared_with_what_the_applicant_said(regions, said, fields):
    check = nik_parse(value=WOMAN, today=TODAY)
    mismatches = nik_compare(check=check, **said)
    assert [m.field for m in mismatches] == fields
    assert all(m.message for m in mismatches)


def test_a_birth_date_mismatch_shows_both_dates(regions):
    check = nik_parse(value=WOMAN, today=TODAY)
    [mismatch] = nik_compare(check=check, birth_date=date(1985, 8, 18))
    assert "18-08-1985" in mismatch.message
    assert "17-08-1985" in mismatch.message


@pytest.mark.parametrize(
    ("value", "valid", "codes", "registered_on"),
    [
        ("7307071203150004", True, [], date(2015, 3, 12)),
        ("7307 0712 0315 0004", True, [], date(2015, 3, 12)),
        ("7307072902240001", True, [], date(2024, 2, 29)),
        ("7307072902230001", False, ["date"], None),
        ("7307073104150001", False, ["date"], None),
        ("7307070013150001", False, ["day"], None),
        ("7307074103150001", False, ["day"], None),  # no day + 40 on a KK
        ("7307071213150001", False, ["month"], None),
        ("7307071203150000", False, ["serial"], date(2015, 3, 12)),
        ("0007071203150004", False, ["province_zero"], date(2015, 3, 12)),
        ("730707120315000", False, ["length"], None),
        ("73070712031500041", False, ["length"], None),
        ("73070712O3150004", False, ["not_digits"], None),
    ],
)
def test_a_kk_number_structure_is_checked(regions, value, valid, codes, registered_on):
    check = kk_parse(value=value, today=TODAY)
    assert check.valid is valid
    assert check.error_codes == codes
    assert check.registered_on == registered_on


def test_a_kk_number_names_its_issuing_region(regions):
    check = kk_parse(value="7307071203150004", today=TODAY)
    assert check.district == RegionRef("73.07.07", "Sinjai Borong")


def test_a_kk_number_from_an_unknown_region_is_only_a_warning(regions):
    check = kk_parse(value="7307991203150004", today=TODAY)
    assert check.valid
    assert [w.code for w in check.warnings] == ["district_unknown"]


def _run_nik_command(value: str) -> tuple[dict, bool]:
    out = io.StringIO()
    try:
        call_command("nik", value, stdout=out)
    except CommandError as error:
        assert error.returncode == 1
        return json.loads(out.getvalue()), False
    return json.loads(out.getvalue()), True


@pytest.mark.parametrize("imported", [True, False], ids=["after-import", "empty-table"])
def test_the_nik_command_prints_what_a_valid_nik_encodes(request, imported):
    request.getfixturevalue("regions" if imported else "no_regions")
    result, succeeded = _run_nik_command("7307 0741 0190 0001")
    assert succeeded
    assert result == {
        "valid": True,
        "errors": [],
        "warnings": [],
        "sex": "P",
        "birth_date": "1990-01-01",
        "province": {"code": "73", "name": "Sulawesi Selatan"},
        "regency": {"code": "73.07", "name": "Kabupaten Sinjai"},
        "district": {"code": "73.07.07", "name": "Sinjai Borong"},
    }


def test_the_nik_command_exits_1_and_explains_an_invalid_nik(db):
    result, succeeded = _run_nik_command("730707410190")
    assert not succeeded
    assert result["valid"] is False
    assert result["errors"][0]["code"] == "length"
    assert "12 digit" in result["errors"][0]["message"]
    assert result["sex"] is None
    assert result["birth_date"] is None
    assert result["province"] is None


def test_the_nik_command_shows_a_warning_for_an_unknown_region(db):
    result, succeeded = _run_nik_command(nik(region="990101"))
    assert succeeded
    assert [w["code"] for w in result["warnings"]] == ["province_unknown"]
    assert result["province"] is None
