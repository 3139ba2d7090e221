"""Event subscribers (settings.PENCET_EVENT_SUBSCRIBERS): called after commit, once per (event, subscriber)."""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from pencet.cases.events import event_subscriber
from pencet.cases.models import Event

from .services import survey_invitation_create, survey_invitation_send

INVITING_KINDS = {"deliver", "pick_up"}


@event_subscriber(when=lambda event: event.kind in INVITING_KINDS)
def survey_invite(*, event: Event) -> None:
    """After delivery or pickup: invite the citizen to the survey on WhatsApp, once per application.

    Only the citizen's own contact is invited: for an application made by village staff the staff member is the
    WhatsApp contact, and their opinion is not the citizen's; those citizens answer at the kiosk or on paper.
    """
    if event.kind not in INVITING_KINDS:
        return
    application = event.application
    if application.contact_id is None:
        return
    office = application.office
    on = timezone.localtime(event.created_at, ZoneInfo(office.time_zone)).date()
    with transaction.atomic():
        invitation = survey_invitation_create(application=application, contact=application.contact, on=on)
        if invitation is not None:
            survey_invitation_send(invitation=invitation)
