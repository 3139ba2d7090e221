"""Inbound photos and documents: downloaded with the bearer token, checked, cleaned and stored."""

import hashlib
import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFilter

from pencet.lib.images import image_quality
from pencet.whatsapp.models import Media
from tests.wa import PHONE, media_sha256_b64, signed_post, wa_document, wa_image

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def document_photo(width=1200, height=900) -> Image.Image:
    """A sharp, well-lit 'photo' of a printed page: dark word blocks on off-white paper."""
    img = Image.new("RGB", (width, height), (235, 235, 230))
    draw = ImageDraw.Draw(img)
    rnd = random.Random(7)
    for y in range(40, height - 40, 28):
        x = 40
        while x < width - 80:
            w = rnd.randint(20, 90)
            draw.rectangle([x, y, x + w, y + 14], fill=(30, 30, 30))
            x += w + 12
    return img


def jpeg(img: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90, **kwargs)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    img = document_photo()
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (5.0, 13.0, 12.0)
    gps[3] = "E"
    gps[4] = (120.0, 9.0, 0.0)
    return jpeg(img, exif=exif)


def send_image(client, fake_graph, data: bytes, mime="image/jpeg", sha=None, **extra):
    media_id = fake_graph.add_media(data, mime)
    return signed_post(client, wa_image(media_id=media_id, mime=mime, sha256=sha or media_sha256_b64(data), **extra))


def test_a_photo_is_downloaded_with_the_token_cleaned_and_handed_over(client, office, fake_graph, handled):
    data = jpeg_with_gps()
    send_image(client, fake_graph, data, caption="KK saya")
    [message] = handled
    media = message.media
    assert media.accepted and media.content_type == "image/jpeg" and message.text == "KK saya"
    stored = media.file.read()
    assert hashlib.sha256(stored).hexdigest() == media.sha256 and media.size == len(stored)
    assert media.quality["width"] == 1200 and media.quality["problems"] == []
    # The stand-in only hands out media to the bearer of the token; our client used it.
    assert any(path.startswith("/download/") for _, path in fake_graph.requests)


def test_exif_and_gps_are_stripped_from_stored_photos(client, office, fake_graph, handled):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    send_image(client, fake_graph, data)
    stored = Image.open(handled[0].media.file)
    assert not stored.getexif() and "exif" not in stored.info


def test_a_hex_sha256_is_accepted_too(client, office, fake_graph, handled):
    data = jpeg(document_photo())
    send_image(client, fake_graph, data, sha=hashlib.sha256(data).hexdigest())
    assert handled[0].media.accepted


@pytest.mark.parametrize("make", ["png", "webp", "heic"])
def test_png_webp_and_heic_photos_are_accepted(client, office, fake_graph, handled, make):
    img = document_photo(800, 600)
    out = io.BytesIO()
    if make == "heic":
        from pillow_heif import from_pillow

        from_pillow(img).save(out, quality=80)
    else:
        img.save(out, format=make.upper())
    send_image(client, fake_graph, out.getvalue(), mime=f"image/{make}")
    media = handled[0].media
    assert media.accepted and media.quality["width"] == 800
    assert media.content_type == {"png": "image/png", "webp": "image/webp", "heic": "image/jpeg"}[make]


def test_a_pdf_document_is_stored_with_its_name(client, office, fake_graph, handled):
    media_id = fake_graph.add_media(PDF, "application/pdf", "surat-lahir.pdf")
    signed_post(client, wa_document(media_id=media_id, sha256=media_sha256_b64(PDF), filename="surat-lahir.pdf"))
    media = handled[0].media
    assert media.accepted and media.content_type == "application/pdf" and media.original_name == "surat-lahir.pdf"
    assert media.file.read() == PDF


def rejected(client, fake_graph, handled, reason: str, words: str) -> None:
    assert handled == []
    media = Media.objects.get()
    assert media.rejected_reason == reason and not media.file
    answer = fake_graph.last_text(PHONE)
    assert answer.startswith("Maaf") and words in answer


def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(client, office, fake_graph, handled):
    data = b"MZ\x90\x00 this is a windows program"
    media_id = fake_graph.add_media(data, "application/pdf")
    signed_post(client, wa_document(media_id=media_id, sha256=media_sha256_b64(data), filename="ktp.pdf"))
    rejected(client, fake_graph, handled, "wrong_type", "jenis berkas")


def test_a_photo_above_the_limit_is_refused(client, office, fake_graph, handled, settings):
    settings.WHATSAPP_IMAGE_MAX_BYTES = 50_000
    data = jpeg(document_photo(2400, 1800).filter(ImageFilter.GaussianBlur(0)))
    assert len(data) > 50_000
    send_image(client, fake_graph, data)
    rejected(client, fake_graph, handled, "too_big", "terlalu besar")


def test_a_file_whose_sha256_does_not_match_is_refused(client, office, fake_graph, handled):
    data = jpeg(document_photo())
    send_image(client, fake_graph, data, sha=media_sha256_b64(data + b"x"))
    rejected(client, fake_graph, handled, "sha_mismatch", "kirim ulang")


def test_a_cut_off_pdf_is_refused_as_corrupt(client, office, fake_graph, handled):
    data = PDF[:30]
    media_id = fake_graph.add_media(data, "application/pdf")
    signed_post(client, wa_document(media_id=media_id, sha256=media_sha256_b64(data)))
    rejected(client, fake_graph, handled, "corrupt", "rusak")


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A tiny PNG that claims 400 megapixels (compresses to a few hundred kB of zeros)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 64, 9)  # a few rows are enough: the size is the bomb
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused(client, office, fake_graph, handled):
    send_image(client, fake_graph, png_bomb(), mime="image/png")
    rejected(client, fake_graph, handled, "bomb", "foto biasa")


def test_an_expired_media_url_is_fetched_again(client, office, fake_graph, handled):
    data = jpeg(document_photo())
    fake_graph.fail_next(0, status=404, path="download")
    send_image(client, fake_graph, data)
    assert handled[0].media.accepted
    assert sum(1 for m, p in fake_graph.requests if p.startswith("/v23.0/") and m == "GET") == 2


def test_a_media_that_cannot_be_downloaded_gets_a_resend_request(client, office, fake_graph, handled):
    signed_post(client, wa_image(media_id="404404404", sha256=None))
    rejected(client, fake_graph, handled, "download_failed", "kirim ulang")


def test_quality_notes_tell_sharp_blurred_dark_bright_and_small_photos_apart():
    sharp = document_photo()
    assert image_quality(sharp)["problems"] == []
    assert image_quality(sharp.filter(ImageFilter.GaussianBlur(4)))["problems"] == ["blurry"]
    assert "dark" in image_quality(sharp.point(lambda v: v * 0.15))["problems"]
    assert "overexposed" in image_quality(Image.new("RGB", (1200, 900), (250, 250, 250)))["problems"]
    assert image_quality(document_photo(400, 300))["problems"] == ["small"]
    assert (
        image_quality(sharp)["sharpness"] > 10 * image_quality(sharp.filter(ImageFilter.GaussianBlur(4)))["sharpness"]
    )


def test_when_meta_keeps_failing_the_photo_waits_for_the_retry_instead_of_bothering_the_citizen(
    client, office, fake_graph, handled, monkeypatch
):
    from pencet.whatsapp import media, services
    from pencet.whatsapp.models import WebhookDelivery

    monkeypatch.setattr(media, "MEDIA_RETRY_SECONDS", 0)
    fake_graph.fail_next(0, status=503, path="media_info", times=4)
    send_image(client, fake_graph, jpeg(document_photo()))
    assert handled == [] and fake_graph.sent() == [] and not Media.objects.exists()
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is None
    services.webhook_delivery_process(delivery=delivery)
    assert handled[0].media.accepted
