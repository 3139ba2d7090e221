"""Drafts nobody touched for PENCET_DRAFT_EXPIRY_DAYS expire; the citizen is told (through the expire event)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.models import Application, Status

from .conversation import State
from .models import Conversation


def drafts_expire(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.PENCET_DRAFT_EXPIRY_DAYS)
    # A conversation still moving counts as the draft being worked on.
    stale = Application.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).exclude(
        conversations__updated_at__gte=cutoff
    )
    count = 0
    for application in stale.iterator():
        with transaction.atomic():
            try:
                cases.application_expire(application=application)
            except cases.TransitionError:
                continue
            Conversation.objects.filter(application=application).update(state=State.MENU, data={}, application=None)
        count += 1
    return count
