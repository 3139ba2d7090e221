"""Identity and preferences: name, NIK, phone, district and village, e-mail, delivery, priority, event date."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_CORRECT = gettext_lazy("Benar")
BTN_WRONG = gettext_lazy("Salah, ubah")
BTN_CONTINUE = gettext_lazy("Lanjutkan")
BTN_EMAIL = gettext_lazy("E-mail")
BTN_WHATSAPP = gettext_lazy("WhatsApp")
BTN_PICKUP = gettext_lazy("Ambil di kantor")
ROW_NEXT = gettext_lazy("Berikutnya ▶")
ROW_PRIO_NONE = gettext_lazy("Tidak ada")
ROW_PRIO_ELDERLY = gettext_lazy("Lansia (60 th ke atas)")
ROW_PRIO_DISABILITY = gettext_lazy("Penyandang disabilitas")
ROW_PRIO_BOTH = gettext_lazy("Lansia dan disabilitas")
# How the timeline names notes the assistant writes (not a person).
BOT_LABEL = "asisten WhatsApp"


def ask_name(*, for_other: bool) -> str:
    if for_other:
        return _("Berkas lengkap. Sekarang data pemohon. Siapa nama lengkap warga yang diajukan (sesuai KK)?")
    return _("Berkas lengkap, terima kasih. Sekarang data pemohon. Siapa nama lengkap pemohon (sesuai KK)?")


def invalid_name() -> str:
    return _("Nama belum terbaca. Ketik nama lengkap dengan huruf, misalnya Siti Aminah.")


def ask_nik() -> str:
    return _("Ketik NIK pemohon (16 angka, ada di KK atau KTP-el).")


def invalid_nik(*, codes: list[str], count: int) -> str:
    """What was wrong with a typed NIK, in plain words (pencet.lib.nik error codes)."""
    if "empty" in codes or "not_digits" in codes:
        reason = _("NIK hanya berisi angka, tanpa huruf atau tanda lain.")
    elif "length" in codes:
        reason = _("NIK 16 angka, seperti di KK Anda; yang Anda ketik %(count)s angka.") % {"count": count}
    else:
        reason = _("Nomor ini tidak mungkin NIK: mungkin ada angka yang tertukar atau salah ketik.")
    return _("NIK belum benar. %(reason)s Silakan salin lagi 16 angka NIK dari KK atau KTP-el dengan teliti.") % {
        "reason": reason
    }


def confirm_nik(*, nik: str, birth_date: str, sex: str, warnings: list[str]) -> str:
    text = _("NIK %(nik)s menunjukkan pemohon %(sex)s, lahir %(birth)s. Apakah benar?") % {
        "nik": nik,
        "sex": sex,
        "birth": birth_date,
    }
    if warnings:
        text += "\n" + _("Catatan: %(warnings)s") % {"warnings": " ".join(warnings)}
    return text


def sex_label(value: object) -> str:
    text = str(getattr(value, "value", value) or "").lower()
    if text in ("p", "f", "female", "perempuan", "wanita", "woman"):
        return _("perempuan")
    if text in ("l", "m", "male", "laki-laki", "pria", "man"):
        return _("laki-laki")
    return text


def ask_phone() -> str:
    return _("Nomor HP/WhatsApp pemohon untuk dihubungi petugas? Ketik nomornya, atau ketik - bila tidak ada.")


def invalid_phone() -> str:
    return _("Nomor HP belum benar. Contoh: 081234567890. Ketik - bila tidak ada.")


def ask_district() -> str:
    return _("Di kecamatan mana pemohon tinggal? Pilih dari daftar, atau ketik nama desa/kelurahannya.")


def ask_village(*, district: str) -> str:
    return _("Pilih desa/kelurahan di Kecamatan %(district)s, atau ketik namanya.") % {"district": district}


def ask_staff_village() -> str:
    return _("Untuk desa/kelurahan mana permohonan ini?")


def village_matches() -> str:
    return _("Desa/kelurahan yang paling mirip dengan yang Anda ketik. Pilih yang benar:")


def village_not_found(*, text: str) -> str:
    return _('Desa/kelurahan "%(text)s" tidak ditemukan di wilayah kami. Pilih kecamatan dari daftar.') % {"text": text}


def ask_email() -> str:
    return _(
        "Alamat e-mail untuk menerima dokumen PDF yang sudah ditandatangani (opsional)? Ketik alamatnya atau tekan "
        "Lewati."
    )


def invalid_email() -> str:
    return _("Alamat e-mail belum benar, contoh: nama@gmail.com. Ketik ulang atau tekan Lewati.")


def ask_delivery() -> str:
    return _(
        "Bagaimana dokumen diserahkan? PDF bertanda tangan elektronik dapat dicetak sendiri di kertas A4, "
        "atau diambil di kantor."
    )


def ask_disability_support() -> str:
    return _(
        "Dukungan apa yang dibutuhkan pemohon? Petugas menyiapkannya (program Sayang Dilan), termasuk layanan di "
        "rumah bila pemohon tidak dapat datang."
    )


def ask_priority() -> str:
    return _(
        "Apakah pemohon lansia atau penyandang disabilitas? Mereka kami dahulukan dan dapat dilayani di rumah "
        "(program Sayang Dilan)."
    )


def elderly_claim_unconfirmed(*, age: int, elderly_age: int) -> str:
    return _(
        "Catatan: menurut NIK, pemohon berumur %(age)s tahun, sedangkan prioritas lansia untuk umur %(elderly)s "
        "tahun ke atas. Prioritas lansia tidak diberikan otomatis; petugas akan memeriksanya."
    ) % {"age": age, "elderly": elderly_age}


def elderly_claim_note(*, age: int, elderly_age: int) -> str:
    return _(
        "Prioritas lansia diminta, tetapi menurut tanggal lahir pada NIK pemohon berumur %(age)s tahun "
        "(lansia: %(elderly)s tahun ke atas). Mohon periksa sebelum mendahulukan."
    ) % {"age": age, "elderly": elderly_age}


def ask_event_date(*, event: str) -> str:
    return _("Tanggal %(event)s? Ketik tanggalnya, misalnya 17-08-2026.") % {"event": event}


def invalid_date() -> str:
    return _("Tanggal belum terbaca. Ketik seperti 17-08-2026 (hari-bulan-tahun); tidak boleh di masa depan.")


def late_notice(*, event: str, days: int, basis: str, late_days: int) -> str:
    return _(
        "Perhatian: pelaporan %(event)s sudah lewat %(late)s hari dari batas %(days)s hari (%(basis)s). "
        "Permohonan tetap dapat diajukan, tetapi pencatatan yang terlambat memerlukan keputusan Kepala Dinas "
        "terlebih dahulu, sehingga prosesnya bisa lebih lama dan petugas mungkin meminta keterangan tambahan. "
        "Lanjutkan?"
    ) % {"event": event, "late": late_days, "days": days, "basis": basis}
