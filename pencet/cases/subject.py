"""The document's subject as people read it (the child of an akta kelahiran, the deceased of an akta kematian):
labelled lines from Application.subject, in the order the service's catalogue entry asks them."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pencet.catalog.models import SUBJECT_DATE_FIELDS, SUBJECT_NIK_FIELDS, SUBJECT_SEX_FIELDS, SubjectField
from pencet.lib.nik import nik_mask

from .models import Application

# The field naming the person the document is issued for: the specimen's "Nama" is theirs, not the applicant's.
SUBJECT_NAME_FIELDS = (SubjectField.CHILD_NAME, SubjectField.DECEASED_NAME)


def subject_value_display(*, code: str, value: str, full_nik: bool = False) -> str:
    if not value:
        return ""
    if code in SUBJECT_DATE_FIELDS:
        try:
            return date_format(date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    if code in SUBJECT_SEX_FIELDS:
        return {"L": _("Laki-laki"), "P": _("Perempuan")}.get(value, value)
    if code in SUBJECT_NIK_FIELDS and not full_nik:
        return nik_mask(value)
    return value


def application_subject_lines(*, application: Application, full_nik: bool = False) -> list[tuple[str, str]]:
    """(label, value) for every subject field the service asks, "-" where unanswered."""
    subject = application.subject or {}
    labels = dict(SubjectField.choices)
    return [
        (str(labels[code]), subject_value_display(code=code, value=subject.get(code, ""), full_nik=full_nik) or "-")
        for code in application.service.subject_fields or []
        if code in labels
    ]


def application_subject_name(*, application: Application) -> str:
    """The name of the person the document is for; the applicant's when the service asks no subject."""
    subject = application.subject or {}
    return next((subject[c] for c in SUBJECT_NAME_FIELDS if subject.get(c)), "") or application.applicant_name
