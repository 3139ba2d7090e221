"""What the citizen is told when an officer (or the system) moves their application."""

from django.utils.translation import gettext as _


def notify_submitted(*, code: str, service: str, name: str, due: str) -> str:
    return _(
        "✅ Permohonan %(service)s atas nama %(name)s sudah kami terima.\nKode lacak: *%(code)s*\n"
        "Perkiraan selesai: %(due)s.\nPetugas akan memeriksa kelengkapan berkas. Ketik *status %(code)s* untuk "
        "melihat perkembangannya."
    ) % {"service": service, "name": name, "code": code, "due": due}


def notify_due_changed(*, code: str, due: str) -> str:
    return _("Perkiraan selesai permohonan %(code)s kini: %(due)s.") % {"code": code, "due": due}


def receipt_caption(*, code: str) -> str:
    return _("Tanda terima permohonan %(code)s. Simpan untuk menanyakan dan mengambil dokumen.") % {"code": code}


def notify_resubmitted(*, code: str) -> str:
    return _("Perbaikan permohonan %(code)s sudah kami terima dan akan diperiksa kembali oleh petugas.") % {
        "code": code
    }


def notify_returned(*, code: str, items: list[str], note: str) -> str:
    # Not "incomplete" (an item may be unreadable or the wrong document) and no promise of "now": a citizen busy
    # with another draft is asked after it.
    text = _("Permohonan %(code)s dikembalikan petugas untuk diperbaiki:") % {"code": code}
    text += "\n" + "\n".join(f"• {i}" for i in items)
    if note:
        text += "\n" + _("Catatan petugas: %(note)s") % {"note": note}
    return text + "\n" + _("Kami akan meminta berkas tersebut satu per satu di percakapan ini.")


def notify_accepted(*, code: str) -> str:
    return _("Berkas permohonan %(code)s lengkap dan sudah diteruskan untuk diproses di SIAK.") % {"code": code}


def notify_in_process(*, code: str) -> str:
    return _("Permohonan %(code)s sedang diinput ke SIAK oleh operator.") % {"code": code}


def notify_rejected(*, code: str, reason: str) -> str:
    return _("Mohon maaf, permohonan %(code)s ditolak. Alasan: %(reason)s\nKetik *petugas* bila ada pertanyaan.") % {
        "code": code,
        "reason": reason,
    }


def notify_ready_pickup(*, code: str, office: str, address: str, hours: str) -> str:
    where = f"{office}, {address}" if address else office
    return _(
        "🎉 Dokumen permohonan %(code)s sudah selesai dan dapat diambil di %(where)s pada jam kerja (%(hours)s). "
        "Bawa dokumen asli yang Anda foto saat mengajukan dan sebutkan kode %(code)s."
    ) % {"code": code, "where": where, "hours": hours}


def notify_document_signed(*, code: str, document: str, done: int, total: int) -> str:
    """One document of a bundle signed: the citizen hears of each as it is done."""
    return _("✍️ %(document)s untuk permohonan %(code)s sudah ditandatangani (%(done)d dari %(total)d dokumen).") % {
        "code": code,
        "document": document,
        "done": done,
        "total": total,
    }


def notify_document_handed_over(*, code: str, document: str, done: int, total: int, collected_by: str) -> str:
    """One document of a bundle handed over at the counter."""
    return _(
        "📄 %(document)s untuk permohonan %(code)s sudah diserahkan kepada %(who)s (%(done)d dari %(total)d dokumen)."
    ) % {"code": code, "document": document, "done": done, "total": total, "who": collected_by}


def notify_cards_pickup(*, documents: list[str], office: str, hours: str) -> str:
    """A bundle whose PDFs travel but whose card (KIA, KTP-el) is collected at the office."""
    return _("%(documents)s berupa kartu dan diambil di %(office)s (jam layanan %(hours)s).") % {
        "documents": ", ".join(documents),
        "office": office,
        "hours": hours,
    }


def notify_ready_sent(*, code: str, channel: str) -> str:
    return _(
        "🎉 Dokumen permohonan %(code)s sudah selesai dan ditandatangani elektronik. Dokumen akan dikirim lewat "
        "%(channel)s; cetak di kertas A4 putih."
    ) % {"code": code, "channel": channel}


def notify_delivered(*, code: str, channel: str) -> str:
    return _("Dokumen permohonan %(code)s sudah dikirim lewat %(channel)s. Terima kasih.") % {
        "code": code,
        "channel": channel,
    }


def notify_picked_up(*, code: str) -> str:
    return _("Dokumen permohonan %(code)s sudah diambil. Terima kasih telah menggunakan layanan kami.") % {"code": code}


def notify_cancelled(*, code: str) -> str:
    return _("Permohonan %(code)s sudah dibatalkan. Ketik *menu* bila ingin mengajukan lagi.") % {"code": code}


def notify_expired(*, code: str, service: str, days: int) -> str:
    return _(
        "Draf permohonan %(service)s (%(code)s) kami tutup karena tidak dilanjutkan selama %(days)s hari. "
        "Ketik *menu* untuk mengajukan lagi."
    ) % {"code": code, "service": service, "days": days}
