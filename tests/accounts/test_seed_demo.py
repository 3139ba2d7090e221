"""The demo office a new regency sees after `make run`."""

import pytest
from django.core.management import call_command

from pencet.accounts.models import Office, User
from pencet.accounts.services import demo_office_seed
from pencet.catalog.models import MessageTemplate, Service
from pencet.regions.models import Region


def test_the_demo_office_has_one_account_per_role_with_the_demo_password(db, settings):
    settings.PENCET_DEMO_PASSWORD = "sandi-demo-uji"
    office = demo_office_seed()
    assert office.name == "Disdukcapil Kabupaten Sinjai" and office.code == "SNJ" and office.is_demo
    assert office.regency_id == "73.07"
    assert office.whatsapp_phone_number_id == settings.WHATSAPP_PHONE_NUMBER_ID
    roles = ["petugas_layanan", "operator_siak", "verifikator", "penandatangan", "pimpinan", "aparat_desa", "admin"]
    assert sorted(User.objects.filter(office=office).values_list("username", flat=True)) == sorted(roles)
    for role in roles:
        user = User.objects.get(username=role)
        assert user.check_password("sandi-demo-uji"), role
        assert user.office == office and user.roles == {role}
    village_staff = User.objects.get(username="aparat_desa")
    assert list(village_staff.villages.values_list("code", flat=True)) == ["73.07.07.2007"]
    assert village_staff.whatsapp_number == "6281355500007"
    admin = User.objects.get(username="admin")
    # An office admin scoped to Sinjai in the Django admin; operators make their own superuser.
    assert admin.is_staff and not admin.is_superuser
    assert not User.objects.get(username="pimpinan").is_staff


def test_seeding_twice_duplicates_nothing_and_resets_the_password(db):
    demo_office_seed(password="sandi-pertama")
    counts = (Office.objects.count(), User.objects.count(), MessageTemplate.objects.count(), Service.objects.count())
    User.objects.filter(username="verifikator").update(is_active=False)
    demo_office_seed(password="sandi-kedua")
    assert counts == (
        Office.objects.count(),
        User.objects.count(),
        MessageTemplate.objects.count(),
        Service.objects.count(),
    )
    assert User.objects.get(username="verifikator").check_password("sandi-kedua")
    assert not User.objects.get(username="verifikator").check_password("sandi-pertama")


def test_the_demo_office_has_a_utility_template_for_every_event(db):
    office = demo_office_seed()
    templates = MessageTemplate.objects.filter(office=office)
    assert {t.event for t in templates} == {
        "status_update",
        "missing_items",
        "document_ready",
        "survey_invitation",
        "officer_message",
        "draft_expired",
        "appointment_reminder",
        "home_visit",
        "service_day_announcement",
        "programme_announcement",
    }
    for template in templates:
        assert template.name == f"pencet_{template.event}"
        assert template.language == "id" and template.category == "UTILITY"
        # Announcements (pencet.outreach) go to every follower alike, so they greet nobody by name.
        greeting = "Info {{1}}" if template.event.endswith("_announcement") else "Halo {{1}}"
        assert template.body_preview.startswith(greeting)
        assert len(template.body_parameters) == template.body_preview.count("{{")


@pytest.mark.slow
def test_the_seed_command_imports_every_region_once(db, capsys):
    call_command("seed-demo")
    output = capsys.readouterr().out
    assert "petugas_layanan" in output and "aparat_desa" in output
    regions = Region.objects.count()
    assert regions > 90_000
    assert Region.objects.filter(parent_id="73.07", level=3).count() == 9
    call_command("seed-demo")
    assert Region.objects.count() == regions
    assert "Mengimpor" not in capsys.readouterr().out
