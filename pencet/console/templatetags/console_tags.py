from django import template
from django.utils.translation import gettext_lazy as _

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


EVENT_LABELS = {
    "created": _("Dibuat"),
    "note": _("Catatan"),
    "officer_message": _("Pesan petugas"),
    "citizen_message": _("Pesan warga"),
    "output_added": _("Dokumen hasil dilampirkan"),
    "output_removed": _("Dokumen hasil dihapus"),
    "delivery_queued": _("Pengiriman diantrekan"),
    "delivery_failed": _("Pengiriman gagal"),
    "delivery_override": _("Dikirim dengan pengecualian"),
}


@register.filter
def event_label(value: str) -> str:
    from pencet.cases.services import TRANSITIONS

    if value in TRANSITIONS:
        return str(TRANSITIONS[value].label)
    return str(EVENT_LABELS.get(value, value))


@register.filter
def quality_label(value: str) -> str:
    from pencet.console.services import QUALITY_PROBLEMS

    return str(QUALITY_PROBLEMS.get(value, value))


@register.filter
def signature_summary(output: object) -> str:
    from pencet.delivery.selectors import output_signature_summary

    return output_signature_summary(output=output)
