"""An officer writes to an applicant from the office's WhatsApp number (console and API alike)."""

from django.db import transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import User
from pencet.whatsapp.models import Contact, OutboundMessage
from pencet.whatsapp.services import outbox_enqueue

from .models import Application
from .policies import message_refusal
from .recipients import application_phone_contact
from .services import TransitionError, refusal_error

MESSAGE_MAX_CHARS = 4000


def _contact_for(*, application: Application) -> Contact | None:
    """The applicant themself: their WhatsApp contact, else the phone on the application (a village-staff
    application's officer message goes to the citizen, not to the staff member who filed it)."""
    if application.contact_id:
        return application.contact
    return application_phone_contact(application=application)


@transaction.atomic
def officer_message_send(*, application: Application, actor: User, body: str) -> OutboundMessage:
    """An officer writes to the applicant; outside the 24-hour window the outbox sends the officer_message
    template instead, with the text as its parameter."""
    refusal = message_refusal(application=application, user=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    body = body.strip()
    if not body:
        raise TransitionError(_("Pesan tidak boleh kosong."), code="empty")
    if len(body) > MESSAGE_MAX_CHARS:
        raise TransitionError(_("Pesan terlalu panjang (maksimal 4.000 karakter)."), code="too_long")
    contact = _contact_for(application=application)
    if contact is None:
        raise TransitionError(_("Pemohon tidak memiliki nomor WhatsApp."), code="no_contact")
    if application.contact_id is None:
        Application.objects.filter(pk=application.pk).update(contact=contact)
        application.contact = contact
    return outbox_enqueue(
        contact=contact,
        kind="text",
        payload={"body": body},
        application=application,
        sent_by=actor,
        template_event="officer_message",
        template_params=[application.applicant_name or "-", application.tracking_code, body],
    )
