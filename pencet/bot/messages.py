"""Every text the citizen reads from the bot, as gettext source strings (Bahasa Indonesia; English via locale/en).

Functions return finished strings; call them inside translation.override(contact.language).
Button titles stay ≤ 20 characters and list row titles ≤ 24 (Meta's limits).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Button and row titles (≤ 20 / ≤ 24 characters) ---------------------------------------------

BTN_APPLY = gettext_lazy("Ya, ajukan")
BTN_MENU = gettext_lazy("Menu")
BTN_DONE = gettext_lazy("Sudah semua")
BTN_MORE = gettext_lazy("Tambah halaman")
BTN_SKIP = gettext_lazy("Lewati")
BTN_RESEND = gettext_lazy("Kirim ulang")
BTN_KEEP = gettext_lazy("Pakai foto ini")
BTN_USE = gettext_lazy("Ya, pakai")
BTN_NO = gettext_lazy("Tidak")
BTN_CORRECT = gettext_lazy("Benar")
BTN_WRONG = gettext_lazy("Salah, ubah")
BTN_SUBMIT = gettext_lazy("Kirim permohonan")
BTN_EDIT = gettext_lazy("Ubah data")
BTN_CANCEL = gettext_lazy("Batalkan")
BTN_CANCEL_YES = gettext_lazy("Ya, batalkan")
BTN_CANCEL_NO = gettext_lazy("Tidak jadi")
BTN_CONTINUE = gettext_lazy("Lanjutkan")
BTN_EMAIL = gettext_lazy("E-mail")
BTN_WHATSAPP = gettext_lazy("WhatsApp")
BTN_PICKUP = gettext_lazy("Ambil di kantor")
BTN_CHOOSE = gettext_lazy("Pilih")
ROW_NEXT = gettext_lazy("Berikutnya ▶")
ROW_RESUME = gettext_lazy("Lanjutkan draf")
ROW_STATUS = gettext_lazy("Cek status permohonan")
ROW_HUMAN = gettext_lazy("Bicara dengan petugas")
ROW_MINE = gettext_lazy("Pengajuan saya")
ROW_PRIO_NONE = gettext_lazy("Tidak ada")
ROW_PRIO_ELDERLY = gettext_lazy("Lansia (60 th ke atas)")
ROW_PRIO_DISABILITY = gettext_lazy("Penyandang disabilitas")
ROW_PRIO_BOTH = gettext_lazy("Lansia dan disabilitas")

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

PROBLEMS = {
    "small": gettext_lazy("ukurannya terlalu kecil; foto dari jarak lebih dekat"),
    "blurry": gettext_lazy("buram; pegang HP dengan diam dan ketuk layar agar fokus"),
    "dark": gettext_lazy("terlalu gelap; foto di tempat yang terang"),
    "overexposed": gettext_lazy("terlalu terang atau silau; hindari lampu kilat dan cahaya langsung"),
}

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


# --- Greeting, menu, help ----------------------------------------------------------------------


def greeting(*, office_name: str, profile_name: str) -> str:
    name = f" {profile_name}" if profile_name else ""
    return _(
        "Selamat datang%(name)s di layanan WhatsApp %(office)s. Saya asisten digital yang membantu Anda "
        "mengajukan dokumen kependudukan tanpa antre. Semua layanan gratis."
    ) % {"name": name, "office": office_name}


def menu_body(*, numbered: list[str], staff_village: str = "") -> str:
    lines = "\n".join(f"{i}. {title}" for i, title in enumerate(numbered, start=1))
    intro = (
        _("Anda terdaftar sebagai aparat desa %(village)s. Pilih layanan untuk mengajukan atas nama warga:")
        % {"village": staff_village}
        if staff_village
        else _("Pilih layanan yang Anda perlukan:")
    )
    return (
        intro
        + "\n"
        + lines
        + "\n\n"
        + _(
            "Ketik nomornya (misalnya 1) atau tekan tombol Pilih layanan. Ketik *status* untuk cek permohonan, "
            "*petugas* untuk bicara dengan petugas, *bantuan* untuk panduan."
        )
    )


def menu_button() -> str:
    return _("Pilih layanan")


def group_body(*, group: str) -> str:
    return _("Layanan %(group)s. Pilih salah satu:") % {"group": group}


def help_text() -> str:
    return _(
        "Panduan singkat:\n"
        "• *menu*: daftar layanan\n"
        "• *status*: daftar permohonan Anda; *status KODE* untuk satu permohonan\n"
        "• *batal*: membatalkan draf atau permohonan yang belum diterima petugas\n"
        "• *petugas*: bicara dengan petugas\n"
        "• *english*: switch to English\n"
        "Kirim foto dokumen asli yang jelas, satu per satu, ketika diminta."
    )


def sorry() -> str:
    return _(
        "Maaf, terjadi kendala di sistem kami; petugas sudah kami beri tahu dan akan membalas di sini. "
        "Sementara itu Anda dapat memilih lagi dari menu."
    )


def unknown_text() -> str:
    return _("Maaf, saya belum mengerti. Ketik *menu* untuk daftar layanan atau *petugas* untuk bicara dengan petugas.")


def human_requested(*, opens_at: str, closes_at: str) -> str:
    return _(
        "Baik, percakapan ini sudah kami teruskan ke petugas. Petugas akan membalas di sini pada jam kerja "
        "(%(opens)s–%(closes)s). Anda tetap dapat mengetik *menu* kapan saja."
    ) % {"opens": opens_at, "closes": closes_at}


def language_switched() -> str:
    return _("Baik, saya akan menjawab dalam Bahasa Indonesia.")


# --- Service information -------------------------------------------------------------------------


def service_info(
    *,
    name: str,
    description: str,
    files: list[str],
    who_may_apply: str,
    needs_biometric: bool,
    deadline: str,
    turnaround_hours: int,
) -> str:
    parts = [f"*{name}*", description]
    parts.append(_("Berkas yang perlu difoto (asli):") + "\n" + "\n".join(f"• {f}" for f in files))
    if who_may_apply:
        parts.append(_("Yang dapat mengajukan: %(who)s") % {"who": who_may_apply})
    if needs_biometric:
        parts.append(
            _("Perlu datang ke kantor atau lokasi perekaman untuk perekaman biometrik (sidik jari, iris, foto).")
        )
    if deadline:
        parts.append(deadline)
    parts.append(
        _("Perkiraan selesai: %(hours)s jam kerja setelah berkas dinyatakan lengkap. Biaya: gratis.")
        % {"hours": turnaround_hours}
    )
    return "\n\n".join(p for p in parts if p)


def file_alternatives(names: list[str]) -> str:
    return _(" ATAU ").join(names)


def file_optional(name: str, condition: str) -> str:
    return _("%(name)s (opsional: %(condition)s)") % {"name": name, "condition": condition or _("jika ada")}


def deadline_info(*, days: int, event: str, basis: str) -> str:
    return _(
        "Batas waktu pelaporan: %(days)s hari sejak %(event)s (%(basis)s). Lewat dari itu tetap dapat dicatat, "
        "tetapi memerlukan keputusan Kepala Dinas."
    ) % {"days": days, "event": event, "basis": basis}


def apply_now() -> str:
    return _("Ajukan sekarang?")


# --- Intake --------------------------------------------------------------------------------------


def intake_start(*, service: str, steps: int) -> str:
    return _(
        "Baik, kita mulai permohonan *%(service)s*. Ada %(steps)s berkas yang diminta satu per satu, lalu data "
        "pemohon. Anda dapat berhenti dan melanjutkan kapan saja."
    ) % {"service": service, "steps": steps}


def choose_alternative(*, names: list[str]) -> str:
    return _("Untuk persyaratan berikut cukup salah satu: %(names)s. Berkas mana yang Anda punya?") % {
        "names": file_alternatives(names)
    }


def ask_file(*, name: str, instruction: str, optional: bool, condition: str, step: int, steps: int) -> str:
    text = _("(%(step)s/%(steps)s) Kirim foto %(name)s.") % {"step": step, "steps": steps, "name": name}
    if instruction:
        text += " " + instruction + "."
    else:
        text += " " + _("Foto dokumen asli, seluruh bagian terlihat dan tulisan terbaca.")
    if optional:
        text += "\n" + _("Berkas ini opsional (%(condition)s). Tekan Lewati bila tidak ada.") % {
            "condition": condition or _("jika ada")
        }
    return text


def file_received(*, name: str, pages: int) -> str:
    return _("✅ %(name)s diterima (%(pages)s halaman). Ada halaman lain, misalnya bagian belakang?") % {
        "name": name,
        "pages": pages,
    }


def file_quality_problem(*, name: str, problems: list[str]) -> str:
    reasons = "; ".join(str(PROBLEMS.get(p, p)) for p in problems)
    return _(
        "⚠️ Foto %(name)s kurang baik: %(reasons)s. Foto yang tidak terbaca akan dikembalikan petugas, jadi "
        "sebaiknya kirim ulang sekarang."
    ) % {"name": name, "reasons": reasons}


def send_more() -> str:
    return _("Silakan kirim halaman berikutnya.")


def send_again(*, name: str) -> str:
    return _("Silakan kirim ulang foto %(name)s yang lebih jelas.") % {"name": name}


def wrong_file_type(*, name: str, accepts: str) -> str:
    return _("Untuk %(name)s kami hanya dapat menerima %(accepts)s. Silakan kirim ulang.") % {
        "name": name,
        "accepts": accepts,
    }


def file_expected(*, name: str) -> str:
    return _("Saya menunggu foto %(name)s. Kirim fotonya, atau ketik *bantuan* bila ada kendala.") % {"name": name}


def file_required(*, name: str) -> str:
    return _("%(name)s wajib dilampirkan dan belum ada fotonya. Silakan kirim fotonya.") % {"name": name}


def pending_media_offer(*, count: int, name: str) -> str:
    return _("Anda sudah mengirim %(count)s berkas sebelumnya. Pakai berkas itu untuk %(name)s?") % {
        "count": count,
        "name": name,
    }


def media_missing() -> str:
    return _("Maaf, berkas Anda belum dapat kami terima. Silakan kirim ulang.")


def media_kept() -> str:
    return _("Berkas Anda sudah kami simpan dan akan ditawarkan untuk persyaratan berikutnya.")


def ask_name(*, for_other: bool) -> str:
    if for_other:
        return _("Berkas lengkap. Sekarang data pemohon. Siapa nama lengkap warga yang diajukan (sesuai KK)?")
    return _("Berkas lengkap, terima kasih. Sekarang data pemohon. Siapa nama lengkap pemohon (sesuai KK)?")


def invalid_name() -> str:
    return _("Nama belum terbaca. Ketik nama lengkap dengan huruf, misalnya Siti Aminah.")


def ask_nik() -> str:
    return _("Ketik NIK pemohon (16 angka, ada di KK atau KTP-el).")


def invalid_nik(*, errors: list[str]) -> str:
    return _("NIK belum benar: %(errors)s Silakan ketik ulang NIK (16 angka).") % {"errors": " ".join(errors)}


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


def ask_priority() -> str:
    return _(
        "Apakah pemohon lansia atau penyandang disabilitas? Mereka kami dahulukan dan dapat dilayani di rumah "
        "(program Sayang Dilan)."
    )


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


def resume(*, service: str) -> str:
    return _("Kita lanjutkan permohonan %(service)s.") % {"service": service}


def choose_from_options() -> str:
    return _("Silakan pilih salah satu tombol di atas, atau ketik nomornya.")


# --- Commands on applications --------------------------------------------------------------------


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


def cancel_reason() -> str:
    return _("Dibatalkan oleh pemohon melalui WhatsApp.")


def note_attached(*, code: str) -> str:
    return _(
        "Pesan Anda sudah kami catat pada permohonan %(code)s agar dibaca petugas. Ketik *petugas* bila perlu "
        "dibalas langsung, atau *menu* untuk layanan lain."
    ) % {"code": code}


def fix_done() -> str:
    return _("Terima kasih, semua perbaikan sudah kami terima.")


def not_allowed(*, reason: str) -> str:
    return _("Maaf, permintaan ini tidak dapat diproses: %(reason)s") % {"reason": reason}


# --- Notifications (state changes) ---------------------------------------------------------------


def notify_submitted(*, code: str, service: str, name: str, due: str) -> str:
    return _(
        "✅ Permohonan %(service)s atas nama %(name)s sudah kami terima.\nKode lacak: *%(code)s*\n"
        "Perkiraan selesai: %(due)s.\nPetugas akan memeriksa kelengkapan berkas. Ketik *status %(code)s* untuk "
        "melihat perkembangannya."
    ) % {"service": service, "name": name, "code": code, "due": due}


def notify_resubmitted(*, code: str) -> str:
    return _("Perbaikan permohonan %(code)s sudah kami terima dan akan diperiksa kembali oleh petugas.") % {
        "code": code
    }


def notify_returned(*, code: str, items: list[str], note: str) -> str:
    text = _("Permohonan %(code)s perlu dilengkapi:") % {"code": code} + "\n" + "\n".join(f"• {i}" for i in items)
    if note:
        text += "\n" + _("Catatan petugas: %(note)s") % {"note": note}
    return text + "\n" + _("Kami akan meminta berkas tersebut satu per satu sekarang.")


def returned_item(*, name: str, verdict: str, reason: str) -> str:
    return f"{name}: {verdict}" + (f" ({reason})" if reason else "")


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
