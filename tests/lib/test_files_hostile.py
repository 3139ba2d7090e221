"""Citizen files cannot attack the officer: PDFs lose everything that could act, images are refused from their
header when decoding them would take too much memory."""

import io
import struct
import zlib

import pikepdf
import pytest
from PIL import Image, ImageFile

from pencet.lib import images
from pencet.lib.files import FileRejected, file_check

MB = 1024 * 1024


def pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", *objects: bytes) -> bytes:
    """A one-page PDF written by hand; objects are numbered from 5 on (4 is the page's content)."""
    body = [
        b"1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>endobj",
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj",
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R" + page_extra + b">>endobj",
        b"4 0 obj<</Length 35>>stream\nBT /F1 12 Tf 72 720 Td (Halo) Tj ET\nendstream endobj",
        *[b"%d 0 obj" % n + obj + b"endobj" for n, obj in enumerate(objects, start=5)],
    ]
    return b"%PDF-1.7\n" + b"\n".join(body) + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


SCRIPTED = pdf(
    b"/OpenAction 5 0 R/AA<</WC 5 0 R>>"
    b"/Names<</JavaScript<</Names[(x) 5 0 R]>>/EmbeddedFiles<</Names[(a.exe) 6 0 R]>>>>"
    b"/AcroForm<</Fields[8 0 R]/XFA 9 0 R>>",
    b"/AA<</O 5 0 R>>/Annots[7 0 R 8 0 R 10 0 R 11 0 R]",
    b"<</S/JavaScript/JS(app.alert\\(document.cookie\\))>>",
    b"<</Type/Filespec/F(a.exe)/EF<</F 12 0 R>>>>",
    b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/Launch/F(cmd.exe)>>>>",
    b"<</Type/Annot/Subtype/Widget/FT/Tx/T(nama)/Rect[0 0 50 10]/AA<</K 5 0 R>>>>",
    b"<</Length 0>>stream\n\nendstream ",
    b"<</Type/Annot/Subtype/FileAttachment/FS 6 0 R/Rect[0 0 10 10]>>",
    b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(javascript:alert\\(1\\))>>>>",
    b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream ",
)


def test_a_pdf_that_scripts_on_opening_is_stored_without_any_of_it():
    checked = file_check(data=SCRIPTED, max_bytes=MB)
    stored = checked.data
    for active in (b"JavaScript", b"/JS", b"app.alert", b"OpenAction", b"/AA", b"Launch", b"cmd.exe", b"EmbeddedFile",
                   b"/EF", b"AcroForm", b"XFA", b"FileAttachment", b"javascript:"):  # fmt: skip
        assert active not in stored, active
    with pikepdf.open(io.BytesIO(stored)) as kept:
        assert len(kept.pages) == 1
        assert b"(Halo) Tj" in kept.pages[0].Contents.read_bytes()
    assert set(checked.quality["removed"]) >= {"OpenAction", "AcroForm", "AA", "JavaScript", "action", "annotation"}


def test_names_spelled_with_hex_escapes_are_found_all_the_same():
    sneaky = pdf(b"/OpenAction 5 0 R", b"", b"<</S/J#61vaScript/J#53(app.alert\\(1\\))>>")
    stored = file_check(data=sneaky, max_bytes=MB).data
    assert b"app.alert" not in stored and b"OpenAction" not in stored


def test_a_pdf_with_only_links_and_page_moves_is_kept_byte_for_byte():
    linked = pdf(
        b"/OpenAction[3 0 R/Fit]",
        b"/Annots[5 0 R 6 0 R]",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(https://sinjaikab.go.id/)>>>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/GoTo/D[3 0 R/Fit]>>>>",
    )
    checked = file_check(data=linked, max_bytes=MB)
    assert checked.data == linked and checked.quality == {}


def test_a_pdf_with_signature_fields_only_keeps_its_form_and_its_bytes():
    signed = pdf(b"/AcroForm<</Fields[5 0 R]/SigFlags 3>>", b"", b"<</FT/Sig/T(ttd)/Rect[0 0 0 0]/Type/Annot>>")
    assert file_check(data=signed, max_bytes=MB).data == signed


def test_a_pdf_locked_with_a_password_cannot_be_checked_and_is_refused():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf())) as plain:
        plain.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))
    with pytest.raises(FileRejected) as caught:
        file_check(data=out.getvalue(), max_bytes=MB)
    assert caught.value.reason == "corrupt"


def test_a_pdf_that_is_only_a_header_and_an_end_is_refused_as_corrupt():
    with pytest.raises(FileRejected) as caught:
        file_check(data=b"%PDF-1.4\ngarbage\n%%EOF\n", max_bytes=MB)
    assert caught.value.reason == "corrupt"


def flat_png(width: int, height: int, colour_type: int = 6) -> bytes:
    """A valid PNG of one flat colour, compressed row by row (never held decoded in memory here)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row = b"\x00" + b"\x00" * width * channels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def png_7000() -> bytes:
    return flat_png(7000, 7000)


def test_a_small_png_of_7000_by_7000_is_refused_from_its_header_without_decoding(png_7000, monkeypatch):
    assert len(png_7000) < 300 * 1024  # about 200 KB on the wire, 196 MB once decoded
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded the bomb"))
    with pytest.raises(FileRejected) as caught:
        file_check(data=png_7000, max_bytes=5 * MB)
    assert caught.value.reason == "bomb"


def test_a_grey_png_of_the_same_size_fits_the_memory_and_is_accepted():
    grey = flat_png(7000, 7000, colour_type=0)  # one byte a pixel: 49 MB decoded
    checked = file_check(data=grey, max_bytes=5 * MB)
    assert (checked.quality["width"], checked.quality["height"]) == (7000, 7000)


def test_a_jpeg_too_large_for_the_memory_is_stored_smaller_instead_of_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_DECODED_BYTES", 2 * MB)
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 190, 180)).save(out, format="JPEG")  # 7.3 MB decoded at 4 bytes a pixel
    checked = file_check(data=out.getvalue(), max_bytes=5 * MB)
    assert (checked.quality["width"], checked.quality["height"]) == (800, 600)  # decoded at half the size


def test_a_png_too_large_for_the_memory_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_DECODED_BYTES", 2 * MB)
    with pytest.raises(FileRejected) as caught:
        file_check(data=flat_png(1600, 1200, colour_type=2), max_bytes=5 * MB)
    assert caught.value.reason == "bomb"
