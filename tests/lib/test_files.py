"""The one file check shared by WhatsApp media, console uploads and output documents."""

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from pencet.lib.files import ACCEPTED, PDF, FileRejected, file_check, file_read

WHOLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MB = 1024 * 1024


def photo(fmt: str = "JPEG", size=(800, 600), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 190, 180)).save(out, format=fmt, **save)
    return out.getvalue()


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"
    exif.get_ifd(0x8825)[2] = (5.0, 13.0, 12.0)
    return photo(exif=exif)


def png_bomb() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 20_000, 20_000, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 2501 * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(FileRejected) as caught:
        file_check(data=data, max_bytes=kwargs.pop("max_bytes", 5 * MB), **kwargs)
    return caught.value.reason


def test_a_whole_pdf_is_kept_byte_for_byte_with_its_sha256():
    checked = file_check(data=WHOLE_PDF, max_bytes=MB)
    assert checked.data == WHOLE_PDF
    assert (checked.content_type, checked.extension, checked.is_pdf) == ("application/pdf", "pdf", True)
    assert checked.sha256 == hashlib.sha256(WHOLE_PDF).hexdigest()
    assert checked.size == len(WHOLE_PDF) and checked.quality == {}


def test_a_photo_is_reencoded_without_its_location_and_gets_quality_notes():
    checked = file_check(data=photo_with_gps(), max_bytes=MB)
    stored = Image.open(io.BytesIO(checked.data))
    assert not stored.getexif()
    assert (checked.content_type, checked.extension) == ("image/jpeg", "jpg")
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert (checked.quality["width"], checked.quality["height"]) == (800, 600)
    assert "blurry" in checked.quality["problems"]  # a flat colour has no edges at all


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_stay_what_they_are(fmt, content_type):
    assert file_check(data=photo(fmt), max_bytes=MB).content_type == content_type


def test_the_name_never_matters_only_the_bytes():
    assert refusal(b"MZ\x90\x00 a windows program") == "wrong_type"


def test_a_file_above_the_limit_is_refused():
    assert refusal(WHOLE_PDF, max_bytes=len(WHOLE_PDF) - 1) == "too_big"


def test_an_empty_file_is_refused():
    assert refusal(b"") == "empty"


def test_a_cut_off_pdf_is_refused_as_corrupt():
    assert refusal(WHOLE_PDF[:30]) == "corrupt"


def test_a_damaged_photo_is_refused_as_corrupt():
    assert refusal(photo()[:200]) == "corrupt"


def test_a_decompression_bomb_is_refused():
    assert refusal(png_bomb()) == "bomb"


def test_a_caller_may_accept_fewer_types():
    assert refusal(photo(), accept={PDF}) == "wrong_type"
    assert file_check(data=WHOLE_PDF, max_bytes=MB, accept={PDF}).is_pdf
    assert PDF in ACCEPTED


def test_reading_an_upload_stops_at_the_limit():
    class Upload(io.BytesIO):
        size = None

    assert file_read(handle=Upload(b"x" * 10), max_bytes=10) == b"x" * 10
    with pytest.raises(FileRejected, match="more than 9 bytes"):
        file_read(handle=Upload(b"x" * 10), max_bytes=9)


def test_an_upload_that_declares_a_size_above_the_limit_is_not_read():
    class Declared(io.BytesIO):
        size = 11 * MB

        def read(self, *args):
            raise AssertionError("read although the size was known to be too big")

    with pytest.raises(FileRejected) as caught:
        file_read(handle=Declared(), max_bytes=10 * MB)
    assert caught.value.reason == "too_big"
