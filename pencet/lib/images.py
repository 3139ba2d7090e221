"""Checks for files citizens send: real type by magic bytes, safe re-encoding and image quality notes.

Framework-free (Pillow and pillow-heif only) so the bot, the console and the API share one judgement.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

try:  # HEIC/HEIF photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    HEIF_SUPPORTED = False

JPEG, PNG, WEBP, HEIC, PDF = "image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"
IMAGE_TYPES = {JPEG, PNG, WEBP, HEIC}

# More pixels than a 50-megapixel phone camera is a decompression bomb, not a photo of a document.
MAX_PIXELS = 50_000_000
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


@dataclass
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int
    quality: dict = field(default_factory=dict)


def image_clean(data: bytes) -> CleanImage:
    """Open an image safely, turn it upright and re-encode it without any metadata (EXIF, GPS, XMP).

    JPEG and HEIC become JPEG (every reviewer's browser shows it), PNG stays PNG, WebP stays WebP.
    Raises FileRejected for unknown types, corrupt files and decompression bombs.
    """
    kind = sniff(data)
    if kind not in IMAGE_TYPES:
        raise FileRejected("wrong_type", f"not an image ({kind or 'unknown'})")
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise FileRejected("bomb", f"{width}x{height} pixels")
            img.load()
            upright = ImageOps.exif_transpose(img)
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRejected("bomb", str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise FileRejected("corrupt", str(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit

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
