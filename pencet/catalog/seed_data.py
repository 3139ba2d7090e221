"""The national service catalogue as seeded for every office (SE Dirjen Dukcapil 470/13287/Dukcapil, 2021).

Each requirement is (code, full name, short name ≤ 24, options). Options:
    optional: the citizen may skip it (shown with `condition`);
    alt: requirements sharing this group are alternatives, any one suffices;
    instruction: what a good photo of it looks like;
    form: the blank form it is (pencet.catalog.blank_forms), when its name does not say it ("… (F-2.01)").
Offices edit all of this in the admin afterwards; the seed only fills what is missing.
"""

from typing import Any

KK_PHOTO = "Foto Kartu Keluarga asli, seluruh halaman terlihat jelas"
KTP_PHOTO = "Foto KTP-el asli bagian depan, tidak terpotong dan tidak silau"
FORM = "Foto formulir yang sudah diisi dan ditandatangani"

R = dict[str, Any]


def req(code: str, name: str, short: str, **options: Any) -> R:
    return {"code": code, "name": name, "short_name": short, **options}


SERVICES: list[R] = [
    {
        "code": "kk-baru",
        "name": "Kartu Keluarga baru",
        "short_name": "KK baru",
        "group": "kk",
        "description": "Membuat Kartu Keluarga untuk keluarga baru, misalnya setelah menikah.",
        "who_may_apply": "Kepala keluarga atau anggota keluarga yang telah berumur 17 tahun atau sudah menikah.",
        "target_working_hours": 8,
        "requirements": [
            req(
                "buku-nikah",
                "Buku nikah / kutipan akta perkawinan, atau akta perceraian",
                "Buku nikah/akta kawin",
                alt="perkawinan",
            ),
            req(
                "sptjm-kawin-belum-tercatat",
                "SPTJM perkawinan belum tercatat (F-1.06)",
                "SPTJM kawin blm tercatat",
                alt="perkawinan",
                instruction=FORM,
            ),
            req(
                "skpwni",
                "Surat Keterangan Pindah WNI (SKPWNI)",
                "SKPWNI",
                optional=True,
                condition="Hanya jika pindahan dari kabupaten/kota lain",
            ),
        ],
    },
    {
        "code": "kk-perubahan",
        "name": "Kartu Keluarga perubahan data",
        "short_name": "KK perubahan data",
        "group": "kk",
        "description": "Mengubah data di Kartu Keluarga: tambah/kurang anggota, pendidikan, pekerjaan, status kawin.",
        "who_may_apply": "Kepala keluarga atau anggota keluarga yang bersangkutan.",
        "target_working_hours": 8,
        "requirements": [
            req("kk-lama", "Kartu Keluarga lama", "KK lama", instruction=KK_PHOTO),
            req(
                "bukti-perubahan",
                "Bukti perubahan data (akta, ijazah, surat keterangan, dsb.)",
                "Bukti perubahan data",
            ),
        ],
    },
    {
        "code": "kk-hilang-rusak",
        "name": "Kartu Keluarga hilang atau rusak",
        "short_name": "KK hilang/rusak",
        "group": "kk",
        "description": "Mencetak ulang Kartu Keluarga yang hilang atau rusak.",
        "who_may_apply": "Kepala keluarga atau anggota keluarga.",
        "target_working_hours": 8,
        "requirements": [
            req(
                "surat-kehilangan",
                "Surat keterangan kehilangan dari kepolisian",
                "Surat hilang (polisi)",
                alt="bukti",
            ),
            req("kk-rusak", "Kartu Keluarga yang rusak", "KK yang rusak", alt="bukti", instruction=KK_PHOTO),
            req("ktp-el", "KTP-el pemohon", "KTP-el", instruction=KTP_PHOTO),
        ],
    },
    {
        "code": "ktp-baru",
        "name": "KTP-el baru (perekaman pertama)",
        "short_name": "KTP-el baru",
        "group": "ktp",
        "description": "KTP-el pertama bagi penduduk yang berumur 17 tahun, sudah kawin atau pernah kawin.",
        "who_may_apply": "Penduduk berumur 17 tahun ke atas, atau yang sudah/pernah kawin.",
        "needs_biometric": True,
        "in_person": "recording",
        "target_working_hours": 8,
        "requirements": [
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req(
                "buku-nikah",
                "Buku nikah (jika belum berumur 17 tahun tetapi sudah kawin)",
                "Buku nikah",
                optional=True,
                condition="Hanya jika belum 17 tahun tetapi sudah kawin",
            ),
        ],
    },
    {
        "code": "ktp-perubahan",
        "name": "KTP-el perubahan data",
        "short_name": "KTP-el perubahan data",
        "group": "ktp",
        "description": "Mencetak KTP-el baru karena ada data yang berubah.",
        "who_may_apply": "Pemilik KTP-el.",
        "target_working_hours": 8,
        "requirements": [
            req("ktp-lama", "KTP-el lama", "KTP-el lama", instruction=KTP_PHOTO),
            req("bukti-perubahan", "Bukti perubahan data", "Bukti perubahan data"),
        ],
    },
    {
        "code": "ktp-hilang-rusak",
        "name": "KTP-el hilang atau rusak",
        "short_name": "KTP-el hilang/rusak",
        "group": "ktp",
        "description": "Mencetak ulang KTP-el yang hilang atau rusak (tanpa perekaman ulang).",
        "who_may_apply": "Pemilik KTP-el.",
        "target_working_hours": 8,
        "requirements": [
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req(
                "surat-kehilangan",
                "Surat keterangan kehilangan dari kepolisian",
                "Surat hilang (polisi)",
                alt="bukti",
            ),
            req("ktp-rusak", "KTP-el yang rusak", "KTP-el yang rusak", alt="bukti", instruction=KTP_PHOTO),
        ],
    },
    {
        "code": "ktp-rekam-ulang",
        "name": "Perekaman ulang biometrik KTP-el",
        "short_name": "Rekam ulang KTP-el",
        "group": "ktp",
        "description": "Memutakhirkan sidik jari, iris mata dan foto KTP-el, misalnya karena data biometrik ganda, "
        "rusak atau gagal terbaca.",
        "who_may_apply": "Pemilik KTP-el yang diminta merekam ulang oleh Disdukcapil.",
        "needs_biometric": True,
        "in_person": "biometric",
        "target_working_hours": 8,
        "requirements": [
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req("ktp-lama", "KTP-el lama", "KTP-el lama", instruction=KTP_PHOTO),
        ],
    },
    {
        "code": "kia",
        "name": "Kartu Identitas Anak (KIA)",
        "short_name": "KIA",
        "group": "kia",
        "description": "Kartu identitas untuk anak di bawah 17 tahun yang belum kawin.",
        "who_may_apply": "Orang tua atau wali anak.",
        "target_working_hours": 8,
        "requirements": [
            req("akta-kelahiran", "Kutipan akta kelahiran anak", "Akta kelahiran anak"),
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req("ktp-ayah", "KTP-el ayah", "KTP-el ayah", instruction=KTP_PHOTO),
            req("ktp-ibu", "KTP-el ibu", "KTP-el ibu", instruction=KTP_PHOTO),
            req(
                "pas-foto",
                "Pas foto berwarna anak 2×3",
                "Pas foto anak 2x3",
                optional=True,
                condition="Wajib untuk anak berumur 5 tahun ke atas",
                accepts="image",
            ),
            req(
                "surat-kehilangan",
                "Surat keterangan kehilangan dari kepolisian",
                "Surat hilang (polisi)",
                optional=True,
                condition="Hanya jika KIA lama hilang",
            ),
            req(
                "kia-rusak",
                "KIA lama yang rusak",
                "KIA yang rusak",
                optional=True,
                condition="Hanya jika KIA lama rusak",
            ),
        ],
    },
    {
        "code": "akta-kelahiran",
        "name": "Akta kelahiran",
        "short_name": "Akta kelahiran",
        "group": "akta",
        "description": "Mencatat kelahiran dan menerbitkan kutipan akta kelahiran.",
        "who_may_apply": "Orang tua, keluarga, atau yang mengetahui kelahiran.",
        "legal_deadline_days": 60,
        "legal_basis": "UU 24/2013 Pasal 27",
        "event_label": "kelahiran",
        "target_working_hours": 8,
        "requirements": [
            req(
                "surat-kelahiran",
                "Surat keterangan kelahiran (rumah sakit, puskesmas, dokter, bidan, atau kepala desa)",
                "Surat ket. kelahiran",
                alt="bukti-lahir",
            ),
            req(
                "sptjm-kelahiran",
                "SPTJM kebenaran data kelahiran (F-2.03) dengan 2 saksi",
                "SPTJM kelahiran F-2.03",
                alt="bukti-lahir",
                instruction=FORM,
            ),
            req(
                "buku-nikah",
                "Buku nikah / kutipan akta perkawinan orang tua",
                "Buku nikah orang tua",
                alt="perkawinan",
            ),
            req(
                "sptjm-suami-istri",
                "SPTJM kebenaran pasangan suami istri (F-2.04)",
                "SPTJM suami istri F-2.04",
                alt="perkawinan",
                instruction=FORM,
            ),
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req(
                "formulir",
                "Formulir pelaporan pencatatan sipil (F-2.01)",
                "Formulir F-2.01",
                instruction=FORM,
            ),
            req(
                "laporan-polisi",
                "Berita acara kepolisian (untuk anak yang ditemukan/tidak diketahui asal-usulnya)",
                "BA kepolisian",
                optional=True,
                condition="Hanya untuk anak yang tidak diketahui asal-usulnya",
            ),
        ],
    },
    {
        "code": "akta-kematian",
        "name": "Akta kematian",
        "short_name": "Akta kematian",
        "group": "akta",
        "description": "Mencatat kematian dan menerbitkan kutipan akta kematian.",
        "who_may_apply": "Keluarga, ahli waris, atau ketua RT/kepala desa.",
        "legal_deadline_days": 30,
        "legal_basis": "UU 24/2013 Pasal 44",
        "event_label": "kematian",
        "target_working_hours": 8,
        "requirements": [
            req(
                "surat-kematian",
                "Surat keterangan kematian (dokter, kepala desa/lurah, atau kepolisian)",
                "Surat ket. kematian",
            ),
            req("kk", "Kartu Keluarga almarhum/almarhumah", "KK almarhum", instruction=KK_PHOTO),
            req(
                "ktp-almarhum",
                "KTP-el almarhum/almarhumah",
                "KTP-el almarhum",
                optional=True,
                condition="Jika ada",
            ),
            req(
                "formulir",
                "Formulir pelaporan pencatatan sipil (F-2.01)",
                "Formulir F-2.01",
                instruction=FORM,
            ),
        ],
    },
    {
        "code": "akta-perkawinan",
        "name": "Akta perkawinan (non-Muslim)",
        "short_name": "Akta perkawinan",
        "group": "akta",
        "description": "Mencatat perkawinan bagi penduduk non-Muslim setelah pemberkatan agama.",
        "who_may_apply": "Kedua mempelai.",
        "legal_deadline_days": 60,
        "legal_basis": "UU 24/2013 Pasal 34",
        "event_label": "perkawinan",
        "target_working_hours": 16,
        "same_day": False,
        "requirements": [
            req("surat-pemberkatan", "Surat keterangan perkawinan dari pemuka agama", "Surat pemberkatan"),
            req(
                "pas-foto",
                "Pas foto berwarna berdampingan kedua mempelai",
                "Pas foto mempelai",
                accepts="image",
            ),
            req("kk", "Kartu Keluarga kedua mempelai", "KK mempelai", instruction=KK_PHOTO),
            req("ktp-el", "KTP-el kedua mempelai", "KTP-el mempelai", instruction=KTP_PHOTO),
            req(
                "akta-pasangan-lama",
                "Akta kematian atau akta perceraian pasangan terdahulu",
                "Akta cerai/kematian",
                optional=True,
                condition="Hanya jika pernah kawin",
            ),
            req("formulir", "Formulir pencatatan perkawinan (F-2.12)", "Formulir F-2.12", instruction=FORM),
        ],
    },
    {
        "code": "akta-perceraian",
        "name": "Akta perceraian",
        "short_name": "Akta perceraian",
        "group": "akta",
        "description": "Mencatat perceraian berdasarkan putusan pengadilan yang telah berkekuatan hukum tetap.",
        "who_may_apply": "Salah satu pihak yang bercerai.",
        "legal_deadline_days": 60,
        "legal_basis": "UU 24/2013 Pasal 40",
        "event_label": "putusan berkekuatan hukum tetap",
        # The court's decision is checked in the original at the office.
        "in_person": "originals",
        "target_working_hours": 16,
        "same_day": False,
        "requirements": [
            req(
                "putusan-pengadilan",
                "Salinan putusan pengadilan berkekuatan hukum tetap",
                "Putusan pengadilan",
                original_shown=True,
            ),
            req("akta-perkawinan", "Kutipan akta perkawinan", "Akta perkawinan", alt="perkawinan"),
            req(
                "sptjm-perkawinan",
                "SPTJM perkawinan",
                "SPTJM perkawinan",
                alt="perkawinan",
                instruction=FORM,
                form="F-1.06",
            ),
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req("ktp-el", "KTP-el", "KTP-el", instruction=KTP_PHOTO),
            req(
                "formulir",
                "Formulir pelaporan pencatatan sipil (F-2.01)",
                "Formulir F-2.01",
                instruction=FORM,
            ),
        ],
    },
    {
        "code": "pindah-keluar",
        "name": "Pindah keluar (SKPWNI)",
        "short_name": "Pindah keluar",
        "group": "pindah",
        "description": "Surat keterangan pindah untuk penduduk yang pindah ke kabupaten/kota lain. Pindah di dalam "
        "kabupaten tidak memerlukan SKPWNI: langsung KK dan KTP-el baru.",
        "who_may_apply": "Kepala keluarga atau anggota keluarga yang pindah.",
        "target_working_hours": 8,
        "requirements": [
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req("formulir", "Formulir pindah (F-1.03)", "Formulir F-1.03", instruction=FORM),
            req(
                "surat-pemilik-rumah",
                "Surat pernyataan pemilik rumah (jika menumpang)",
                "Pernyataan pemilik rumah",
                optional=True,
                condition="Hanya jika menumpang",
            ),
        ],
    },
    {
        "code": "pindah-datang",
        "name": "Pindah datang",
        "short_name": "Pindah datang",
        "group": "pindah",
        "description": "Mendaftarkan penduduk yang pindah masuk dari kabupaten/kota lain.",
        "who_may_apply": "Kepala keluarga atau anggota keluarga yang pindah.",
        # The SKPWNI from the old regency is checked in the original at the office.
        "in_person": "originals",
        "target_working_hours": 8,
        "requirements": [
            req("skpwni", "Surat Keterangan Pindah WNI (SKPWNI)", "SKPWNI", original_shown=True),
            req("ktp-kia-lama", "KTP-el atau KIA lama", "KTP-el/KIA lama", instruction=KTP_PHOTO),
            req(
                "surat-pemilik-rumah",
                "Surat pernyataan pemilik rumah (jika menumpang)",
                "Pernyataan pemilik rumah",
                optional=True,
                condition="Hanya jika menumpang",
            ),
        ],
    },
]

BUNDLES: list[R] = [
    {
        "code": "one-three",
        "name": "One Three: akta kelahiran + KK + KIA",
        "short_name": "One Three (lahir 3in1)",
        "group": "paket",
        "description": "Program Sinjai untuk kelahiran: akta kelahiran, Kartu Keluarga baru yang memuat anak, "
        "dan Kartu Identitas Anak sekaligus dalam satu permohonan.",
        "who_may_apply": "Orang tua bayi.",
        "legal_deadline_days": 60,
        "legal_basis": "UU 24/2013 Pasal 27",
        "event_label": "kelahiran",
        "target_working_hours": 8,
        "components": ["akta-kelahiran", "kk-perubahan", "kia"],
        "requirements": [
            req(
                "surat-kelahiran",
                "Surat keterangan kelahiran (rumah sakit, puskesmas, dokter, bidan, atau kepala desa)",
                "Surat ket. kelahiran",
                alt="bukti-lahir",
            ),
            req(
                "sptjm-kelahiran",
                "SPTJM kebenaran data kelahiran (F-2.03) dengan 2 saksi",
                "SPTJM kelahiran F-2.03",
                alt="bukti-lahir",
                instruction=FORM,
            ),
            req(
                "buku-nikah",
                "Buku nikah / kutipan akta perkawinan orang tua",
                "Buku nikah orang tua",
                alt="perkawinan",
            ),
            req(
                "sptjm-suami-istri",
                "SPTJM kebenaran pasangan suami istri (F-2.04)",
                "SPTJM suami istri F-2.04",
                alt="perkawinan",
                instruction=FORM,
            ),
            req("kk", "Kartu Keluarga", "Kartu Keluarga", instruction=KK_PHOTO),
            req("ktp-ayah", "KTP-el ayah", "KTP-el ayah", instruction=KTP_PHOTO),
            req("ktp-ibu", "KTP-el ibu", "KTP-el ibu", instruction=KTP_PHOTO),
            req(
                "formulir",
                "Formulir pelaporan pencatatan sipil (F-2.01)",
                "Formulir F-2.01",
                instruction=FORM,
            ),
        ],
    },
    {
        "code": "kematian-kk",
        "name": "Kematian: akta kematian + perubahan KK + KTP-el pasangan",
        "short_name": "Kematian + KK + KTP-el",
        "group": "paket",
        "description": "Akta kematian, Kartu Keluarga yang diperbarui, dan KTP-el pasangan yang ditinggalkan (status "
        "perkawinan berubah) sekaligus dalam satu permohonan.",
        "who_may_apply": "Keluarga atau ahli waris.",
        "legal_deadline_days": 30,
        "legal_basis": "UU 24/2013 Pasal 44",
        "event_label": "kematian",
        "target_working_hours": 8,
        "components": ["akta-kematian", "kk-perubahan", "ktp-perubahan"],
        "requirements": [
            req(
                "surat-kematian",
                "Surat keterangan kematian (dokter, kepala desa/lurah, atau kepolisian)",
                "Surat ket. kematian",
            ),
            req("kk", "Kartu Keluarga almarhum/almarhumah", "KK almarhum", instruction=KK_PHOTO),
            req(
                "ktp-almarhum",
                "KTP-el almarhum/almarhumah",
                "KTP-el almarhum",
                optional=True,
                condition="Jika ada",
            ),
            req(
                "formulir",
                "Formulir pelaporan pencatatan sipil (F-2.01)",
                "Formulir F-2.01",
                instruction=FORM,
            ),
        ],
    },
]

# The data about the person the document is for, asked after the applicant's own (SubjectField codes, in order).
BIRTH_SUBJECT = ["child_name", "child_sex", "child_birth_date", "child_birth_place", "father_name", "mother_name"]
DEATH_SUBJECT = ["deceased_name", "deceased_nik", "death_date", "death_place"]
SUBJECT_FIELDS: dict[str, list[str]] = {
    "akta-kelahiran": BIRTH_SUBJECT,
    "one-three": BIRTH_SUBJECT,
    "akta-kematian": DEATH_SUBJECT,
    "kematian-kk": DEATH_SUBJECT,
}
# KTP-el and KIA are cards printed at the office: only picked up. KK and akta are A4 PDFs with TTE (since 2020),
# so they travel by e-mail or WhatsApp too; an office still printing KK on blanko sets its KK services to pickup.
PICKUP_ONLY = ["pickup"]
DELIVERY_MODES: dict[str, list[str]] = {
    "ktp-baru": PICKUP_ONLY,
    "ktp-perubahan": PICKUP_ONLY,
    "ktp-hilang-rusak": PICKUP_ONLY,
    "ktp-rekam-ulang": PICKUP_ONLY,
    "kia": PICKUP_ONLY,
    # A bundle (One Three, the death bundle) goes document by document: its akta and KK travel as PDFs the way the
    # citizen chose, its card (KIA, the spouse's KTP-el) is picked up at the office (pencet.cases.components).
}
