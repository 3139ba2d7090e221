"""/metrics counts late stages from the service clocks, per office and stage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.models import Application, Status
from pencet.cases.models_clocks import StageTimer
from pencet.reports.sla import sla_overdue_now

from .test_health_and_metrics import TOKEN, scrape


@pytest.fixture(autouse=True)
def metrics_token(settings):
    settings.PENCET_METRICS_TOKEN = TOKEN
    settings.PENCET_METRICS_ALLOWED_IPS = []


def stage(application, name: str, *, due_in: timedelta | None, ended: bool = False) -> None:
    now = timezone.now()
    StageTimer.objects.create(
        application=application,
        office_id=application.office_id,
        stage=name,
        started_at=now - timedelta(hours=3),
        ended_at=now - timedelta(minutes=5) if ended else None,
        target_minutes=None if due_in is None else 60,
        due_at=None if due_in is None else now + due_in,
    )


def test_overdue_per_stage_counts_only_running_clocks_past_their_target(client, office, other_office, akta_kelahiran):
    siti = cases.application_create(office=office, service=akta_kelahiran, applicant_name="Siti")
    nur = cases.application_create(office=office, service=akta_kelahiran, applicant_name="Nur")
    rina = cases.application_create(office=other_office, service=akta_kelahiran, applicant_name="Rina")
    Application.objects.filter(pk__in=[siti.pk, nur.pk, rina.pk]).update(status=Status.SUBMITTED)
    StageTimer.objects.all().delete()
    late = -timedelta(minutes=30)
    stage(siti, "review", due_in=late, ended=True)  # finished late: history, not a current alert
    stage(siti, "siak", due_in=late)
    stage(nur, "siak", due_in=late)
    stage(nur, "verification", due_in=timedelta(hours=1))  # still within its target
    stage(rina, "review", due_in=late)
    stage(rina, "waiting_citizen", due_in=None)  # the citizen's turn has no target

    text = scrape(client)
    assert 'pencet_stages_overdue{office="SNJ",stage="siak"} 2.0' in text
    assert 'pencet_stages_overdue{office="BNE",stage="review"} 1.0' in text
    assert 'stage="verification"' not in text
    assert 'stage="waiting_citizen"' not in text
    assert 'pencet_stages_overdue{office="SNJ",stage="review"}' not in text
    # The head of office's dashboard counts the same two, by the same rule.
    assert sla_overdue_now(offices=[office])["count"] == 2


def test_a_stage_of_an_application_already_closed_is_not_counted_as_overdue(client, office, akta_kelahiran):
    """A clock left running under a rejected application (as an import or a repair can leave it) alarms nobody:
    neither the operator's graph nor the dashboard."""
    siti = cases.application_create(office=office, service=akta_kelahiran, applicant_name="Siti")
    Application.objects.filter(pk=siti.pk).update(status=Status.REJECTED)
    StageTimer.objects.all().delete()
    stage(siti, "review", due_in=-timedelta(minutes=30))

    assert 'pencet_stages_overdue{office="SNJ"' not in scrape(client)
    assert sla_overdue_now(offices=[office])["count"] == 0
