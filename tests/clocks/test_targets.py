"""Targets per service and per stage, seeded from the seed's figures and editable by the office."""

import pytest

from pencet.catalog.models import Service, Stage, StageTarget
from pencet.catalog.services import catalog_seed, service_same_day, service_stage_minutes

pytestmark = pytest.mark.django_db


def test_every_service_is_seeded_with_the_seeds_figures(catalog):
    for service in Service.objects.all():
        minutes = dict(service.stage_targets.values_list("stage", "minutes"))
        assert minutes[Stage.REVIEW] == 15  # completeness check within 15 minutes instead of 1–2 hours
        # The document issued about 15 minutes after SIAK input: verification plus signature.
        assert minutes[Stage.VERIFICATION] + minutes[Stage.SIGNATURE] == 15
        assert Stage.SIAK in minutes
        assert Stage.WAITING_CITIZEN not in minutes  # the citizen's time has no target


def test_sehari_jadi_is_the_default_and_marriage_and_divorce_take_longer(catalog):
    assert Service.objects.get(code="akta-kelahiran").same_day
    assert not Service.objects.get(code="akta-perkawinan").same_day
    assert Service.objects.get(code="akta-perkawinan").target_working_hours == 16
    assert not Service.objects.get(code="akta-perceraian").same_day


def test_the_seed_keeps_an_offices_own_targets(catalog):
    StageTarget.objects.filter(service__code="kia", stage=Stage.REVIEW).update(minutes=20)
    catalog_seed()
    assert StageTarget.objects.get(service__code="kia", stage=Stage.REVIEW).minutes == 20


def test_a_bundle_uses_the_longest_of_its_components(catalog):
    one_three = Service.objects.get(code="one-three")  # akta kelahiran + KK perubahan + KIA
    StageTarget.objects.filter(service__code="kia", stage=Stage.SIAK).update(minutes=50)
    StageTarget.objects.filter(service__code="akta-kelahiran", stage=Stage.SIAK).update(minutes=40)
    StageTarget.objects.filter(service=one_three, stage=Stage.SIAK).update(minutes=5)
    assert service_stage_minutes(service=one_three, stage=Stage.SIAK) == 50
    assert service_stage_minutes(service=one_three, stage=Stage.REVIEW) == 15
    assert service_stage_minutes(service=one_three, stage=Stage.WAITING_CITIZEN) is None
    assert service_same_day(service=one_three)
    Service.objects.filter(code="kk-perubahan").update(same_day=False)
    assert not service_same_day(service=Service.objects.get(code="one-three"))


def test_the_demo_office_opens_monday_to_thursday_until_four_and_friday_until_half_past(regions):
    from datetime import time

    from pencet.accounts.services import demo_office_seed

    office = demo_office_seed(password="rahasia-uji-123")
    hours = {h.weekday: (h.opens_at, h.closes_at) for h in office.opening_hours.all()}
    assert hours == {
        1: (time(8), time(16)),
        2: (time(8), time(16)),
        3: (time(8), time(16)),
        4: (time(8), time(16)),
        5: (time(8), time(16, 30)),
    }
    assert (office.cutoff_time, office.next_day_hour) == (time(14), time(12))
    demo_office_seed(password="rahasia-uji-123")  # again: nothing doubled
    assert office.opening_hours.count() == 5
