"""Anytime commands (menu, status, batal, bantuan, petugas, language), typo-tolerant, Indonesian and English."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from pencet.catalog.blank_forms import form_code_find

COMMANDS: dict[str, tuple[str, ...]] = {
    "menu": ("menu", "mulai", "start", "home", "layanan", "daftar layanan", "kembali ke menu", "main menu"),
    "status": ("status", "cek status", "cek", "lacak", "track", "tracking", "cek permohonan"),
    "cancel": ("batal", "batalkan", "cancel", "batalkan permohonan"),
    "help": ("bantuan", "help", "tolong", "panduan", "bantu"),
    "human": (
        "petugas",
        "operator",
        "admin",
        "cs",
        "agent",
        "human",
        "officer",
        "manusia",
        "bicara dengan petugas",
        "hubungi petugas",
        "talk to officer",
    ),
    "complaint": (
        "pengaduan",
        "saran",
        "keluhan",
        "aduan",
        "komplain",
        "complaint",
        "suggestion",
        "mengadu",
        "kritik dan saran",
        "kritik saran",
        "buat pengaduan",
        "ajukan pengaduan",
        "sampaikan keluhan",
    ),
    "english": ("english", "bahasa inggris", "inggris", "in english"),
    "indonesian": ("bahasa indonesia", "indonesia", "indonesian", "bahasa"),
}
# Commands that take a tracking code: "status SNJ-2611-0042".
WITH_ARGUMENT = {"status", "cancel"}
CODE_RE = re.compile(r"\b([A-Za-z]{2,6})[-\s]?(\d{4})[-\s]?(\d{4})\b")
# Complaint codes (pencet.surveys.complaints): ADU-SNJ-2611-0007.
COMPLAINT_CODE_RE = re.compile(r"\bADU[-\s]?([A-Za-z]{2,6})[-\s]?(\d{4})[-\s]?(\d{4})\b", re.IGNORECASE)
# A complaint said in one message: "keluhan: antrean lama sekali".
COMPLAINT_HEADS = ("pengaduan", "saran", "keluhan", "aduan", "komplain")


# Words that ask for a blank form ("formulirnya dimana?", "minta blanko sptjm"); a request is a short message.
FORM_WORDS = {"formulir", "formulirnya", "formular", "blanko", "blankonya", "blangko", "blangkonya", "form", "formnya"}
FORM_REQUEST_MAX_WORDS = 10


@dataclass(frozen=True)
class Command:
    name: str
    code: str = ""
    # What followed the command word ("keluhan: antrean lama" → "antrean lama").
    text: str = ""


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower().strip()
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def tracking_code_find(text: str) -> str:
    match = CODE_RE.search(text or "")
    if not match:
        return ""
    return f"{match.group(1).upper()}-{match.group(2)}-{match.group(3)}"


def complaint_code_find(text: str) -> str:
    match = COMPLAINT_CODE_RE.search(text or "")
    if not match:
        return ""
    return f"ADU-{match.group(1).upper()}-{match.group(2)}-{match.group(3)}"


def command_parse(*, text: str, fuzzy: bool = True) -> Command | None:
    """The command in a short message, or None. `fuzzy=False` where the citizen is typing free data (names):
    then only a whole message that is exactly a command counts."""
    clean = normalize(text)
    if not clean:
        return None
    complaint_code = complaint_code_find(text)
    if complaint_code and (clean.split()[0] in COMMANDS["status"] or len(clean.split()) <= 4):
        return Command("complaint_status", complaint_code)
    head, _space, rest = clean.partition(" ")
    if fuzzy and head in COMPLAINT_HEADS and rest and clean not in COMMANDS["complaint"]:
        said = re.sub(r"^\W*\w+\W*", "", text.strip(), count=1).strip()
        return Command("complaint", text=said)
    if len(clean) > 40:
        return None
    code = tracking_code_find(text)
    words = clean.split()
    for name, phrases in COMMANDS.items():
        if clean in phrases:
            return Command(name)
    if code:
        head = words[0]
        for name in WITH_ARGUMENT:
            if head in COMMANDS[name] or (fuzzy and _close(head, COMMANDS[name])):
                return Command(name, code)
    if not fuzzy or len(words) > 3:
        return None
    # Typos: "stauts", "bantun", "petugs", "meny". Short words are too easy to confuse with answers.
    if len(clean) >= 4:
        for name, phrases in COMMANDS.items():
            if _close(clean, phrases):
                return Command(name)
    return None


def _close(word: str, phrases: tuple[str, ...]) -> bool:
    # A typo keeps the first letter: "petugs" is "petugas", but "lansia" (elderly) is not "manusia".
    candidates = [p for p in phrases if len(p) >= 4 and p[0] == word[:1]]
    return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=0.75))


def form_request_parse(*, text: str) -> Command | None:
    """A request for a blank form in a short sentence: Command("form", code, the words), else None.

    "formulirnya dimana?", "minta formulir F-1.01", "blanko sptjm", or a form's code alone ("F-2.01")."""
    clean = normalize(text)
    words = clean.split()
    if not words or len(words) > FORM_REQUEST_MAX_WORDS:
        return None
    code = form_code_find(text)
    if FORM_WORDS.intersection(words) or (code and len(words) <= 2):
        return Command("form", code, clean)
    return None
