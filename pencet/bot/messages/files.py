"""Intake of the requirement files: one requirement at a time, pages, photo quality, early files."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_DONE = gettext_lazy("Sudah semua")
BTN_MORE = gettext_lazy("Tambah halaman")
BTN_RESEND = gettext_lazy("Kirim ulang")
BTN_KEEP = gettext_lazy("Pakai foto ini")
BTN_USE = gettext_lazy("Ya, pakai")
BTN_NO = gettext_lazy("Tidak")
PROBLEMS = {
    "small": gettext_lazy("ukurannya terlalu kecil; foto dari jarak lebih dekat"),
    "blurry": gettext_lazy("buram; pegang HP dengan diam dan ketuk layar agar fokus"),
    "dark": gettext_lazy("terlalu gelap; foto di tempat yang terang"),
    "overexposed": gettext_lazy("terlalu terang atau silau; hindari lampu kilat dan cahaya langsung"),
}


def file_alternatives(names: list[str]) -> str:
    return _(" ATAU ").join(names)


def intake_start(*, service: str, steps: int) -> str:
    return _(
        "Baik, kita mulai permohonan *%(service)s*. Ada %(steps)s berkas yang diminta satu per satu, lalu data "
        "pemohon. Anda dapat berhenti dan melanjutkan kapan saja."
    ) % {"service": service, "steps": steps}


def choose_alternative(*, names: list[str]) -> str:
    return _("Untuk persyaratan berikut cukup salah satu: %(names)s. Berkas mana yang Anda punya?") % {
        "names": file_alternatives(names)
    }


def ask_file(
    *, name: str, instruction: str, optional: bool, condition: str, step: int, steps: int, form: str = ""
) -> str:
    text = _("(%(step)s/%(steps)s) Kirim foto %(name)s.") % {"step": step, "steps": steps, "name": name}
    if instruction:
        text += " " + instruction + "."
    else:
        text += " " + _("Foto dokumen asli, seluruh bagian terlihat dan tulisan terbaca.")
    if form:
        text += "\n" + form_offer(code=form)
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


def media_not_needed(*, summary: bool) -> str:
    if summary:
        return _(
            "Berkas ini tidak kami simpan: semua berkas sudah lengkap. Untuk mengganti berkas, pilih *Ubah data* "
            "lalu *Berkas*."
        )
    return _("Berkas ini tidak kami perlukan saat ini: semua berkas sudah lengkap, jadi tidak kami simpan.")


def media_kept() -> str:
    return _("Berkas Anda sudah kami simpan dan akan ditawarkan untuk persyaratan berikutnya.")


def media_kept_choose() -> str:
    return _(
        "Berkas Anda sudah kami simpan. Pilih dulu jenisnya dari daftar di bawah; sesudah itu berkas tadi dapat "
        "langsung dipakai."
    )


# --- Blank forms ----------------------------------------------------------------------------------------


def form_offer(*, code: str) -> str:
    return _("Belum punya formulirnya? Ketik *formulir* untuk menerima formulir kosong %(code)s (PDF).") % {
        "code": code
    }


def form_caption(*, code: str, title: str) -> str:
    return _(
        "📄 Formulir %(code)s: %(title)s. Cetak di kertas A4, isi dengan huruf cetak, tanda tangani, lalu kirim "
        "fotonya di sini."
    ) % {"code": code, "title": title}


def forms_available(*, forms: list[str]) -> str:
    return _(
        "Formulir kosong yang dapat kami kirim:\n%(forms)s\nKetik *formulir* dan kodenya, misalnya *formulir F-2.01*."
    ) % {"forms": "\n".join(f"• {line}" for line in forms)}


def forms_choose_sptjm(*, forms: list[str]) -> str:
    return _("SPTJM yang mana? Ketik kodenya, misalnya *formulir F-2.03*:\n%(forms)s") % {
        "forms": "\n".join(f"• {line}" for line in forms)
    }
