"""Writes to an application being filled in (a draft, or a returned application being fixed): its attachments
and its fields. Each write leaves an Event on the timeline, so officers see what the citizen changed and when.

`actor=None` is the citizen through WhatsApp (labelled `actor_label`, "warga" by default); staff pass themselves.
Personal data (NIK, names) never goes into the Event: only which fields and which requirements changed.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from pencet.accounts.models import User
from pencet.catalog.models import Requirement, SubjectField

from .models import Application, Attachment, Event, Status
from .services import ApplicationPermissionError, TransitionError, application_can_access

EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# Fields an applicant may fill in or correct before submitting; never status, office, service, codes or holders.
DETAIL_FIELDS = {
    "applicant_name",
    "nik",
    "kk_number",
    "phone",
    "email",
    "village",
    "priority_elderly",
    "priority_disability",
    "disability_support",
    "delivery_preference",
    "event_date",
    "note",
    # A dict of SubjectField codes; only the codes given change, an empty value removes one.
    "subject",
}


def _editable(*, application: Application, actor: User | None) -> None:
    if actor is not None and not application_can_access(application=application, user=actor):
        raise ApplicationPermissionError(_("Anda tidak berwenang atas permohonan ini."))
    if application.status not in EDITABLE_STATUSES:
        raise TransitionError(_("Permohonan ini tidak dapat diubah lagi."))


def _event(*, application: Application, actor: User | None, actor_label: str, kind: str, data: dict) -> Event:
    return Event.objects.create(
        application=application,
        actor=actor,
        actor_label=actor_label or ("" if actor else "warga"),
        kind=kind,
        from_status=application.status,
        to_status=application.status,
        data=data,
    )


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    requirement: Requirement,
    file_name: str,
    content_type: str,
    size: int,
    sha256: str,
    original_name: str = "",
    quality: dict | None = None,
    wamid: str = "",
    supersede: bool = False,
    actor: User | None,
    actor_label: str = "",
) -> Attachment:
    """Attach a stored file to `requirement`. `supersede` marks the requirement's current files as not current
    (a returned item being replaced: the reviewer's verdict on the old files stays readable in the history)."""
    _editable(application=application, actor=actor)
    superseded = 0
    if supersede:
        superseded = application.attachments.filter(requirement=requirement, is_current=True).update(is_current=False)
    attachment = Attachment.objects.create(
        application=application,
        requirement=requirement,
        file=file_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        original_name=original_name,
        quality=quality or {},
        wamid=wamid,
        uploaded_by=actor,
    )
    data = {"attachment": attachment.pk, "requirement": requirement.code, "content_type": content_type}
    if superseded:
        data["superseded"] = superseded
    _event(application=application, actor=actor, actor_label=actor_label, kind="attachment_added", data=data)
    return attachment


@transaction.atomic
def attachments_remove(
    *,
    application: Application,
    attachment_ids: list[int] | None = None,
    requirement_ids: list[int] | None = None,
    actor: User | None,
    actor_label: str = "",
) -> int:
    """Delete the application's attachments given by id or by requirement; returns how many went."""
    _editable(application=application, actor=actor)
    found = application.attachments.none()
    if attachment_ids:
        found = application.attachments.filter(pk__in=attachment_ids)
    elif requirement_ids:
        found = application.attachments.filter(requirement_id__in=requirement_ids)
    removed = list(found.select_related("requirement"))
    if not removed:
        return 0
    Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    data = {
        "attachments": [a.pk for a in removed],
        "requirements": sorted({a.requirement.code for a in removed if a.requirement}),
    }
    _event(application=application, actor=actor, actor_label=actor_label, kind="attachment_removed", data=data)
    return len(removed)


@transaction.atomic
def application_details_change(
    *, application: Application, actor: User | None, actor_label: str = "", **changes: object
) -> Application:
    """Fill in or correct applicant fields; an Event names the fields that really changed (none: no Event)."""
    unknown = set(changes) - DETAIL_FIELDS
    if unknown:
        raise ValueError(f"not an applicant field: {', '.join(sorted(unknown))}")
    _editable(application=application, actor=actor)
    changed = []
    for name, value in changes.items():
        if name == "subject":
            changed += _subject_merge(application=application, values=value)
            continue
        if name == "village":
            differs = getattr(value, "pk", value) != application.village_id
        else:
            differs = getattr(application, name) != value
        if differs:
            setattr(application, name, value)
            changed.append(name)
    if not changed:
        return application
    columns = {name.split(".")[0] for name in changed}
    application.save(update_fields=[*sorted(columns), "updated_at"])
    _event(
        application=application,
        actor=actor,
        actor_label=actor_label,
        kind="details_changed",
        data={"fields": changed},
    )
    return application


def _subject_merge(*, application: Application, values: object) -> list[str]:
    """Merge subject answers into application.subject; the changed codes, named "subject.<code>" for the Event."""
    if not isinstance(values, dict):
        raise ValueError("subject must be a dict of field codes")
    unknown = set(values) - set(SubjectField.values)
    if unknown:
        raise ValueError(f"not a subject field: {', '.join(sorted(unknown))}")
    subject = dict(application.subject or {})
    changed = []
    for code, value in values.items():
        text = value.isoformat() if hasattr(value, "isoformat") else str(value or "").strip()
        if subject.get(code, "") == text:
            continue
        if text:
            subject[code] = text
        else:
            subject.pop(code, None)
        changed.append(f"subject.{code}")
    application.subject = subject
    return changed
