"""Staff correct an application's data after it was submitted (a typo in a name, a wrong NIK digit, the village),
with an Event that shows each change as old → new. Who may, and when: cases.policies.correction_refusal.

The NIK and the KK number are written to the Event masked (7307••••••••0042), as the timeline is read by roles that
see them masked; names, dates and villages are written as they are.

Contract:
    application_correct(*, application, actor, changes, reason="") -> Event | None   (None: nothing differed)
"""

from datetime import date

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pencet.accounts.models import Role, User
from pencet.catalog.models import SUBJECT_NIK_FIELDS, SubjectField
from pencet.lib.nik import nik_mask

from .models import Application, Event, EventKind
from .policies import correction_refusal
from .services import ApplicationPermissionError, TransitionError, refusal_error

# What staff may correct: who the applicant is, where they live, how to reach them, the event and the subject.
CORRECTABLE_FIELDS = ("applicant_name", "nik", "kk_number", "phone", "email", "village", "event_date", "subject")
_MASKED = {"nik", "kk_number", *(f"subject.{code}" for code in SUBJECT_NIK_FIELDS)}


def _shown(name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if name == "village":
        return getattr(value, "name", str(value))
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    if name.startswith("subject.") and len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}-{text[5:7]}-{text[0:4]}"
    return nik_mask(text) if name in _MASKED else text


@transaction.atomic
def application_correct(
    *, application: Application, actor: User, changes: dict[str, object], reason: str = ""
) -> Event | None:
    """Apply the fields in `changes` that really differ; one `details_corrected` Event lists them (none: no Event)."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not a correctable field: {', '.join(sorted(unknown))}")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    refusal = correction_refusal(application=locked, user=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    village = changes.get("village")
    if village is not None and actor.roles == {Role.VILLAGE_STAFF}:
        if not actor.villages.filter(pk=getattr(village, "pk", village)).exists():
            raise ApplicationPermissionError(_("Aparat desa hanya dapat mengajukan untuk desanya sendiri."))
    if "applicant_name" in changes and not str(changes["applicant_name"] or "").strip():
        raise TransitionError(_("Nama pemohon tidak boleh kosong."), code="name_required")
    listed: list[dict] = []
    columns: set[str] = set()
    for name, value in changes.items():
        if name == "subject":
            listed += _subject_changes(application=locked, values=value)
            columns.add("subject")
            continue
        old = locked.village if name == "village" else getattr(locked, name)
        differs = (getattr(value, "pk", value) != locked.village_id) if name == "village" else old != value
        if not differs:
            continue
        setattr(locked, name, value)
        columns.add(name)
        listed.append({"field": name, "old": _shown(name, old), "new": _shown(name, value)})
    if not listed:
        return None
    for entry in listed:
        entry["label"] = _field_label(entry["field"])
    locked.save(update_fields=[*sorted(columns), "updated_at"])
    event = Event.objects.create(
        application=locked,
        actor=actor,
        kind=EventKind.DETAILS_CORRECTED,
        from_status=locked.status,
        to_status=locked.status,
        note=reason.strip(),
        data={"changes": listed},
    )
    application.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return event


def _subject_changes(*, application: Application, values: object) -> list[dict]:
    if not isinstance(values, dict):
        raise ValueError("subject must be a dict of field codes")
    unknown = set(values) - set(SubjectField.values)
    if unknown:
        raise ValueError(f"not a subject field: {', '.join(sorted(unknown))}")
    subject = dict(application.subject or {})
    listed = []
    for code, value in values.items():
        text = value.isoformat() if hasattr(value, "isoformat") else str(value or "").strip()
        old = subject.get(code, "")
        if old == text:
            continue
        if text:
            subject[code] = text
        else:
            subject.pop(code, None)
        name = f"subject.{code}"
        listed.append({"field": name, "old": _shown(name, old), "new": _shown(name, text)})
    application.subject = subject
    return listed


def _field_label(name: str) -> str:
    if name.startswith("subject."):
        return str(SubjectField(name.removeprefix("subject.")).label)
    if name == "village":
        return _("Desa/kelurahan")
    return capfirst(str(Application._meta.get_field(name).verbose_name))
