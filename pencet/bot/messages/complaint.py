"""Complaints and suggestions (pengaduan) filed on WhatsApp; the acknowledgement with the code comes from
pencet.surveys.complaints."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_NOT_NOW = gettext_lazy("Nanti saja")
ROW_NO_APPLICATION = gettext_lazy("Tidak terkait permohonan")


def ask_complaint() -> str:
    return _(
        "Silakan tuliskan pengaduan, keluhan atau saran Anda dalam satu pesan: apa yang terjadi, kapan, dan di "
        "mana bila ada. Pengaduan dicatat dengan kode lacak dan dijawab oleh petugas."
    )


def complaint_too_short() -> str:
    return _("Mohon tuliskan pengaduan atau saran Anda sedikit lebih lengkap agar petugas dapat menindaklanjuti.")


def complaint_dropped() -> str:
    return _("Baik, tidak ada pengaduan yang dicatat.")


def ask_complaint_application() -> str:
    return _("Apakah pengaduan ini tentang salah satu permohonan Anda? Pilih permohonannya, atau Tidak terkait.")
