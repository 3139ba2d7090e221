"""Texts every flow shares: dates, apologies, the reply to message types the bot cannot read."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_CHOOSE = gettext_lazy("Pilih")
BTN_SKIP = gettext_lazy("Lewati")
BTN_CANCEL = gettext_lazy("Batalkan")
WEEKDAYS = [
    gettext_lazy("Senin"),
    gettext_lazy("Selasa"),
    gettext_lazy("Rabu"),
    gettext_lazy("Kamis"),
    gettext_lazy("Jumat"),
    gettext_lazy("Sabtu"),
    gettext_lazy("Minggu"),
]
MONTHS = [
    gettext_lazy("Januari"),
    gettext_lazy("Februari"),
    gettext_lazy("Maret"),
    gettext_lazy("April"),
    gettext_lazy("Mei"),
    gettext_lazy("Juni"),
    gettext_lazy("Juli"),
    gettext_lazy("Agustus"),
    gettext_lazy("September"),
    gettext_lazy("Oktober"),
    gettext_lazy("November"),
    gettext_lazy("Desember"),
]


def format_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime, *, tz: str) -> str:
    local = timezone.localtime(value, ZoneInfo(tz))
    return _("%(weekday)s, %(date)s pukul %(time)s %(zone)s") % {
        "weekday": WEEKDAYS[local.weekday()],
        "date": format_date(local.date()),
        "time": local.strftime("%H.%M"),
        "zone": local.strftime("%Z"),
    }


def sorry() -> str:
    return _(
        "Maaf, terjadi kendala di sistem kami; petugas sudah kami beri tahu dan akan membalas di sini. "
        "Sementara itu Anda dapat memilih lagi dari menu."
    )


def language_switched() -> str:
    return _("Baik, saya akan menjawab dalam Bahasa Indonesia.")


def choose_from_options() -> str:
    return _("Silakan pilih salah satu tombol di atas, atau ketik nomornya.")


def tap_hint(*, titles: list[str]) -> str:
    """Typed words that fit none of the offered options: which ones there are."""
    if len(titles) <= 4:
        return _("Maaf, jawaban itu belum saya kenali. Silakan ketuk salah satu tombol: %(options)s.") % {
            "options": ", ".join(f"*{t}*" for t in titles)
        }
    return _("Maaf, jawaban itu belum saya kenali. Silakan buka daftar dan pilih salah satu, atau ketik nomornya.")


def resume(*, service: str) -> str:
    return _("Kita lanjutkan permohonan %(service)s.") % {"service": service}


def not_allowed(*, reason: str) -> str:
    return _("Maaf, permintaan ini tidak dapat diproses: %(reason)s") % {"reason": reason}


def returned_item(*, name: str, verdict: str, reason: str) -> str:
    return f"{name}: {verdict}" + (f" ({reason})" if reason else "")


def declined(*, kind: str) -> str:
    """The answer to a message type the bot cannot read (voice note, video, sticker, location, contact card …)."""
    accepted = _("Kami menerima pesan teks, foto (JPG, PNG, WebP, HEIC) dan dokumen PDF.")
    if kind == "audio":
        return _("Maaf, kami belum dapat mendengarkan pesan suara. Mohon tuliskan pesan Anda.") + " " + accepted
    if kind == "location":
        return _("Terima kasih, tetapi kami belum dapat memproses kiriman lokasi.") + " " + accepted
    if kind == "contacts":
        return _("Terima kasih, tetapi kami belum dapat memproses kiriman kontak.") + " " + accepted
    return _("Maaf, jenis pesan ini belum dapat kami proses.") + " " + accepted
