"""Greeting, service menu, service information, help and the officer hand-off."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

BTN_APPLY = gettext_lazy("Ya, ajukan")
BTN_MENU = gettext_lazy("Menu")
ROW_RESUME = gettext_lazy("Lanjutkan draf")
BTN_REPLACE = gettext_lazy("Mulai yang baru")
ROW_STATUS = pgettext_lazy("bot menu row", "Cek status permohonan")
ROW_HUMAN = gettext_lazy("Bicara dengan petugas")
ROW_MINE = gettext_lazy("Pengajuan saya")
LIKELY_SECTION = gettext_lazy("Layanan yang mungkin")


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
        "• *formulir*: formulir kosong (PDF) untuk dicetak, misalnya *formulir F-2.01*\n"
        "• *pengaduan* atau *saran*: menyampaikan keluhan atau saran; *status ADU-…* untuk menanyakannya\n"
        "• *english*: switch to English\n"
        "Kirim foto dokumen asli yang jelas, satu per satu, ketika diminta."
    )


def unknown_text() -> str:
    return _("Maaf, saya belum mengerti. Ketik *menu* untuk daftar layanan atau *petugas* untuk bicara dengan petugas.")


def replace_confirm(*, old: str, code: str, files: int, new: str) -> str:
    return _(
        "Anda masih punya draf permohonan %(old)s (%(code)s) dengan %(files)d berkas terkirim. Bila memulai "
        "%(new)s, draf itu kami tutup dan berkasnya tidak diproses. Mulai yang baru, atau lanjutkan draf?"
    ) % {"old": old, "code": code, "files": files, "new": new}


def unknown_at_service(*, service: str) -> str:
    return _(
        "Maaf, saya belum mengerti. Ajukan *%(service)s* sekarang? Tekan *Ya, ajukan*, atau *Menu* untuk layanan "
        "lain. Ketik *petugas* untuk bertanya kepada petugas."
    ) % {"service": service}


def human_requested(*, opens_at: str, closes_at: str, quiet_hours: str) -> str:
    return _(
        "Baik, percakapan ini sudah kami teruskan ke petugas. Petugas akan membalas di sini pada jam kerja "
        "(%(opens)s–%(closes)s). Sampai petugas membalas (paling lama %(hours)s jam kerja), asisten digital tidak "
        "menjawab pesan Anda agar tidak memotong pembicaraan. Ketik *menu* bila ingin kembali dilayani asisten."
    ) % {"opens": opens_at, "closes": closes_at, "hours": quiet_hours}


def voice_to_officer(*, opens_at: str, closes_at: str, quiet_hours: str) -> str:
    return _(
        "Terima kasih, pesan suara Anda sudah kami teruskan ke petugas, yang akan mendengarkan dan membalas di sini "
        "pada jam kerja (%(opens)s–%(closes)s), paling lama dalam %(hours)s jam kerja. Bila Anda lebih mudah "
        "mengetik, ketik *menu* kapan saja."
    ) % {"opens": opens_at, "closes": closes_at, "hours": quiet_hours}


def human_timed_out() -> str:
    return _(
        "Mohon maaf, petugas belum sempat membalas. Pesan Anda tetap tercatat untuk petugas; sementara itu "
        "asisten digital kembali membantu Anda."
    )


def menu_brief(*, profile_name: str) -> str:
    name = f" {profile_name}" if profile_name else ""
    return _(
        "Halo%(name)s, ada yang bisa kami bantu? Pilih layanan dari daftar, atau tuliskan keperluan Anda, "
        'misalnya "KTP hilang" atau "akta kelahiran anak".'
    ) % {"name": name}


def thanks_reply() -> str:
    return _("Sama-sama, senang dapat membantu. Ketik *menu* bila memerlukan layanan lain.")


def likely_body() -> str:
    return _("Layanan mana yang Anda maksud? Pilih salah satu:")


def service_info(
    *,
    name: str,
    description: str,
    files: list[str],
    who_may_apply: str,
    needs_biometric: bool,
    deadline: str,
    turnaround_hours: int,
    forms: list[str] | None = None,
) -> str:
    parts = [f"*{name}*", description]
    parts.append(_("Berkas yang perlu difoto (asli):") + "\n" + "\n".join(f"• {f}" for f in files))
    if forms:
        parts.append(
            _("Formulir kosong %(codes)s dapat kami kirim sebagai PDF: ketik *formulir*.") % {"codes": ", ".join(forms)}
        )
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


def file_optional(name: str, condition: str) -> str:
    return _("%(name)s (opsional: %(condition)s)") % {"name": name, "condition": condition or _("jika ada")}


def deadline_info(*, days: int, event: str, basis: str) -> str:
    return _(
        "Batas waktu pelaporan: %(days)s hari sejak %(event)s (%(basis)s). Lewat dari itu tetap dapat dicatat, "
        "tetapi memerlukan keputusan Kepala Dinas."
    ) % {"days": days, "event": event, "basis": basis}


def apply_now() -> str:
    return _("Ajukan sekarang?")


def note_attached(*, code: str) -> str:
    return _(
        "Pesan Anda sudah kami catat pada permohonan %(code)s agar dibaca petugas. Ketik *petugas* bila perlu "
        "dibalas langsung, atau *menu* untuk layanan lain."
    ) % {"code": code}
