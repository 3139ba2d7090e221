"""Reading what citizens type instead of tapping: an offered option named in their own words, yes and no said in
a phrase, the service a sentence asks for, greetings and thanks.

Pure functions over normalised text (pencet.bot.commands.normalize); the flows decide what a match means.
"""

import re

from .commands import normalize

# Words that carry no meaning for matching: pronouns, politeness, particles, "mau bikin".
FILLER = {
    "saya",
    "aku",
    "sy",
    "kami",
    "kita",
    "mau",
    "ingin",
    "pengen",
    "pingin",
    "bikin",
    "buat",
    "membuat",
    "urus",
    "mengurus",
    "ngurus",
    "tolong",
    "minta",
    "mohon",
    "pak",
    "bu",
    "bapak",
    "ibu",
    "kak",
    "mas",
    "mbak",
    "dik",
    "min",
    "yang",
    "untuk",
    "utk",
    "dan",
    "atau",
    "di",
    "ke",
    "dari",
    "dengan",
    "dgn",
    "ada",
    "punya",
    "sudah",
    "sdh",
    "udah",
    "nya",
    "dong",
    "deh",
    "sih",
    "ya",
    "kah",
    "gimana",
    "bagaimana",
    "cara",
    "caranya",
    "bisa",
    "apa",
    "apakah",
    "th",
    "thn",
    "tahun",
    "atas",
    "ini",
    "itu",
    "juga",
    "saja",
    "penyandang",
    "aja",
    "dulu",
    "pakai",
    "pake",
    "yg",
    "anak",
    "adik",
    "orang",
    "tua",
    "suami",
    "istri",
    "ayah",
    "kakak",
    "nenek",
    "kakek",
}
YES_WORDS = {"ya", "iya", "iyah", "y", "yes", "ok", "oke", "okay", "benar", "betul", "bener", "setuju", "lanjut"}
YES_WORDS |= {"kirim", "pakai", "boleh", "siap", "sip", "mau", "yup", "yap", "sesuai", "tepat", "sekali"}
NO_WORDS = {"tidak", "tdk", "gak", "ga", "nggak", "enggak", "ngga", "no", "salah", "bukan", "jangan", "belum"}
NO_WORDS |= {"ndak", "keliru"}
GREETING_WORDS = {
    "halo",
    "hallo",
    "helo",
    "hai",
    "hi",
    "hello",
    "p",
    "ping",
    "assalamualaikum",
    "assalamu",
    "alaikum",
    "assalamualaikum wr wb",
    "salam",
    "selamat",
    "pagi",
    "siang",
    "sore",
    "malam",
    "permisi",
    "wr",
    "wb",
    "warahmatullahi",
    "wabarakatuh",
    "om",
    "swastiastu",
    "shalom",
}
THANKS = re.compile(r"^(terima ?kasih|trima ?kasih|makasih|makasi|mksh|trims|thanks|thank you|thx|tq|matur nuwun)\b")


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-/+:,.()]+", normalize(text)) if w]


def content_words(text: str) -> list[str]:
    """The words that mean something: no filler, no bare numbers."""
    return [w for w in words(text) if w not in FILLER and not w.isdigit()]


def _same(typed: str, word: str) -> bool:
    """One typed word names a title word: equal, or a prefix of at least four letters ("kelahir", "disabil")."""
    if typed == word:
        return True
    shorter, longer = sorted((typed, word), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def option_match(text: str, options: list[tuple[str, str, str]]) -> str:
    """The one option (id, title, hint) whose title or hint the typed words name; "" when none or a tie.

    "lansia" picks "Lansia (60 th ke atas)" over "Lansia dan disabilitas": both name it, but only the first
    leaves nothing unsaid. "surat dari bidan" picks the birth letter, whose full name mentions the midwife.
    """
    typed = content_words(text)
    if not typed:
        return ""
    scored = []
    for option_id, title, hint in options:
        title_words = content_words(title)
        vocabulary = title_words + content_words(hint)
        hits = sum(1 for t in typed if any(_same(t, w) for w in vocabulary))
        # Every word must fit ("cek permohonan" is not "Kirim permohonan"); a long sentence may carry one more.
        if not hits or len(typed) - hits > (1 if len(typed) >= 4 else 0):
            continue
        unsaid = sum(1 for w in title_words if not any(_same(t, w) for t in typed))
        scored.append((-hits, unsaid, option_id))
    if not scored:
        return ""
    scored.sort()
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return ""
    return scored[0][2]


def resembles_option(text: str, options: list[tuple[str, str, str]]) -> bool:
    """Whether the typed words look like an answer to the offered options (then they are never a command)."""
    return bool(option_match(text, options)) or any(
        _same(t, w) for t in content_words(text) for _i, title, _h in options for w in content_words(title)
    )


def yes_or_no(text: str) -> str:
    """ "yes", "no" or "" for a short phrase: "iya betul", "ya benar sekali", "tidak jadi", "bukan"."""
    said = words(text)
    if not said or len(said) > 5:
        return ""
    if said[0] in NO_WORDS or any(w in ("tidak", "tdk", "bukan", "salah") for w in said):
        return "no"
    if said[0] in YES_WORDS and all(w in YES_WORDS or w in FILLER for w in said):
        return "yes"
    return ""


def is_greeting(text: str) -> bool:
    said = words(text)
    if not said or len(said) > 6 or said[0] not in GREETING_WORDS:
        return False
    return all(w in GREETING_WORDS or w in FILLER for w in said)


def is_thanks(text: str) -> bool:
    clean = normalize(text)
    return bool(THANKS.match(clean)) and len(words(clean)) <= 8


def greeting_strip(text: str) -> str:
    """ "Assalamualaikum, ktp saya hilang" → "ktp saya hilang"."""
    said = words(text)
    while said and said[0] in GREETING_WORDS:
        said.pop(0)
    return " ".join(said)


# --- Which service a sentence asks for ------------------------------------------------------------------

CONCEPTS = {
    "kk": ("kk", "kartu keluarga", "kartukeluarga"),
    "ktp": ("ktp", "ktpel", "ktp el", "e ktp", "ektp", "kartu tanda penduduk"),
    "kia": ("kia", "kartu identitas anak", "kartu anak"),
    "akta": ("akta", "akte"),
    "lahir": ("lahir", "kelahiran", "lahiran", "melahirkan", "bayi", "baru lahir"),
    "mati": ("mati", "meninggal", "kematian", "wafat", "almarhum", "almarhumah", "meninggal dunia"),
    "kawin": ("nikah", "kawin", "perkawinan", "pernikahan", "menikah"),
    "cerai": ("cerai", "perceraian", "bercerai"),
    "pindah": ("pindah", "pindahan", "mutasi", "surat pindah"),
    "keluar": ("keluar", "ke luar", "pergi"),
    "datang": ("datang", "masuk", "pendatang"),
    "hilang": ("hilang", "rusak", "patah", "robek", "sobek", "kehilangan", "hilangkan", "cetak ulang"),
    "baru": ("baru", "pertama", "perekaman", "rekam", "17 tahun"),
    "ubah": ("ubah", "perubahan", "ganti", "salah", "update", "perbaiki", "perbaikan", "tambah", "koreksi"),
    "biometrik": ("rekam ulang", "perekaman ulang", "biometrik", "sidik jari", "iris mata", "data ganda"),
}
# The concepts a request must name for each seeded service (offices may add others; those fall back to names).
SERVICE_CONCEPTS = {
    "kk-baru": {"kk", "baru"},
    "kk-perubahan": {"kk", "ubah"},
    "kk-hilang-rusak": {"kk", "hilang"},
    "ktp-baru": {"ktp", "baru"},
    "ktp-perubahan": {"ktp", "ubah"},
    "ktp-hilang-rusak": {"ktp", "hilang"},
    "ktp-rekam-ulang": {"ktp", "biometrik"},
    "kia": {"kia"},
    "akta-kelahiran": {"lahir"},
    "akta-kematian": {"mati"},
    "akta-perkawinan": {"kawin"},
    "akta-perceraian": {"cerai"},
    "pindah-keluar": {"pindah", "keluar"},
    "pindah-datang": {"pindah", "datang"},
    "one-three": {"lahir", "kk", "kia"},
    "kematian-kk": {"mati", "kk"},
}
# A document named without what happened to it: the services of that document.
DOCUMENT_GROUPS = {"kk": "kk", "ktp": "ktp", "kia": "kia", "akta": "akta", "pindah": "pindah"}


def concepts_in(text: str) -> set[str]:
    clean = " " + " ".join(words(text)) + " "
    found = set()
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            if f" {phrase} " in clean or (len(phrase) >= 5 and any(w.startswith(phrase) for w in clean.split())):
                found.add(concept)
                break
    if "biometrik" in found:
        # "rekam ulang" is a second recording, not the first one "rekam" alone asks for.
        found.discard("baru")
    return found


def services_named(text: str, codes: list[str]) -> list[str]:
    """The service codes (among `codes`) a sentence asks for, most specific first; [] when it names none."""
    found = concepts_in(text)
    if not found:
        return []
    fitting = [c for c in codes if c in SERVICE_CONCEPTS and SERVICE_CONCEPTS[c] <= found]
    if not fitting:
        return []
    most = max(len(SERVICE_CONCEPTS[c]) for c in fitting)
    return [c for c in fitting if len(SERVICE_CONCEPTS[c]) == most]


def document_group_named(text: str) -> str:
    """The document group a message names without saying what is needed ("kk saya", "urus ktp")."""
    found = concepts_in(text)
    groups = [DOCUMENT_GROUPS[c] for c in ("kk", "ktp", "kia", "pindah", "akta") if c in found]
    return groups[0] if len(groups) == 1 else ""
