"""What the citizen is told when their application changes state.

`event_notify` is an Event subscriber (settings.PENCET_EVENT_SUBSCRIBERS): pencet.cases.events calls it once per
committed Event, after the transition's transaction. It words the message from the event itself (kind, to_status,
data, note), not from whatever the application has become since, because it may run seconds or a retry later.
"""

from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from pencet.bot.services import conversation_fix_start
from pencet.cases.events import event_subscriber
from pencet.cases.models import Application, DeliveryPreference, Event, EventKind, ReviewItem, Status
from pencet.cases.recipients import application_recipient
from pencet.catalog.models import MessageTemplate
from pencet.delivery.services import receipt_render
from pencet.whatsapp.models import Contact
from pencet.whatsapp.selectors import contact_window_open
from pencet.whatsapp.services import outbox_enqueue

from . import messages as m

# Internal steps of the back office; the citizen hears about them only through `status`, except the
# first time an operator picks the application up (a sign of progress worth one short message).
# A bundle's per-document SIAK input and verification are internal too; each document's signature is news.
SILENT = {
    EventKind.RELEASE,
    EventKind.TAKE_OVER,
    EventKind.COMPLETE_SIAK,
    EventKind.APPROVE,
    EventKind.SEND_BACK,
    EventKind.COMPONENT_SIAK,
    EventKind.COMPONENT_APPROVE,
    # Each document's own WhatsApp message or e-mail says which of how many it is (pencet.delivery).
    EventKind.COMPONENT_DELIVER,
}


def _receipt_send(*, application: Application, contact: Contact) -> None:
    """The tanda terima PDF (with its QR) as a document message; only inside the 24-hour window, since no
    template can carry a document and the status message already gives the code."""
    if not contact_window_open(contact=contact):
        return
    pdf = receipt_render(application=application)
    name = default_storage.save(f"receipts/{application.tracking_code}.pdf", ContentFile(pdf))
    outbox_enqueue(
        contact=contact,
        kind="document",
        payload={
            "storage_name": name,
            "filename": f"tanda-terima-{application.tracking_code}.pdf",
            "caption": m.receipt_caption(code=application.tracking_code),
        },
        application=application,
    )


@event_subscriber(when=lambda event: event.kind not in SILENT)
def event_notify(*, event: Event) -> None:
    """Enqueue the WhatsApp message(s) an event causes, in the subscriber's transaction (pencet.cases.events)."""
    if event.kind in SILENT:
        return
    application = event.application
    contact = application_recipient(application=application)
    if contact is None:
        return
    with translation.override(contact.language or "id"):
        _notify(application=application, event=event, contact=contact)


def _notify(*, application: Application, event: Event, contact: Contact) -> None:
    code = application.tracking_code
    name = application.applicant_name or "-"
    office = application.office
    status = Status(event.to_status).label if event.to_status else application.get_status_display()
    status_params = [name, code, str(status)]

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
    if kind == EventKind.SUBMIT:
        due_at = datetime.fromisoformat(event.data["due_at"]) if event.data.get("due_at") else application.due_at
        due = m.format_datetime(due_at, tz=office.time_zone) if due_at else "-"
        send(m.notify_submitted(code=code, service=application.service.name, name=name, due=due))
        _receipt_send(application=application, contact=contact)
    elif kind == EventKind.RESUBMIT:
        send(m.notify_resubmitted(code=code))
    elif kind == EventKind.DUE_CHANGED and event.data.get("due_at"):
        due = m.format_datetime(datetime.fromisoformat(event.data["due_at"]), tz=office.time_zone)
        send(m.notify_due_changed(code=code, due=due))
    elif kind == EventKind.RETURN:
        items = [
            m.returned_item(name=i.get("name", ""), verdict=_verdict(i.get("verdict", "")), reason=i.get("reason", ""))
            for i in event.data.get("items", [])
        ]
        send(
            m.notify_returned(code=code, items=items, note=event.note),
            MessageTemplate.Event.MISSING_ITEMS,
            [name, code, "; ".join(items)[:900]],
        )
        conversation_fix_start(application=application, contact=contact)
    elif kind == EventKind.ACCEPT:
        send(m.notify_accepted(code=code))
    elif kind == EventKind.CLAIM:
        # Only the first pick-up is news; "first" as of this event, whatever claims came after it.
        if not application.events.filter(kind=EventKind.CLAIM, pk__lt=event.pk).exists():
            send(m.notify_in_process(code=code))
    elif kind == EventKind.REJECT:
        send(m.notify_rejected(code=code, reason=event.note))
    elif kind in _LATE:
        send(_LATE[kind]() % {"code": code, "reason": event.note})
    elif kind == EventKind.COMPONENT_SIGN:
        data = event.data
        send(
            m.notify_document_signed(
                code=code, document=data.get("document", ""), done=data.get("done", 0), total=data.get("total", 0)
            )
        )
    elif kind == EventKind.COMPONENT_PICK_UP:
        data = event.data
        send(
            m.notify_document_handed_over(
                code=code,
                document=data.get("document", ""),
                done=data.get("done", 0),
                total=data.get("total", 0),
                collected_by=data.get("collected_by", ""),
            )
        )
    elif kind == EventKind.SIGN and event.to_status == Status.READY:
        params = [name, code, application.service.name]
        preference = event.data.get("delivery_preference", application.delivery_preference)
        if preference == DeliveryPreference.PICKUP:
            hours = f"{office.opens_at:%H.%M}–{office.closes_at:%H.%M}"
            body = m.notify_ready_pickup(code=code, office=office.name, address=office.address, hours=hours)
        else:
            body = m.notify_ready_sent(code=code, channel=str(DeliveryPreference(preference).label))
            if event.data.get("pickup_documents"):
                hours = f"{office.opens_at:%H.%M}–{office.closes_at:%H.%M}"
                cards = m.notify_cards_pickup(documents=event.data["pickup_documents"], office=office.name, hours=hours)
                body = f"{body}\n{cards}"
        send(body, MessageTemplate.Event.DOCUMENT_READY, params)
    elif kind == EventKind.DELIVER:
        channel = event.data.get("channel") or application.get_delivery_preference_display()
        label = dict(DeliveryPreference.choices).get(channel, channel)
        send(m.notify_delivered(code=code, channel=str(label)))
    elif kind == EventKind.PICK_UP:
        send(m.notify_picked_up(code=code))
    elif kind == EventKind.CANCEL and not event.data.get("replaced"):
        send(m.notify_cancelled(code=code))
    elif kind == EventKind.EXPIRE:
        send(
            m.notify_expired(code=code, service=application.service.name, days=settings.PENCET_DRAFT_EXPIRY_DAYS),
            MessageTemplate.Event.DRAFT_EXPIRED,
            [name, code],
        )


# The late-registration step (a registration past its legal deadline needs the head of office's decision).
_LATE = {
    EventKind.REFER_LATE: lambda: _(
        "Berkas permohonan %(code)s lengkap. Karena pelaporannya melewati batas waktu, permohonan diteruskan ke "
        "kepala dinas untuk keputusan pencatatan terlambat. Kami kabari lagi setelah ada keputusan."
    ),
    EventKind.APPROVE_LATE: lambda: _(
        "Kepala dinas menyetujui pencatatan terlambat untuk permohonan %(code)s; permohonan kini diproses di SIAK."
    ),
    EventKind.REJECT_LATE: lambda: _(
        "Mohon maaf, kepala dinas tidak menyetujui pencatatan terlambat untuk permohonan %(code)s. "
        "Alasan: %(reason)s\nKetik *petugas* bila ada pertanyaan."
    ),
}


def _verdict(value: str) -> str:
    return str(dict(ReviewItem.Verdict.choices).get(value, value))
