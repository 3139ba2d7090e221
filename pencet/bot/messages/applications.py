"""Commands on existing applications: status and cancellation."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_CANCEL_YES = gettext_lazy("Ya, batalkan")
BTN_CANCEL_NO = gettext_lazy("Tidak jadi")


def status_none() -> str:
    return _("Belum ada permohonan atas nomor ini. Ketik *menu* untuk mengajukan.")


def status_line(*, code: str, service: str, name: str, status: str) -> str:
    who = f" – {name}" if name else ""
    return f"• {code}: {service}{who} – {status}"


def status_list(*, lines: list[str]) -> str:
    return _("Permohonan Anda:") + "\n" + "\n".join(lines) + "\n\n" + _("Ketik *status KODE* untuk rinciannya.")


def status_detail(*, code: str, service: str, status: str, due: str, extra: str) -> str:
    text = _("Permohonan %(code)s (%(service)s): %(status)s.") % {"code": code, "service": service, "status": status}
    if due:
        text += " " + _("Perkiraan selesai: %(due)s.") % {"due": due}
    if extra:
        text += "\n" + extra
    return text


def status_not_found(*, code: str) -> str:
    return _("Permohonan dengan kode %(code)s tidak ditemukan pada nomor ini. Periksa kembali kodenya.") % {
        "code": code
    }


def cancel_confirm(*, code: str, service: str) -> str:
    return _("Batalkan permohonan %(code)s (%(service)s)? Berkas yang sudah dikirim tidak akan diproses.") % {
        "code": code,
        "service": service,
    }


def cancel_choose() -> str:
    return _("Permohonan mana yang ingin dibatalkan?")


def cancel_nothing() -> str:
    return _(
        "Tidak ada permohonan yang dapat dibatalkan. Permohonan yang sudah diterima petugas hanya dapat dibatalkan "
        "oleh petugas: ketik *petugas*."
    )


def cancel_kept() -> str:
    return _("Baik, permohonan tidak dibatalkan.")


def draft_replaced(*, code: str, service: str) -> str:
    return _("Draf permohonan %(service)s (%(code)s) yang belum selesai kami tutup, karena Anda memulai yang baru.") % {
        "code": code,
        "service": service,
    }


def cancel_reason() -> str:
    return _("Dibatalkan oleh pemohon melalui WhatsApp.")


def fix_queued(*, code: str, service: str) -> str:
    return _(
        "Berkas permohonan %(code)s yang dikembalikan akan kami minta setelah permohonan %(service)s yang sedang "
        "Anda isi selesai atau dibatalkan."
    ) % {"code": code, "service": service}
