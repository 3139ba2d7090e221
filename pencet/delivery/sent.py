"""What happens once a delivery is on its way: the e-mail is built and sent, the WhatsApp document's outbox status
is followed, and a sent delivery marks the application (or, for a bundle, its document) delivered.

Split from pencet.delivery.services, which re-exports delivery_outbound_update, deliveries_whatsapp_sync and
delivery_email_send for its callers.
"""

import logging
import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from pencet.cases.components import component_delivered
from pencet.cases.models import Application, Component, ComponentState, Status
from pencet.cases.services import application_mark_delivered, application_note_add
from pencet.whatsapp.models import OutboundMessage

from .models import Delivery, OutputDocument
from .receipts import public_status_url

logger = logging.getLogger(__name__)

# What the outbox statuses mean for a WhatsApp delivery.
_WHATSAPP_SENT = (OutboundMessage.Status.SENT, OutboundMessage.Status.DELIVERED, OutboundMessage.Status.READ)
_WHATSAPP_FAILED = (OutboundMessage.Status.FAILED,)


def output_document_place(*, output: OutputDocument, total: int) -> str:
    """ "Dokumen 1 dari 3": a bundle's document by its place in the bundle."""
    assert output.component is not None
    return _("Dokumen %(n)d dari %(total)d") % {"n": output.component.position, "total": total}


def output_document_name(*, output: OutputDocument) -> str:
    """What the document is: a bundle's document by its own service (akta, KK, KIA), otherwise the application's."""
    return (output.component.service if output.component_id else output.application.service).name


def _email_build(*, delivery: Delivery) -> EmailMessage:
    application = delivery.application
    office = application.office
    status_url = public_status_url(application=application)
    documents = list(delivery.documents.select_related("component__service", "application__service"))
    bundled = [d for d in documents if d.component_id]
    # A bundle's e-mail carries one document and says which of how many it is.
    service = output_document_name(output=bundled[0]) if bundled else application.service.name
    subject = _("Dokumen %(service)s sudah terbit — %(code)s") % {
        "service": service,
        "code": application.tracking_code,
    }
    if bundled:
        place = output_document_place(output=bundled[0], total=application.components.count())
        subject = _("%(place)s: %(service)s sudah terbit — %(code)s") % {
            "place": place,
            "service": service,
            "code": application.tracking_code,
        }
    body = _(
        "Yth. %(name)s,\n\n"
        "Dokumen hasil permohonan %(service)s dengan kode lacak %(code)s sudah selesai dan kami lampirkan "
        "dalam e-mail ini (PDF).\n\n"
        "Dokumen ditandatangani secara elektronik (TTE), sehingga sah tanpa cap basah. Silakan cetak sendiri "
        "di kertas HVS A4 dan simpan berkas PDF-nya.\n\n"
        "Status permohonan: %(url)s\n\n"
        "Hormat kami,\n%(office)s\n\n"
        "E-mail ini dikirim otomatis; mohon tidak membalas dengan data pribadi."
    ) % {
        "name": application.applicant_name or _("Bapak/Ibu"),
        "service": service,
        "code": application.tracking_code,
        "url": status_url,
        "office": office.name,
    }
    if bundled:
        body += "\n\n" + _(
            "Permohonan ini paket %(bundle)s: setiap dokumen dikirim dalam e-mail tersendiri (%(place)s)."
        ) % {"bundle": application.service.name, "place": place}
    if any(d.is_specimen for d in documents):
        body += "\n\n" + _("Catatan: lampiran ini SPESIMEN dari kantor demo Pencet, bukan dokumen resmi.")
    sender = formataddr((office.name, office.email_sender)) if office.email_sender else settings.DEFAULT_FROM_EMAIL
    message = EmailMessage(subject=subject, body=body, from_email=sender, to=[delivery.recipient])
    for output in documents:
        with output.file.open("rb") as handle:
            message.attach(output.filename, handle.read(), "application/pdf")
    return message


def delivery_email_send(*, delivery_id: int) -> Delivery:
    """Send one queued e-mail delivery over the configured backend; record sent or failed, never raise."""
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.QUEUED).update(attempts=F("attempts") + 1)
    delivery = Delivery.objects.select_related("application__office", "application__service").get(pk=delivery_id)
    if not claimed:
        return delivery
    try:
        # No transaction is held during the SMTP conversation: it can take seconds.
        _email_build(delivery=delivery).send(fail_silently=False)
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        logger.warning("e-mail delivery %s failed: %r", delivery_id, exc)
        _delivery_failed(delivery=delivery, error=_("Gagal mengirim e-mail: %(error)s") % {"error": exc})
        return delivery
    _delivery_sent(delivery=delivery)
    return delivery


# Beside the function it runs, so that nothing here imports pencet.delivery.tasks (which imports services).
@db_task(retries=0)
def delivery_email_send_task(delivery_id: int) -> None:
    # No automatic retry: a failure is recorded on the Delivery and staff send again from the console.
    delivery_email_send(delivery_id=delivery_id)


@transaction.atomic
def _delivery_failed(*, delivery: Delivery, error: str) -> None:
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, error=error[:2000]
    )
    if not updated:
        return
    delivery.status, delivery.error = Delivery.Status.FAILED, error[:2000]
    application_note_add(
        application=delivery.application,
        actor=None,
        actor_label="sistem",
        kind="delivery_failed",
        note=_("Pengiriman %(channel)s ke %(to)s gagal: %(error)s")
        % {"channel": delivery.get_channel_display(), "to": delivery.recipient, "error": error},
    )


def _delivery_sent(*, delivery: Delivery) -> None:
    now = timezone.now()
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENT, sent_at=now, error=""
    )
    if not updated:
        return
    delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, now, ""
    try:
        if delivery.documents.filter(component__isnull=False).exists():
            _components_delivered_if_sent(delivery=delivery)
        else:
            _application_delivered_if_complete(delivery=delivery)
    except Exception:
        # The document did reach the citizen; a refused status change must not make the send look failed.
        logger.exception("delivery %s sent but the application could not be marked delivered", delivery.pk)


@transaction.atomic
def _application_delivered_if_complete(*, delivery: Delivery) -> None:
    batch_open = (
        Delivery.objects.filter(application_id=delivery.application_id, batch=delivery.batch)
        .exclude(status=Delivery.Status.SENT)
        .exists()
    )
    application = Application.objects.select_for_update().get(pk=delivery.application_id)
    if batch_open or application.status != Status.READY:
        return
    application_mark_delivered(
        application=application,
        actor=None,
        channel=delivery.channel,
        note=_("Dokumen terkirim lewat %(channel)s ke %(to)s.")
        % {"channel": delivery.get_channel_display(), "to": delivery.recipient},
    )


@transaction.atomic
def _components_delivered_if_sent(*, delivery: Delivery) -> None:
    """A bundle's document is delivered once every message of this send carrying its PDFs went out; the
    application is delivered with its last document (pencet.cases.components)."""
    application = Application.objects.select_for_update().get(pk=delivery.application_id)
    if application.status != Status.READY:
        return
    batch = Delivery.objects.filter(application_id=application.pk, batch=delivery.batch)
    components = Component.objects.filter(outputs__deliveries=delivery, state=ComponentState.READY).distinct()
    for component in components.select_related("service"):
        if batch.filter(documents__component=component).exclude(status=Delivery.Status.SENT).exists():
            continue
        component_delivered(component=component, channel=delivery.channel, recipient=delivery.recipient)


def delivery_outbound_update(*, message: OutboundMessage) -> None:
    """Follow a WhatsApp document's outbox status: sent (or delivered/read) → sent; failed → failed.

    The WhatsApp layer calls this after it changes an outbox row's status; a periodic task catches up. A WhatsApp
    delivery always travels as a document (application_deliver), so the bot's texts and buttons, most of what is
    sent, are no delivery and cost no look-up.
    """
    if message.kind not in delivery_outbound_update.outbound_kinds:
        return
    for delivery in Delivery.objects.filter(outbound_message=message, status=Delivery.Status.QUEUED).select_related(
        "application"
    ):
        if message.status in _WHATSAPP_SENT:
            _delivery_sent(delivery=delivery)
        elif message.status in _WHATSAPP_FAILED:
            detail = " ".join(p for p in (message.error_code, message.error_message) if p)
            _delivery_failed(
                delivery=delivery,
                error=_("WhatsApp tidak dapat mengirim dokumen: %(error)s") % {"error": detail or "-"},
            )


# The WhatsApp layer calls this listener for these kinds of rows only (pencet.whatsapp.hooks).
delivery_outbound_update.outbound_kinds = frozenset({OutboundMessage.Kind.DOCUMENT})


def deliveries_whatsapp_sync() -> int:
    """Catch up WhatsApp deliveries whose outbox row finished without calling delivery_outbound_update."""
    done = (*_WHATSAPP_SENT, *_WHATSAPP_FAILED)
    pending = Delivery.objects.filter(
        channel=Delivery.Channel.WHATSAPP,
        status=Delivery.Status.QUEUED,
        outbound_message__status__in=done,
    ).select_related("outbound_message")
    count = 0
    for delivery in pending:
        assert delivery.outbound_message is not None
        delivery_outbound_update(message=delivery.outbound_message)
        count += 1
    return count
