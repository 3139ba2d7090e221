"""What the citizen is told when their application changes state (called by pencet.cases.services)."""

from django.utils import translation

from pencet.cases.models import Application, DeliveryPreference, Event, Status
from pencet.catalog.models import MessageTemplate
from pencet.whatsapp.models import Contact
from pencet.whatsapp.services import outbox_enqueue

from . import messages as m

# Internal steps of the back office; the citizen hears about them only through `status`, except the
# first time an operator picks the application up (a sign of progress worth one short message).
SILENT = {"release", "take_over", "complete_siak", "approve", "send_back"}


def application_recipient(*, application: Application) -> Contact | None:
    """The citizen's contact, or for a village-staff application the staff member's own WhatsApp contact."""
    if application.contact_id:
        return application.contact
    if application.submitted_by_id:
        return (
            Contact.objects.filter(staff_user_id=application.submitted_by_id, office_id=application.office_id)
            .order_by("-last_inbound_at", "-pk")
            .first()
        )
    return None


def application_notify(*, application: Application, event: Event) -> None:
    """Enqueue the WhatsApp message(s) an event causes, in the caller's transaction."""
    if event.kind in SILENT:
        return
    contact = application_recipient(application=application)
    if contact is None:
        return
    with translation.override(contact.language or "id"):
        _notify(application=application, event=event, contact=contact)


def _notify(*, application: Application, event: Event, contact: Contact) -> None:
    code = application.tracking_code
    name = application.applicant_name or "-"
    office = application.office
    status_params = [name, code, str(application.get_status_display())]

    def send(body: str, template_event: str = MessageTemplate.Event.STATUS_UPDATE, params: list | None = None) -> None:
        outbox_enqueue(
            contact=contact,
            kind="text",
            payload={"body": body},
            application=application,
            template_event=template_event,
            template_params=params or status_params,
        )

    kind = event.kind
    if kind == "submit":
        due = m.format_datetime(application.due_at, tz=office.time_zone) if application.due_at else "-"
        send(m.notify_submitted(code=code, service=application.service.name, name=name, due=due))
    elif kind == "resubmit":
        send(m.notify_resubmitted(code=code))
    elif kind == "return":
        items = [
            m.returned_item(name=i.get("name", ""), verdict=_verdict(i.get("verdict", "")), reason=i.get("reason", ""))
            for i in event.data.get("items", [])
        ]
        send(
            m.notify_returned(code=code, items=items, note=event.note),
            MessageTemplate.Event.MISSING_ITEMS,
            [name, code, "; ".join(items)[:900]],
        )
        from .services import conversation_fix_start

        conversation_fix_start(application=application, contact=contact)
    elif kind == "accept":
        send(m.notify_accepted(code=code))
    elif kind == "claim":
        if not application.events.filter(kind="claim").exclude(pk=event.pk).exists():
            send(m.notify_in_process(code=code))
    elif kind == "reject":
        send(m.notify_rejected(code=code, reason=application.close_reason or event.note))
    elif kind == "sign" and application.status == Status.READY:
        params = [name, code, application.service.name]
        if application.delivery_preference == DeliveryPreference.PICKUP:
            hours = f"{office.opens_at:%H.%M}–{office.closes_at:%H.%M}"
            body = m.notify_ready_pickup(code=code, office=office.name, address=office.address, hours=hours)
        else:
            body = m.notify_ready_sent(code=code, channel=application.get_delivery_preference_display())
        send(body, MessageTemplate.Event.DOCUMENT_READY, params)
    elif kind == "deliver":
        channel = event.data.get("channel") or application.get_delivery_preference_display()
        label = dict(DeliveryPreference.choices).get(channel, channel)
        send(m.notify_delivered(code=code, channel=str(label)))
    elif kind == "pick_up":
        send(m.notify_picked_up(code=code))
    elif kind == "cancel":
        send(m.notify_cancelled(code=code))
    elif kind == "expire":
        from django.conf import settings

        send(
            m.notify_expired(code=code, service=application.service.name, days=settings.PENCET_DRAFT_EXPIRY_DAYS),
            MessageTemplate.Event.DRAFT_EXPIRED,
            [name, code],
        )


def _verdict(value: str) -> str:
    from pencet.cases.models import ReviewItem

    return str(dict(ReviewItem.Verdict.choices).get(value, value))
