"""Subject data (the child, the deceased) as an API client sends it: checked like the console's form."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.catalog.models import SUBJECT_DATE_FIELDS, SUBJECT_NIK_FIELDS, SUBJECT_SEX_FIELDS, Service
from pencet.lib.nik import nik_parse
from pencet.regions.selectors import region_names

from .errors import ApiError


def subject_payload_check(*, service: Service, values: dict[str, str]) -> dict[str, str]:
    """The subject data as stored, or a 422 naming the first code that is unknown or unreadable."""
    allowed = service.subject_fields or []
    clean: dict[str, str] = {}
    for code, raw in values.items():
        value = (raw or "").strip()
        if code not in allowed:
            raise ApiError(422, "unknown_subject_field", _("Layanan ini tidak menanyakan '%(code)s'.") % {"code": code})
        if not value:
            continue
        if code in SUBJECT_DATE_FIELDS:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is None or parsed > timezone.localdate():
                raise ApiError(422, "invalid_subject_date", _("Tanggal '%(code)s' tidak valid.") % {"code": code})
            value = parsed.isoformat()
        elif code in SUBJECT_SEX_FIELDS and value.upper() not in ("L", "P"):
            raise ApiError(422, "invalid_subject_sex", _("Jenis kelamin diisi L atau P."))
        elif code in SUBJECT_SEX_FIELDS:
            value = value.upper()
        elif code in SUBJECT_NIK_FIELDS:
            check = nik_parse(value=value, region_names=region_names)
            if not check.valid:
                raise ApiError(422, "invalid_subject_nik", " ".join(e.message for e in check.errors))
            value = check.nik or ""
        clean[code] = value
    return clean
