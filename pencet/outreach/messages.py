"""What the citizen reads about bookings, visits and announcements (Bahasa Indonesia; English in locale/en)."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_CANCEL = gettext_lazy("Batalkan jadwal")
BTN_MOVE = gettext_lazy("Pindah jadwal")
BTN_FOLLOW = gettext_lazy("Kabari info desa")
LIST_BUTTON = gettext_lazy("Pilih jadwal")
SECTION_DAYS = gettext_lazy("Layanan keliling")
SECTION_OFFICE = gettext_lazy("Di kantor")
SECTION_HOURS = gettext_lazy("Jam yang masih kosong")


def when(moment: datetime, zone) -> str:
    local = timezone.localtime(moment, zone)
    return f"{formats.date_format(local, 'D, j M Y')} {local:%H.%M}"


def short_when(moment: datetime, zone) -> str:
    local = timezone.localtime(moment, zone)
    return f"{formats.date_format(local, 'D j M')} {local:%H.%M}"


def in_person_offer(*, service: str, has_days: bool, reason: str = "", originals: list[str] | None = None) -> str:
    """`reason`: why the citizen must come (the catalogue's InPerson label); `originals`: what to bring."""
    why = reason or _("perekaman atau cek dokumen asli")
    if has_days:
        text = _(
            "%(service)s perlu kehadiran Anda (%(why)s). Ada layanan keliling di dekat Anda, atau pesan jam di "
            "kantor: pilih jadwal di bawah. Anda tetap bisa mengajukan berkas lewat WhatsApp."
        ) % {"service": service, "why": why}
    else:
        text = _(
            "%(service)s perlu kehadiran Anda di kantor (%(why)s). Pesan jam di kantor agar tidak antre: pilih "
            "jadwal di bawah."
        ) % {"service": service, "why": why}
    if originals:
        text += "\n" + _("Bawa aslinya: %(documents)s.") % {"documents": ", ".join(originals)}
    return text


def pickup_offer(*, code: str) -> str:
    return _("Dokumen permohonan %(code)s bisa diambil di kantor. Pesan jam pengambilan agar tidak antre:") % {
        "code": code
    }


def office_row() -> str:
    return _("Kantor Disdukcapil")


def office_row_description() -> str:
    return _("Meja perekaman, jam kerja kantor")


def pick_hour(*, place: str) -> str:
    return _("Jam yang masih kosong di %(place)s. Pilih satu:") % {"place": place}


def seats(count: int) -> str:
    return _("%(count)s tempat lagi") % {"count": count}


def full() -> str:
    return _("Maaf, jadwal itu sudah penuh atau sudah lewat. Silakan pilih jadwal lain.")


def nothing_free() -> str:
    return _("Maaf, tidak ada jam kosong lagi di jadwal ini. Ketik *menu* untuk kembali.")


def booked(*, service: str, place: str, at: str, address: str) -> str:
    text = _("Janji temu tercatat ✅\n%(service)s\n📍 %(place)s\n🕘 %(at)s") % {
        "service": service,
        "place": place,
        "at": at,
    }
    if address:
        text += "\n" + address
    return text + "\n\n" + _("Bawa KTP-el/KK asli atau fotokopinya. Kami ingatkan sehari sebelumnya.")


def moved(*, at: str) -> str:
    return _("Jadwal dipindah ke %(at)s.") % {"at": at}


def cancelled() -> str:
    return _("Janji temu dibatalkan. Terima kasih sudah memberi tahu.")


def booking_gone() -> str:
    return _("Janji temu itu sudah tidak berlaku (dibatalkan, sudah lewat atau sudah selesai).")


def reminder(*, name: str, service: str, place: str, at: str) -> str:
    return _("Halo %(name)s, pengingat: besok %(at)s Anda terjadwal untuk %(service)s di %(place)s.") % {
        "name": name,
        "service": service,
        "place": place,
        "at": at,
    }


def followed(*, village: str) -> str:
    return _(
        "Baik, Anda akan menerima info layanan keliling untuk %(village)s dan sekitarnya. Ketik BERHENTI untuk "
        "berhenti kapan saja."
    ) % {"village": village}


def follow_unknown_village() -> str:
    return _(
        "Kami belum tahu desa Anda. Setelah Anda mengajukan permohonan atau memesan jadwal layanan keliling, ketik "
        "INFO DESA lagi atau ketuk *Kabari info desa*."
    )


def opted_out() -> str:
    return _("Anda tidak akan menerima info layanan keliling dan program lagi. Terima kasih.")


def home_visit(*, name: str, at: str, address: str, bring: str, officers: str) -> str:
    return _(
        "Halo %(name)s, petugas Disdukcapil (program Sayang Dilan) akan datang ke rumah Anda.\n🕘 %(at)s\n📍 "
        "%(address)s\n👤 %(officers)s\nMohon siapkan: %(bring)s"
    ) % {"name": name, "at": at, "address": address, "bring": bring, "officers": officers}


def home_visit_reminder(*, name: str, at: str) -> str:
    return _("Halo %(name)s, pengingat: besok %(at)s petugas Disdukcapil datang ke rumah Anda.") % {
        "name": name,
        "at": at,
    }


def home_visit_bring_default() -> str:
    return _("KK dan dokumen asli yang diminta; petugas membawa alat perekaman KTP-el.")


def location_noted() -> str:
    return _("Terima kasih, lokasi Anda kami catat untuk kunjungan petugas.")
