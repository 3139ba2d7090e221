from django import template
from django.utils.translation import gettext_lazy as _

from pencet.cases.models import EventKind
from pencet.lib.nik import nik_mask as _nik_mask

register = template.Library()

FLAG_LABELS = {"lansia": _("Lansia"), "disabilitas": _("Disabilitas"), "batas_waktu": _("Batas waktu dekat")}


@register.filter
def nik_mask(value: str) -> str:
    return _nik_mask(value or "")


@register.filter
def flag_label(value: str) -> str:
    return str(FLAG_LABELS.get(value, value))


@register.filter
def status_label(value: str) -> str:
    from pencet.cases.models import Status

    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def event_label(value: str) -> str:
    try:
        return str(EventKind(value).label)
    except ValueError:
        return value


@register.filter
def quality_label(value: str) -> str:
    from pencet.console.services import QUALITY_PROBLEMS

    return str(QUALITY_PROBLEMS.get(value, value))


@register.filter
def signature_summary(output: object) -> str:
    from pencet.delivery.selectors import output_signature_summary

    return output_signature_summary(output=output)
