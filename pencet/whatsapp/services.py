"""WhatsApp channel services. Contract used by the bot, the console and the state machine:

    outbox_enqueue(*, contact, kind, payload, ...) -> OutboundMessage

writes the outbound row in the caller's transaction and sends it after commit through Huey.
Payload shapes by kind (our own terms; the Graph client turns them into Cloud API JSON):
    text:     {"body": str}
    buttons:  {"body": str, "buttons": [{"id": str, "title": str}], "header"?: str, "footer"?: str}
    list:     {"body": str, "button": str, "sections": [{"title": str, "rows": [{"id", "title", "description"?}]}],
               "header"?: str, "footer"?: str}
    document: {"storage_name": str, "filename": str, "caption"?: str}
    template: {"name": str, "language": str, "params": [str, ...]}
"""

from django.db import transaction

from pencet.accounts.models import User

from .models import Contact, OutboundMessage


def outbox_enqueue(
    *,
    contact: Contact,
    kind: str,
    payload: dict,
    application: object | None = None,
    template_event: str = "",
    template_params: list[str] | None = None,
    sent_by: User | None = None,
    preview: str = "",
) -> OutboundMessage:
    message = OutboundMessage.objects.create(
        office_id=contact.office_id,
        contact=contact,
        application=application,
        kind=kind,
        payload=payload,
        preview=preview or payload.get("body", "") or payload.get("caption", ""),
        template_event=template_event,
        template_params=template_params or [],
        sent_by=sent_by,
    )
    transaction.on_commit(lambda: _schedule_send(message.pk))
    return message


def _schedule_send(message_id: int) -> None:
    from .tasks import outbox_send

    outbox_send(message_id)
