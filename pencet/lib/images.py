"""Checks for files citizens send: real type by magic bytes, safe re-encoding and image quality notes.

Framework-free (Pillow, pillow-heif and pikepdf only) so the bot, the console and the API share one judgement.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

try:  # HEIC/HEIF photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    HEIF_SUPPORTED = False

from .lazy import LazyModule

# Imported when the first PDF is checked: 7 MB that a web worker serving no upload never needs.
pikepdf = LazyModule("pikepdf")

JPEG, PNG, WEBP, HEIC, PDF = "image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"
IMAGE_TYPES = {JPEG, PNG, WEBP, HEIC}

# More pixels than a 50-megapixel phone camera is a decompression bomb, not a photo of a document.
MAX_PIXELS = 50_000_000
# Memory one decoded image may take (cleaning needs about twice that at its peak). 96 MiB holds a 24-megapixel
# photo (an iPhone's HEIC) at 4 bytes a pixel, Pillow's size for RGB; a larger JPEG is decoded at 1/2, 1/4 or
# 1/8 of its size instead, which still leaves thousands of pixels a side; any other larger image is a bomb:
# a 208 KB PNG of 7000 x 7000 would otherwise take 450 MB.
MAX_DECODED_BYTES = 96 * 1024 * 1024
# Bytes a pixel takes in Pillow's memory, by mode (others: 4).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# A document photo whose shorter side is below this is too small to read.
SMALL_SHORT_SIDE = 600
# Variance of the Laplacian (on a grey copy at most QUALITY_SIDE wide) below this is blurry.
BLURRY_SHARPNESS = 60.0
# Mean brightness (0–255) below DARK or above OVEREXPOSED. A clean white form with printed text averages about
# 240–248 (white paper is most of it), so only a nearly blank white frame counts as overexposed; a washed-out
# photo whose text has faded is caught by the sharpness check as well.
DARK_BRIGHTNESS = 60.0
OVEREXPOSED_BRIGHTNESS = 248.0
QUALITY_SIDE = 1024
JPEG_QUALITY = 90

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


class FileRejected(Exception):
    """The file cannot be accepted; `reason` is one of wrong_type, corrupt, bomb (and, from pencet.lib.files,
    too_big, empty)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def sniff(data: bytes) -> str:
    """The real content type from the first bytes, or "" when it is none we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    if b"%PDF-" in data[:1024]:
        return PDF
    return ""


def pdf_check(data: bytes) -> None:
    """A PDF must carry its header and an end-of-file marker (a cut-off upload has none)."""
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise FileRejected("corrupt", "PDF without header or %%EOF")


# Actions a viewer may keep: moving inside the document and ordinary web or mail links. Everything else
# (JavaScript, Launch, SubmitForm, ImportData, GoToR/GoToE, Rendition, RichMediaExecute, ...) is removed.
_SAFE_ACTIONS = {"/GoTo", "/Named", "/URI"}
_SAFE_URI = ("http://", "https://", "mailto:")
# Annotations that carry or play content of their own.
_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# More objects than a document of 20 MB holds in practice: refused rather than walked.
MAX_PDF_OBJECTS = 500_000


def _action_safe(action: object) -> bool:
    if isinstance(action, pikepdf.Array):
        return True  # an explicit destination, not an action
    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = str(action.get("/S", ""))
    if kind not in _SAFE_ACTIONS or "/Next" in action:
        return False
    if kind == "/URI":
        return str(action.get("/URI", "")).strip().lower().startswith(_SAFE_URI)
    return True


def _form_fields_only_signatures(form: pikepdf.Dictionary) -> bool:
    """Whether an AcroForm holds signature fields and nothing else (a signed document keeps them)."""
    if "/XFA" in form:
        return False
    stack = [(field, None) for field in form.get("/Fields", pikepdf.Array())]
    seen = 0
    while stack:
        field, inherited = stack.pop()
        seen += 1
        if not isinstance(field, pikepdf.Dictionary) or seen > 10_000:
            return False
        kind = str(field.get("/FT", inherited or ""))
        kids = field.get("/Kids")
        if isinstance(kids, pikepdf.Array) and len(kids):
            stack.extend((kid, kind) for kid in kids)
        elif kind != "/Sig":
            return False
    return True


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary in the file: the indirect objects and the dictionaries nested directly inside them."""
    objects = pdf.objects
    if len(objects) > MAX_PDF_OBJECTS:
        raise FileRejected("bomb", f"PDF with {len(objects)} objects")
    stack: list = list(objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield obj
            children = list(obj.values())
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        stack.extend(c for c in children if isinstance(c, pikepdf.Dictionary | pikepdf.Array) and not c.is_indirect)


def pdf_neutralise(data: bytes) -> tuple[bytes, list[str]]:
    """The PDF without what could act when an officer opens it: JavaScript, open and additional actions (/AA),
    actions other than links and page moves, embedded and attached files, forms (XFA included; a form of
    signature fields only is kept). Returns (bytes, what was removed); a PDF with none of it comes back byte for
    byte, so a signed document stays valid. Raises FileRejected ("corrupt") for a PDF that cannot be read or is
    locked with a password, since neither could be checked."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise FileRejected("corrupt", "PDF locked with a password") from exc
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise FileRejected("corrupt", f"PDF cannot be read: {exc}") from exc
    removed: set[str] = set()
    with pdf:
        root = pdf.Root
        if "/OpenAction" in root and not _action_safe(root.OpenAction):
            del root["/OpenAction"]
            removed.add("OpenAction")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            for key in ("/JavaScript", "/EmbeddedFiles"):
                if key in names:
                    del names[key]
                    removed.add(key[1:])
        form = root.get("/AcroForm")
        if form is not None and not (isinstance(form, pikepdf.Dictionary) and _form_fields_only_signatures(form)):
            del root["/AcroForm"]
            removed.add("AcroForm")
        for obj in _dictionaries(pdf):
            for key, what in (("/AA", "AA"), ("/JS", "JavaScript"), ("/EF", "EmbeddedFile"), ("/XFA", "XFA")):
                if key in obj:
                    del obj[key]
                    removed.add(what)
            for key in ("/A", "/Next", "/PA"):
                if key in obj and not _action_safe(obj[key]):
                    del obj[key]
                    removed.add("action")
            annotations = obj.get("/Annots")
            if isinstance(annotations, pikepdf.Array):
                kept = [a for a in annotations if str(_get(a, "/Subtype")) not in _ACTIVE_ANNOTATIONS]
                if len(kept) != len(annotations):
                    obj["/Annots"] = pikepdf.Array(kept)
                    removed.add("annotation")
        if not removed:
            return data, []
        out = io.BytesIO()
        try:
            with warnings.catch_warnings():
                # Widgets left without their form are meant: they still show what was filled in.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                pdf.save(out)
        except (pikepdf.PdfError, ValueError) as exc:
            raise FileRejected("corrupt", f"PDF cannot be rewritten: {exc}") from exc
    return out.getvalue(), sorted(removed)


def _get(obj: object, key: str) -> object:
    return obj.get(key, "") if isinstance(obj, pikepdf.Dictionary) else ""


@dataclass
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int
    quality: dict = field(default_factory=dict)


def _decoded_bytes(img: Image.Image) -> int:
    return img.width * img.height * _MODE_BYTES.get(img.mode, 4)


def _fit_in_memory(img: Image.Image, kind: str) -> None:
    """Refuse (from the header alone, before anything is decoded) an image that would not fit MAX_DECODED_BYTES;
    a JPEG is decoded smaller instead (Pillow's draft mode scales while decoding, at no extra memory)."""
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise FileRejected("bomb", f"{width}x{height} pixels")
    if _decoded_bytes(img) <= MAX_DECODED_BYTES:
        return
    if kind == JPEG:
        for scale in (2, 4, 8):
            img.draft(img.mode, (-(-width // scale), -(-height // scale)))
            if _decoded_bytes(img) <= MAX_DECODED_BYTES:
                return
    raise FileRejected("bomb", f"{width}x{height} {img.mode} needs {_decoded_bytes(img) // 2**20} MiB")


def image_clean(data: bytes) -> CleanImage:
    """Open an image safely, turn it upright and re-encode it without any metadata (EXIF, GPS, XMP).

    JPEG and HEIC become JPEG (every reviewer's browser shows it), PNG stays PNG, WebP stays WebP.
    Raises FileRejected for unknown types, corrupt files and decompression bombs (too many pixels, or more
    memory decoded than MAX_DECODED_BYTES; a very large JPEG is stored at a half, a quarter or an eighth).
    """
    kind = sniff(data)
    if kind not in IMAGE_TYPES:
        raise FileRejected("wrong_type", f"not an image ({kind or 'unknown'})")
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            _fit_in_memory(img, kind)
            img.load()
            # Turned in place: a copy would double the memory of a large photo.
            ImageOps.exif_transpose(img, in_place=True)
            return _reencode(img, kind)
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRejected("bomb", str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise FileRejected("corrupt", str(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit


def _reencode(upright: Image.Image, kind: str) -> CleanImage:
    # Pillow writes only what save() is given, so EXIF, GPS and XMP of the original stay behind; dropping them
    # from info as well keeps it so should a format start reading them from there.
    for key in ("exif", "xmp", "XML:com.adobe.xmp"):
        upright.info.pop(key, None)
    out = io.BytesIO()
    if kind == PNG:
        content_type = PNG
        upright.save(out, format="PNG", optimize=False)
    elif kind == WEBP:
        content_type = WEBP
        upright.save(out, format="WEBP", quality=JPEG_QUALITY)
    else:
        content_type = JPEG
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=JPEG_QUALITY)
    return CleanImage(
        data=out.getvalue(),
        content_type=content_type,
        width=upright.width,
        height=upright.height,
        quality=image_quality(upright),
    )


def image_quality(img: Image.Image) -> dict:
    """Notes for the bot and the reviewer: pixel size, sharpness, brightness and the problems found.

    sharpness is the variance of a Laplacian of a grey copy (higher is sharper); brightness the mean grey
    level 0–255. problems ⊆ {"small", "blurry", "dark", "overexposed"}.
    """
    width, height = img.size
    grey = img.convert("L")
    if max(grey.size) > QUALITY_SIDE:
        grey.thumbnail((QUALITY_SIDE, QUALITY_SIDE))
    brightness = ImageStat.Stat(grey).mean[0]
    laplacian = grey.filter(ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=128))
    # Edges of the frame are not content; crop the 1-pixel border the kernel cannot compute.
    if laplacian.width > 2 and laplacian.height > 2:
        laplacian = laplacian.crop((1, 1, laplacian.width - 1, laplacian.height - 1))
    sharpness = ImageStat.Stat(laplacian).var[0]
    problems = []
    if min(width, height) < SMALL_SHORT_SIDE:
        problems.append("small")
    if sharpness < BLURRY_SHARPNESS:
        problems.append("blurry")
    if brightness < DARK_BRIGHTNESS:
        problems.append("dark")
    elif brightness > OVEREXPOSED_BRIGHTNESS:
        problems.append("overexposed")
    return {
        "width": width,
        "height": height,
        "sharpness": round(sharpness, 1),
        "brightness": round(brightness, 1),
        "problems": problems,
    }
