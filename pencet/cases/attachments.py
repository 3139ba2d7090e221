"""Staff add a file to an application already in the office's hands, with an Event on its timeline.

The citizen's own files (a draft, a returned application being fixed on WhatsApp) go through cases.drafts; this is
the counter's, the operator's and the village staff's way: a page the citizen brought later, the missing document of
a returned application registered in the console. Who may, and in which states: cases.policies.attachment_refusal.

Contracts:
    upload_check(*, upload) -> CheckedFile            a staff upload through the file pipeline, refused in words
    attachment_staff_add(*, application, requirement, checked, original_name, actor, supersede=False) -> Attachment
    attachment_store(...) -> Attachment               the write and its Event, for a caller that checked who may
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import User
from pencet.catalog.models import Requirement
from pencet.lib import files
from pencet.lib.files import CheckedFile
from pencet.whatsapp.models import Media

from .models import Application, Attachment, Event, EventKind
from .policies import attachment_refusal
from .services import TransitionError, application_note_add, refusal_error

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class AttachmentRefused(TransitionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_upload")


def upload_check(*, upload: UploadedFile) -> CheckedFile:
    """What a staff-uploaded file really is (by its bytes, never its name), photos re-encoded without their metadata
    (location, device); AttachmentRefused in the officer's words otherwise."""
    name = upload.name or ""
    try:
        return files.file_check(
            data=files.file_read(handle=upload, max_bytes=MAX_UPLOAD_BYTES), max_bytes=MAX_UPLOAD_BYTES
        )
    except files.FileRejected as error:
        if error.reason == "too_big":
            raise AttachmentRefused(_("Berkas %(name)s lebih dari 10 MB.") % {"name": name}) from error
        if error.reason in ("wrong_type", "empty"):
            raise AttachmentRefused(
                _("Berkas %(name)s bukan foto (JPEG/PNG/WebP/HEIC) atau PDF.") % {"name": name}
            ) from error
        raise AttachmentRefused(_("Berkas %(name)s rusak atau tidak dapat dibaca.") % {"name": name}) from error


def attachment_fits(*, requirement: Requirement | None, checked: CheckedFile, application: Application) -> None:
    """Raise AttachmentRefused unless the file suits the requirement (its service, photo or PDF)."""
    if requirement is None:
        return
    if requirement.service_id != application.service_id:
        raise AttachmentRefused(_("Persyaratan tidak termasuk layanan ini."))
    if requirement.accepts == Requirement.Accepts.PDF and not checked.is_pdf:
        raise AttachmentRefused(_("%(req)s harus berupa PDF.") % {"req": requirement.short_name})
    if requirement.accepts == Requirement.Accepts.IMAGE and checked.is_pdf:
        raise AttachmentRefused(_("%(req)s harus berupa foto.") % {"req": requirement.short_name})


def attachment_store(
    *,
    application: Application,
    requirement: Requirement | None,
    checked: CheckedFile,
    original_name: str,
    actor: User | None,
    supersede: bool = False,
    reason: str = "",
) -> Attachment:
    """Write the file and its row and the `attachment_added` Event; the caller has checked who may (in its
    transaction). `supersede` marks the requirement's current files as replaced."""
    attachment_fits(requirement=requirement, checked=checked, application=application)
    superseded = 0
    if supersede and requirement is not None:
        superseded = application.attachments.filter(requirement=requirement, is_current=True).update(is_current=False)
    attachment = Attachment(
        application=application,
        requirement=requirement,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        original_name=original_name[:255],
        quality=checked.quality,
        uploaded_by=actor,
    )
    stored_name = f"{application.tracking_code}-{checked.sha256[:12]}.{checked.extension}"
    attachment.file.save(stored_name, ContentFile(checked.data), save=False)
    try:
        attachment.save()
        data: dict = {
            "attachment": attachment.pk,
            "requirement": requirement.code if requirement else None,
            "content_type": checked.content_type,
        }
        if superseded:
            data["superseded"] = superseded
        Event.objects.create(
            application=application,
            actor=actor,
            actor_label="" if actor else "warga",
            kind=EventKind.ATTACHMENT_ADDED,
            from_status=application.status,
            to_status=application.status,
            note=reason
            or _("Berkas ditambahkan: %(name)s.")
            % {"name": requirement.short_name if requirement else _("Berkas lain")},
            data=data,
        )
    except Exception:
        # The row rolls back with the transaction; the file written for it must go too.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_staff_add(
    *,
    application: Application,
    requirement: Requirement | None,
    checked: CheckedFile,
    original_name: str,
    actor: User,
    supersede: bool = False,
) -> Attachment:
    """A staff member adds a checked file (pencet.lib.files) to an application past its draft."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    refusal = attachment_refusal(application=locked, user=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    return attachment_store(
        application=locked,
        requirement=requirement,
        checked=checked,
        original_name=original_name,
        actor=actor,
        supersede=supersede,
    )


def attachment_files_purge(*, application: Application, attachments: list[Attachment], days: int) -> set[str]:
    """Forget the stored photos of `attachments` (retention under UU PDP): each row keeps its name, size and
    sha256, the WhatsApp copy of the same file goes too, and the timeline says what was removed. Answers the
    storage names to delete once the transaction has committed."""
    names = {a.file.name for a in attachments if a.file}
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(file="")
        Media.objects.filter(file__in=names).update(file="")
        application_note_add(
            application=application,
            actor=None,
            actor_label=_("sistem"),
            note=_(
                "%(count)d foto/berkas dokumen pemohon dihapus sesuai masa simpan %(days)d hari (UU PDP); "
                "dokumen hasil dan riwayat tetap disimpan."
            )
            % {"count": len(attachments), "days": days},
            kind="note",
        )
    return names
