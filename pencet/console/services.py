"""Writes the console starts that are not state transitions: staff intake with files.

An officer's message to an applicant is pencet.cases.messaging (the API sends it too); the chats handed to a person
are pencet.bot.desk."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pencet.accounts.models import Office, User
from pencet.cases.models import Application, Attachment
from pencet.cases.services import (
    TransitionError,
    application_create,
    application_submit,
)
from pencet.catalog.models import Requirement, Service
from pencet.lib import files
from pencet.whatsapp.models import Contact

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
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


def contact_window_open(*, contact: Contact) -> bool:
    """Inside WhatsApp's 24-hour customer-service window (free text allowed)."""
    from pencet.whatsapp.selectors import contact_window_open as channel_rule

    return channel_rule(contact=contact)
