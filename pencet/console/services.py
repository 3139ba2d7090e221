"""Writes the console starts that are not state transitions: staff intake with files, officers' messages."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pencet.accounts.models import Office, Role, User
from pencet.cases.models import Application, Attachment
from pencet.cases.services import (
    ApplicationPermissionError,
    TransitionError,
    application_can_access,
    application_create,
    application_submit,
)
from pencet.catalog.models import Requirement, Service
from pencet.lib import files
from pencet.lib.phone import phone_normalize
from pencet.whatsapp.models import Contact, OutboundMessage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Who may write to a citizen from the office's WhatsApp number: office staff, not village staff or leadership.
MESSAGE_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VERIFIER, Role.SIGNER, Role.ADMIN)
# Quality problem codes from pencet.lib.images, in the reviewer's words.
QUALITY_PROBLEMS = {
    "small": _lazy("resolusi kecil"),
    "blurry": _lazy("buram"),
    "dark": _lazy("terlalu gelap"),
    "overexposed": _lazy("terlalu terang"),
}


class UploadError(TransitionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_upload")


def attachment_from_upload(
    *, application: Application, requirement: Requirement | None, upload: UploadedFile, actor: User
) -> Attachment:
    """Store one staff-uploaded file as an Attachment after checking what it really is (by its bytes, never its
    name) and re-encoding photos without their metadata (location, device)."""
    name = upload.name or ""
    try:
        checked = files.file_check(
            data=files.file_read(handle=upload, max_bytes=MAX_UPLOAD_BYTES), max_bytes=MAX_UPLOAD_BYTES
        )
    except files.FileRejected as error:
        if error.reason == "too_big":
            raise UploadError(_("Berkas %(name)s lebih dari 10 MB.") % {"name": name}) from error
        if error.reason in ("wrong_type", "empty"):
            raise UploadError(
                _("Berkas %(name)s bukan foto (JPEG/PNG/WebP/HEIC) atau PDF.") % {"name": name}
            ) from error
        raise UploadError(_("Berkas %(name)s rusak atau tidak dapat dibaca.") % {"name": name}) from error
    if requirement is not None:
        if requirement.accepts == Requirement.Accepts.PDF and not checked.is_pdf:
            raise UploadError(_("%(req)s harus berupa PDF.") % {"req": requirement.short_name})
        if requirement.accepts == Requirement.Accepts.IMAGE and checked.is_pdf:
            raise UploadError(_("%(req)s harus berupa foto.") % {"req": requirement.short_name})
    attachment = Attachment(
        application=application,
        requirement=requirement,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        original_name=name[:255],
        quality=checked.quality,
        uploaded_by=actor,
    )
    name_stored = f"{application.tracking_code}-{checked.sha256[:12]}.{checked.extension}"
    attachment.file.save(name_stored, ContentFile(checked.data), save=False)
    attachment.save()
    return attachment


@dataclass(frozen=True)
class IntakeFile:
    requirement: Requirement | None
    upload: UploadedFile


@transaction.atomic
def application_intake_register(
    *,
    office: Office,
    service: Service,
    channel: str,
    actor: User,
    files: Sequence[IntakeFile],
    **fields: object,
) -> Application:
    """Register an application received outside the bot (files from elsewhere, a letter, the counter)
    and submit it to the same review queue. All or nothing: a bad file leaves no application behind."""
    if not service.is_active:
        raise TransitionError(_("Layanan ini sedang tidak aktif."))
    application = application_create(office=office, service=service, channel=channel, actor=actor, **fields)
    stored: list[Attachment] = []
    try:
        for item in files:
            if item.requirement is not None and item.requirement.service_id != service.pk:
                raise UploadError(_("Persyaratan tidak termasuk layanan ini."))
            stored.append(
                attachment_from_upload(
                    application=application, requirement=item.requirement, upload=item.upload, actor=actor
                )
            )
    except TransitionError:
        # The rows roll back with the transaction; the files already written must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return application_submit(application=application, actor=actor, actor_label="")


def _contact_for(*, application: Application) -> Contact | None:
    if application.contact_id:
        return application.contact
    phone = phone_normalize(application.phone)
    if phone is None:
        return None
    contact, _created = Contact.objects.get_or_create(office_id=application.office_id, phone=phone)
    return contact


def contact_window_open(*, contact: Contact) -> bool:
    """Inside WhatsApp's 24-hour customer-service window (free text allowed)."""
    from pencet.whatsapp.selectors import contact_window_open as channel_rule

    return channel_rule(contact=contact)


@transaction.atomic
def officer_message_send(*, application: Application, actor: User, body: str) -> OutboundMessage:
    """An officer writes to the applicant; outside the 24-hour window the outbox sends the officer_message
    template instead, with the text as its parameter."""
    if not application_can_access(application=application, user=actor):
        raise ApplicationPermissionError(_("Anda tidak berwenang atas permohonan ini."))
    if not actor.has_role(*MESSAGE_ROLES):
        raise ApplicationPermissionError(_("Peran Anda tidak dapat mengirim pesan WhatsApp atas nama kantor."))
    body = body.strip()
    if not body:
        raise TransitionError(_("Pesan tidak boleh kosong."), code="empty")
    if len(body) > 4000:
        raise TransitionError(_("Pesan terlalu panjang (maksimal 4.000 karakter)."), code="too_long")
    contact = _contact_for(application=application)
    if contact is None:
        raise TransitionError(_("Pemohon tidak memiliki nomor WhatsApp."), code="no_contact")
    if application.contact_id is None:
        Application.objects.filter(pk=application.pk).update(contact=contact)
        application.contact = contact
    from pencet.whatsapp.services import outbox_enqueue

    message = outbox_enqueue(
        contact=contact,
        kind="text",
        payload={"body": body},
        application=application,
        sent_by=actor,
        template_event="officer_message",
        template_params=[application.applicant_name or "-", application.tracking_code, body],
    )
    return message


@transaction.atomic
def contact_message_send(*, contact: Contact, actor: User, body: str) -> OutboundMessage:
    """An officer answers a citizen who asked for a person and has no application open."""
    if actor.office_id != contact.office_id or not actor.has_role(*MESSAGE_ROLES):
        raise ApplicationPermissionError(_("Anda tidak berwenang atas kontak ini."))
    body = body.strip()
    if not body:
        raise TransitionError(_("Pesan tidak boleh kosong."), code="empty")
    from pencet.whatsapp.services import outbox_enqueue

    return outbox_enqueue(
        contact=contact,
        kind="text",
        payload={"body": body},
        sent_by=actor,
        template_event="officer_message",
        template_params=[contact.profile_name or "-", "-", body],
    )


@transaction.atomic
def contact_human_done(*, contact: Contact, actor: User) -> None:
    """An officer answered the citizen who asked for a person."""
    if actor.office_id != contact.office_id:
        raise ApplicationPermissionError(_("Anda tidak berwenang atas kontak ini."))
    Contact.objects.filter(pk=contact.pk).update(needs_human=False)
