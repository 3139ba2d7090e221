"""The blank forms of Permendagri 109/2019 (formulir dan buku yang digunakan dalam administrasi kependudukan) that
the catalogue's requirements ask for, as data for pencet.lib.pdf_forms. Requirement.form names one by its code.

The words are the forms' own (official Indonesian, not translated: the office reads them in Bahasa Indonesia
whatever language the citizen chats in). The layout is Pencet's: the fields of each form, printable on A4.
"""

import re
from dataclasses import dataclass

from pencet.lib.pdf_forms import Choice, Field, Item, Section, Signatures, Table, Text

LEGAL_BASIS = "Lampiran Peraturan Menteri Dalam Negeri Nomor 109 Tahun 2019"
STATEMENT_END = (
    "Demikian surat pernyataan ini saya buat dengan sebenar-benarnya dan apabila di kemudian hari ternyata "
    "pernyataan saya ini tidak benar, maka saya bersedia diproses secara hukum sesuai dengan peraturan "
    "perundang-undangan dan dokumen yang diterbitkan akibat dari pernyataan ini menjadi tidak sah."
)


@dataclass(frozen=True)
class BlankForm:
    code: str
    title: str
    # Words a citizen may use for it besides its code ("biodata", "sptjm kelahiran").
    keywords: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def filename(self) -> str:
        return f"Formulir-{self.code}.pdf"


def _person(title: str, *, nik: bool = True, job: bool = True) -> tuple[Item, ...]:
    items: list[Item] = [Section(title), Field("Nama lengkap")]
    if nik:
        items.append(Field("NIK", boxes=16))
    items.append(Field("Tempat dan tanggal lahir"))
    if job:
        items.append(Field("Pekerjaan"))
    items.append(Field("Alamat", lines=2))
    return tuple(items)


def _witnesses() -> tuple[Item, ...]:
    return (
        Section("Saksi I"),
        Field("Nama lengkap"),
        Field("NIK", boxes=16),
        Section("Saksi II"),
        Field("Nama lengkap"),
        Field("NIK", boxes=16),
    )


ADDRESS: tuple[Item, ...] = (
    Field("Alamat", lines=2),
    Field("RT / RW"),
    Field("Desa / Kelurahan"),
    Field("Kecamatan"),
    Field("Kabupaten / Kota"),
    Field("Provinsi"),
    Field("Kode pos", boxes=5),
    Field("Nomor telepon / WhatsApp"),
)

F_1_01 = BlankForm(
    code="F-1.01",
    title="Formulir Biodata Keluarga",
    keywords=("biodata", "biodata keluarga", "formulir kk"),
    items=(
        Section("Data kepala keluarga"),
        Field("Nama kepala keluarga"),
        Field("Nomor Kartu Keluarga (bila ada)", boxes=16),
        *ADDRESS,
        Section("Data anggota keluarga"),
        Table(
            columns=(
                ("No", 0.5),
                ("Nama lengkap", 3),
                ("NIK", 3),
                ("L/P", 0.7),
                ("Tempat lahir", 2),
                ("Tanggal lahir", 1.8),
                ("Agama", 1.4),
                ("Pendidikan", 1.6),
                ("Pekerjaan", 1.8),
            ),
            rows=8,
        ),
        Table(
            columns=(
                ("No", 0.5),
                ("Status perkawinan", 1.8),
                ("Tanggal perkawinan / perceraian", 2.2),
                ("Hubungan dalam keluarga", 2),
                ("Golongan darah", 1.2),
                ("Nama ayah", 2.6),
                ("Nama ibu", 2.6),
            ),
            rows=8,
        ),
        Text("Saya menyatakan bahwa data yang saya isi dalam formulir ini benar dan dapat dipertanggungjawabkan."),
        Signatures(("Mengetahui, Kepala Desa / Lurah", "Kepala keluarga")),
    ),
)

F_1_03 = BlankForm(
    code="F-1.03",
    title="Formulir Pendaftaran Perpindahan Penduduk",
    keywords=("pindah", "formulir pindah", "perpindahan"),
    items=(
        Section("Data daerah asal"),
        Field("Nomor Kartu Keluarga", boxes=16),
        Field("Nama kepala keluarga"),
        *ADDRESS,
        Section("Data kepindahan"),
        Choice(
            "Alasan pindah",
            ("Pekerjaan", "Pendidikan", "Keamanan", "Kesehatan", "Perumahan", "Keluarga", "Lainnya"),
        ),
        Section("Alamat tujuan pindah"),
        *ADDRESS,
        Choice("Jenis kepindahan", ("Kepala keluarga", "Kepala keluarga dan seluruh anggota", "Sebagian anggota")),
        Choice("Anggota keluarga yang tidak pindah", ("Numpang KK", "Membuat KK baru", "Tidak ada")),
        Section("Keluarga yang pindah"),
        Table(columns=(("No", 0.5), ("NIK", 3), ("Nama lengkap", 4), ("Hubungan dalam keluarga", 2.5)), rows=6),
        Signatures(("Petugas", "Pemohon")),
    ),
)

F_1_06 = BlankForm(
    code="F-1.06",
    title="Surat Pernyataan Tanggung Jawab Mutlak Perkawinan / Perceraian Belum Tercatat",
    keywords=("sptjm perkawinan", "sptjm kawin", "sptjm cerai", "perkawinan belum tercatat"),
    items=(
        Text("Yang bertanda tangan di bawah ini:"),
        *_person("Yang menyatakan"),
        Text("menyatakan dengan sesungguhnya bahwa saya telah melangsungkan perkawinan / perceraian dengan:"),
        *_person("Pasangan"),
        Field("Tanggal perkawinan / perceraian"),
        Field("Tempat perkawinan / perceraian"),
        Text("yang belum tercatat pada instansi yang berwenang."),
        Text(STATEMENT_END),
        *_witnesses(),
        Signatures(("Saksi I", "Saksi II", "Yang menyatakan"), stamp=2),
    ),
)

F_2_01 = BlankForm(
    code="F-2.01",
    title="Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI",
    keywords=("pencatatan sipil", "pelaporan", "formulir akta"),
    items=(
        Choice(
            "Jenis pelaporan",
            ("Kelahiran", "Lahir mati", "Perkawinan", "Perceraian", "Kematian", "Pengangkatan anak", "Lainnya"),
        ),
        Section("Data pelapor"),
        Field("Nama lengkap"),
        Field("NIK", boxes=16),
        Field("Nomor dokumen perjalanan (WNA)"),
        Field("Nomor Kartu Keluarga", boxes=16),
        Choice("Kewarganegaraan", ("WNI", "WNA")),
        Section("Data subjek akta"),
        Field("Nama lengkap"),
        Field("NIK", boxes=16),
        Field("Nomor Kartu Keluarga", boxes=16),
        Section("Data orang tua"),
        Field("Nama ayah"),
        Field("NIK ayah", boxes=16),
        Field("Tempat dan tanggal lahir ayah"),
        Field("Nama ibu"),
        Field("NIK ibu", boxes=16),
        Field("Tempat dan tanggal lahir ibu"),
        *_witnesses(),
        Section("Kelahiran (diisi untuk pelaporan kelahiran)"),
        Field("Nama anak"),
        Choice("Jenis kelamin", ("Laki-laki", "Perempuan")),
        Choice("Tempat dilahirkan", ("RS/RB", "Puskesmas", "Polindes", "Rumah", "Lainnya")),
        Field("Tempat kelahiran"),
        Field("Hari dan tanggal lahir"),
        Field("Pukul"),
        Choice("Jenis kelahiran", ("Tunggal", "Kembar 2", "Kembar 3", "Lainnya")),
        Field("Kelahiran ke-", boxes=2),
        Choice("Penolong kelahiran", ("Dokter", "Bidan/perawat", "Dukun", "Lainnya")),
        Field("Berat bayi (kg) / panjang bayi (cm)"),
        Section("Kematian (diisi untuk pelaporan kematian)"),
        Field("Nama almarhum / almarhumah"),
        Field("NIK almarhum / almarhumah", boxes=16),
        Field("Hari dan tanggal kematian"),
        Field("Pukul"),
        Choice("Sebab kematian", ("Sakit biasa/tua", "Wabah penyakit", "Kecelakaan", "Kriminalitas", "Lainnya")),
        Field("Tempat kematian"),
        Choice("Yang menerangkan", ("Dokter", "Tenaga kesehatan", "Kepala desa/lurah", "Kepolisian", "Lainnya")),
        Signatures(("Saksi I", "Saksi II", "Pelapor")),
    ),
)

F_2_03 = BlankForm(
    code="F-2.03",
    title="Surat Pernyataan Tanggung Jawab Mutlak Kebenaran Data Kelahiran",
    keywords=("sptjm kelahiran", "sptjm lahir", "kebenaran data kelahiran"),
    items=(
        Text("Yang bertanda tangan di bawah ini:"),
        *_person("Yang menyatakan"),
        Text("menyatakan bahwa:"),
        Section("Data kelahiran"),
        Field("Nama"),
        Choice("Jenis kelamin", ("Laki-laki", "Perempuan")),
        Field("Tempat dan tanggal lahir"),
        Field("Nama ayah"),
        Field("Nama ibu"),
        Text(
            "adalah benar data kelahiran yang bersangkutan, dan tidak memiliki surat keterangan kelahiran dari "
            "dokter, bidan, penolong kelahiran, nakhoda kapal atau kepala desa/lurah."
        ),
        Text(STATEMENT_END),
        *_witnesses(),
        Signatures(("Saksi I", "Saksi II", "Yang menyatakan"), stamp=2),
    ),
)

F_2_04 = BlankForm(
    code="F-2.04",
    title="Surat Pernyataan Tanggung Jawab Mutlak Kebenaran sebagai Pasangan Suami Istri",
    keywords=("sptjm suami istri", "sptjm pasangan", "sptjm nikah", "pasangan suami istri"),
    items=(
        Text("Yang bertanda tangan di bawah ini:"),
        *_person("Suami"),
        *_person("Istri"),
        Text(
            "menyatakan bahwa kami adalah pasangan suami istri yang telah melangsungkan perkawinan menurut agama "
            "dan kepercayaan kami pada tanggal .................... di .................... , namun belum "
            "memiliki buku nikah atau kutipan akta perkawinan."
        ),
        Text(STATEMENT_END),
        *_witnesses(),
        Signatures(("Suami", "Istri"), stamp=0),
        Signatures(("Saksi I", "Saksi II"), place_date=False),
    ),
)

F_2_12 = BlankForm(
    code="F-2.12",
    title="Formulir Pencatatan Perkawinan",
    keywords=("pencatatan perkawinan", "formulir perkawinan", "formulir nikah"),
    items=(
        *_person("Data suami"),
        Field("Agama / kepercayaan"),
        Field("Status perkawinan sebelumnya"),
        *_person("Data istri"),
        Field("Agama / kepercayaan"),
        Field("Status perkawinan sebelumnya"),
        Section("Data perkawinan"),
        Field("Tanggal pemberkatan perkawinan"),
        Field("Tempat pemberkatan"),
        Field("Agama / kepercayaan"),
        Field("Nama pemuka agama / penghayat"),
        Field("Nomor surat keterangan perkawinan"),
        Field("Nomor putusan pengadilan (bila ada)"),
        *_witnesses(),
        Signatures(("Suami", "Istri")),
        Signatures(("Saksi I", "Saksi II"), place_date=False),
    ),
)

BLANK_FORMS: dict[str, BlankForm] = {f.code: f for f in (F_1_01, F_1_03, F_1_06, F_2_01, F_2_03, F_2_04, F_2_12)}
# For Requirement.form's choices: "F-2.01 Formulir Pelaporan …".
FORM_CHOICES = [(f.code, f"{f.code} {f.title}") for f in BLANK_FORMS.values()]


# "F-2.01", "f2.01", "F 1.01", "f-201": how people write a form's code.
CODE_RE = re.compile(r"\bf\s?-?\s?([12])\s?[.,]?\s?(\d{2})\b", re.IGNORECASE)


def blank_form_get(code: str) -> BlankForm | None:
    return BLANK_FORMS.get((code or "").upper())


def form_code_find(text: str) -> str:
    """The code of a known blank form written in `text` ("minta formulir f-1.01"), or ""."""
    for match in CODE_RE.finditer(text or ""):
        code = f"F-{match.group(1)}.{match.group(2)}"
        if code in BLANK_FORMS:
            return code
    return ""
