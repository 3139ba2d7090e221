"""The sample questionnaire of PermenPANRB No. 14 Tahun 2017 (Lampiran), as data.

Each new survey period of an office starts from these rows; the office admin adjusts them in the admin. The element
order is the regulation's list of unsur (8 = penanganan pengaduan, 9 = sarana dan prasarana), which is also the
order of `scores` in the API. Texts stay in Bahasa Indonesia: they are the regulation's words, stored per period.
"""

# (element, name, question, answers for scores 1..4, short forms ≤ 24 characters where needed, keywords)
QUESTIONS: tuple[tuple[int, str, str, tuple[str, str, str, str], tuple[str, str, str, str], str], ...] = (
    (
        1,
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("", "", "", ""),
        "syarat,persyaratan,berkas,dokumen,fotokopi,formulir",
    ),
    (
        2,
        "Sistem, mekanisme dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("", "", "", ""),
        "prosedur,alur,mekanisme,sistem,antre,antri,ribet,rumit,daftar,online,aplikasi",
    ),
    (
        3,
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("", "", "", ""),
        "waktu,lama,lambat,cepat,tunggu,menunggu,hari,jam",
    ),
    (
        4,
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("", "", "", ""),
        "biaya,tarif,bayar,mahal,uang,pungli,pungutan,gratis",
    ),
    (
        5,
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("", "", "", ""),
        "hasil,produk,salah,keliru,cetak,kartu,akta,ktp,kia,kk",
    ),
    (
        6,
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("", "", "", ""),
        "kompeten,kemampuan,paham,mengerti,menguasai,terampil,petugas",
    ),
    (
        7,
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
        ("", "", "", ""),
        "sopan,ramah,sikap,perilaku,kasar,judes,senyum,petugas",
    ),
    (
        8,
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
        ("", "Ada, tidak berfungsi", "Kurang maksimal", ""),
        "pengaduan,keluhan,komplain,saran,tanggapan,respon,balas",
    ),
    (
        9,
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("", "", "", ""),
        "sarana,prasarana,ruang,kursi,parkir,toilet,wc,ac,panas,tempat,fasilitas",
    ),
)

EDUCATION_OPTIONS: tuple[str, ...] = ("SD ke bawah", "SMP", "SMA/SMK", "D1–D3", "D4/S1", "S2", "S3")
OCCUPATION_OPTIONS: tuple[str, ...] = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya")

INTRO = (
    "Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017). Jawaban Anda tidak dikaitkan dengan nama atau "
    "nomor Anda dan hanya dipakai untuk memperbaiki pelayanan."
)
