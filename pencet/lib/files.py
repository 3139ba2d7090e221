"""The one check every incoming file goes through: a citizen's WhatsApp photo, an officer's upload, a signed output.

    file_read(*, handle, max_bytes) -> bytes                       (refuses before reading more than the limit)
    file_check(*, data, max_bytes, accept=ACCEPTED) -> CheckedFile (raises FileRejected)

The name and the declared type are never trusted: the real type is sniffed from the bytes (JPEG, PNG, WebP, HEIC,
PDF). Images are opened with a pixel limit and a memory limit read from the header before anything is decoded (a
decompression bomb is refused; a very large JPEG is decoded smaller) and re-encoded upright without their metadata
(EXIF, GPS, XMP); HEIC and JPEG become JPEG. A PDF must be whole (header, %%EOF, readable) and is neutralised:
JavaScript, open/additional actions, embedded files and forms are removed (CheckedFile.quality["removed"] says
what); a PDF with none of them is kept byte for byte, so a signature in it stays valid. The sha256 is of the bytes
stored.

Framework-free: FileRejected.reason is a code (too_big, empty, wrong_type, corrupt, bomb) that each caller puts in
its own words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from pencet.lib import images
from pencet.lib.images import HEIC, JPEG, PDF, PNG, WEBP, FileRejected

__all__ = [
    "ACCEPTED",
    "HEIC",
    "IMAGE_TYPES",
    "JPEG",
    "PDF",
    "PNG",
    "WEBP",
    "CheckedFile",
    "FileRejected",
    "file_check",
    "file_read",
    "file_type",
]

IMAGE_TYPES = frozenset(images.IMAGE_TYPES)
ACCEPTED = frozenset({*IMAGE_TYPES, PDF})
# What a stored file is called; HEIC never appears here because it is stored re-encoded as JPEG.
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: the bytes to store (re-encoded for images) and what is known about them."""

    data: bytes
    content_type: str
    sha256: str
    quality: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF


def file_type(data: bytes) -> str:
    """The real content type from the first bytes, or "" when it is none we accept."""
    return images.sniff(data)


def file_read(*, handle: Readable, max_bytes: int) -> bytes:
    """The content of an uploaded file, refused as too_big without reading (much) more than the limit."""
    declared = getattr(handle, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise FileRejected("too_big", f"{declared} bytes")
    seek = getattr(handle, "seek", None)
    if callable(seek):
        seek(0)
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRejected("too_big", f"more than {max_bytes} bytes")
    return data


def file_check(*, data: bytes, max_bytes: int, accept: Collection[str] = ACCEPTED) -> CheckedFile:
    """Judge one file's bytes and give back what may be stored; raises FileRejected with the reason."""
    if len(data) > max_bytes:
        raise FileRejected("too_big", f"{len(data)} bytes")
    if not data:
        raise FileRejected("empty")
    kind = file_type(data)
    if kind not in accept:
        raise FileRejected("wrong_type", kind or "unknown")
    quality: dict = {}
    if kind == PDF:
        images.pdf_check(data)
        data, removed = images.pdf_neutralise(data)
        if removed:
            quality = {"removed": removed}
        content_type = PDF
    else:
        clean = images.image_clean(data)
        data, content_type, quality = clean.data, clean.content_type, clean.quality
    return CheckedFile(data=data, content_type=content_type, sha256=hashlib.sha256(data).hexdigest(), quality=quality)
