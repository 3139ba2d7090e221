"""The summary before submitting and the choice of what to correct."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_SUBMIT = gettext_lazy("Kirim permohonan")
BTN_EDIT = gettext_lazy("Ubah data")
FIELD_TITLES = {
    "service": gettext_lazy("Layanan"),
    "name": gettext_lazy("Nama pemohon"),
    "nik": gettext_lazy("NIK"),
    "phone": gettext_lazy("Nomor HP pemohon"),
    "village": gettext_lazy("Desa/kelurahan"),
    "email": gettext_lazy("E-mail"),
    "delivery": gettext_lazy("Cara penyerahan"),
    "priority": gettext_lazy("Kebutuhan prioritas"),
    "event_date": gettext_lazy("Tanggal peristiwa"),
    "files": gettext_lazy("Berkas persyaratan"),
}


def summary(*, lines: list[tuple[str, str]], files: list[str], late: str) -> str:
    body = _("Periksa kembali permohonan Anda:") + "\n"
    body += "\n".join(f"• {label}: {value}" for label, value in lines)
    body += "\n" + _("Berkas:") + "\n" + "\n".join(f"  – {f}" for f in files)
    if late:
        body += "\n\n" + late
    return body + "\n\n" + _("Kirim sekarang, atau ubah data yang salah.")


def summary_late_line() -> str:
    return _("⚠️ Pelaporan terlambat: memerlukan keputusan Kepala Dinas.")


def not_filled() -> str:
    return _("(tidak diisi)")


def pages(count: int) -> str:
    return _("%(count)s halaman") % {"count": count}


def skipped() -> str:
    return _("dilewati")


def ask_edit() -> str:
    return _("Bagian mana yang ingin diubah?")


def ask_edit_file() -> str:
    return _("Berkas mana yang ingin dikirim ulang?")
