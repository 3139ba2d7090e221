"""Questions about the person the document is for: the child of an akta kelahiran, the deceased of an akta kematian."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BTN_MALE = gettext_lazy("Laki-laki")
BTN_FEMALE = gettext_lazy("Perempuan")
BTN_UNKNOWN = gettext_lazy("Tidak tahu")

# Summary lines and "Ubah data" rows, by SubjectField code.
TITLES = {
    "child_name": gettext_lazy("Nama anak"),
    "child_sex": gettext_lazy("Jenis kelamin anak"),
    "child_birth_date": gettext_lazy("Tanggal lahir anak"),
    "child_birth_place": gettext_lazy("Tempat lahir anak"),
    "father_name": gettext_lazy("Nama ayah"),
    "mother_name": gettext_lazy("Nama ibu"),
    "deceased_name": gettext_lazy("Nama almarhum/almarhumah"),
    "deceased_nik": gettext_lazy("NIK almarhum/almarhumah"),
    "death_date": gettext_lazy("Tanggal kematian"),
    "death_place": gettext_lazy("Tempat kematian"),
}

QUESTIONS = {
    "child_name": gettext_lazy("Nama lengkap anak, seperti yang akan tertulis di akta?"),
    "child_sex": gettext_lazy("Jenis kelamin anak?"),
    "child_birth_date": gettext_lazy("Tanggal lahir anak? Ketik tanggalnya, misalnya 17-08-2026."),
    "child_birth_place": gettext_lazy("Tempat lahir anak (kota/kabupaten, atau desa bila lahir di rumah)?"),
    "father_name": gettext_lazy("Nama lengkap ayah anak, seperti di KTP-el?"),
    "mother_name": gettext_lazy("Nama lengkap ibu anak, seperti di KTP-el?"),
    "deceased_name": gettext_lazy("Nama lengkap almarhum/almarhumah, seperti di KTP-el atau KK?"),
    "deceased_nik": gettext_lazy("NIK almarhum/almarhumah (16 angka, ada di KK)? Tap Tidak tahu bila tidak ada."),
    "death_date": gettext_lazy("Tanggal kematian? Ketik tanggalnya, misalnya 17-08-2026."),
    "death_place": gettext_lazy("Tempat kematian (rumah sakit, desa, atau kota)?"),
}


def invalid_place() -> str:
    return _("Tempat belum terbaca. Ketik nama tempatnya dengan huruf, misalnya Sinjai.")


def invalid_sex() -> str:
    return _("Tap salah satu tombol: Laki-laki atau Perempuan.")


def invalid_nik() -> str:
    return _("NIK 16 angka, seperti di KK. Ketik lagi, atau tap Tidak tahu.")
