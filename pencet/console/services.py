"""Writes the console starts that are not state transitions: staff intake with files.

An officer's message to an applicant is pencet.cases.messaging (the API sends it too); the chats handed to a person
are pencet.bot.desk."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pencet.accounts.models import Office, User
from pencet.cases.attachments import attachment_staff_add, attachment_store, upload_check
from pencet.cases.models import Application, Attachment, Status
from pencet.cases.services import (
    TransitionError,
    application_create,
    application_submit,
)
from pencet.catalog.models import Requirement, Service
from pencet.whatsapp.models import Contact

from .kept_files import KeptFile, kept_file_read, kept_files_discard

# Quality problem codes from pencet.lib.images, in the reviewer's words.
QUALITY_PROBLEMS = {
    "small": _lazy("resolusi kecil"),
    "blurry": _lazy("buram"),
    "dark": _lazy("terlalu gelap"),
    "overexposed": _lazy("terlalu terang"),
}


def attachment_from_upload(
    *, application: Application, requirement: Requirement | None, upload: UploadedFile, actor: User
) -> Attachment:
    """A staff member adds one uploaded file to an application past its draft (cases.attachments: who may, in
    which states, and the Event on the timeline)."""
    checked = upload_check(upload=upload)
    return attachment_staff_add(
        application=application,
        requirement=requirement,
        checked=checked,
        original_name=upload.name or "",
        actor=actor,
        # The file answers a returned item: it replaces the one the reviewer found wanting.
        supersede=requirement is not None
        and application.status == Status.RETURNED
        and application.review_items.filter(requirement=requirement, resolved=False).exists(),
    )


@dataclass(frozen=True)
class IntakeFile:
    """One file of the registration: uploaded now, or kept from a first attempt whose form had an error."""

    requirement: Requirement | None
    upload: UploadedFile | None = None
    kept: KeptFile | None = None


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
            if item.kept is not None:
                checked, name = kept_file_read(kept=item.kept), item.kept.name
            else:
                checked, name = upload_check(upload=item.upload), item.upload.name or ""
            stored.append(
                attachment_store(
                    application=application,
                    requirement=item.requirement,
                    checked=checked,
                    original_name=name,
                    actor=actor,
                )
            )
    except TransitionError:
        # The rows roll back with the transaction; the files already written must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    submitted = application_submit(application=application, actor=actor, actor_label="")
    kept = [item.kept for item in files if item.kept is not None]
    transaction.on_commit(lambda: kept_files_discard(kept=kept))
    return submitted


def contact_window_open(*, contact: Contact) -> bool:
    """Inside WhatsApp's 24-hour customer-service window (free text allowed)."""
    from pencet.whatsapp.selectors import contact_window_open as channel_rule

    return channel_rule(contact=contact)
