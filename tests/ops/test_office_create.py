"""`pencet office-create`: a province adds its regencies one by one without the shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pencet.accounts.models import DayOff, Office, Role, User
from pencet.catalog.models import MessageTemplate, Service
from pencet.ops.models import OfficeRetention
from pencet.regions.models import Region


def create(*extra: str) -> str:
    out = StringIO()
    call_command(
        "office-create",
        "--regency", "73.08",
        "--name", "Disdukcapil Kabupaten Bone",
        "--code", "bne",
        "--phone-number-id", "100000000000002",
        "--admin-username", "admin_bone",
        "--admin-email", "admin@bone.go.id",
        *extra,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_a_new_office_gets_its_regions_catalogue_templates_calendar_and_first_admin(no_regions):
    assert not Region.objects.filter(code="73.08").exists()
    out = create("--admin-password", "sandi-awal-bone-1")
    office = Office.objects.get(code="BNE")
    assert office.regency.name.upper().endswith("BONE")
    assert office.time_zone == "Asia/Makassar"  # Sulawesi Selatan is WITA
    assert office.whatsapp_phone_number_id == "100000000000002"
    assert Region.objects.filter(code__startswith="73.08.", level=Region.Level.VILLAGE).count() > 300
    assert Service.objects.filter(is_active=True).count() >= 15
    assert set(MessageTemplate.objects.filter(office=office).values_list("event", flat=True)) == set(
        MessageTemplate.Event.values
    )
    # The government's joint leave days of 2026 (cuti bersama), e.g. the day after Nyepi's eve.
    assert DayOff.objects.filter(office=office, date="2026-03-18").exists()
    admin = User.objects.get(username="admin_bone")
    assert admin.office == office and admin.roles == {Role.ADMIN} and admin.is_staff
    assert admin.check_password("sandi-awal-bone-1")
    assert OfficeRetention.objects.get(office=office).photo_retention_days == 365
    assert "Kantor dibuat: Disdukcapil Kabupaten Bone (BNE)" in out


def test_without_a_password_one_is_made_up_and_printed_once(db):
    out = create()
    line = next(line for line in out.splitlines() if "kata sandi:" in line)
    password = line.split("kata sandi: ")[1].split(" ")[0]
    assert User.objects.get(username="admin_bone").check_password(password)


def test_the_same_code_twice_is_refused_in_plain_words(db):
    create()
    with pytest.raises(CommandError, match="Kode kantor BNE sudah dipakai"):
        create()


def test_an_unknown_regency_is_refused(db):
    with pytest.raises(CommandError, match="99.99 tidak dikenal"):
        call_command(
            "office-create", "--regency", "99.99", "--name", "X", "--code", "XXX",
            "--admin-username", "x", "--admin-email", "x@x.id",
        )  # fmt: skip
