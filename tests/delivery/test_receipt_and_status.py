"""The tanda terima and the public status page its QR code opens."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from pyhanko.pdf_utils.reader import PdfFileReader

from pencet.cases import services as cases
from pencet.cases.models import Attachment
from pencet.cases.services import TransitionError
from pencet.catalog.models import Requirement
from pencet.delivery import services
from pencet.lib import pdf as pdf_lib


def _page(pdf_bytes: bytes):
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    assert int(reader.root["/Pages"]["/Count"]) == 1
    return reader.root["/Pages"]["/Kids"][0].get_object()


def _qr_modules(page) -> list[list[bool]]:
    """Rebuild the QR module grid from the squares drawn in the receipt's QR form."""
    form = page["/Resources"]["/XObject"]["/FormXob." + pdf_lib.QR_FORM_NAME].get_object()
    squares = [
        tuple(float(v) for v in m.groups()) for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) [\d.]+ re f", form.data)
    ]
    module = squares[0][2]
    # (column, row counted from the bottom), both including the quiet zone.
    positions = {(round(x / module), round(y / module)) for x, y, _ in squares}
    size = max(c for c, _ in positions) + 1 - pdf_lib.QR_BORDER_MODULES
    top = max(r for _, r in positions)
    return [[(c + pdf_lib.QR_BORDER_MODULES, top - r) in positions for c in range(size)] for r in range(size)]


@pytest.fixture
def submitted(office, akta_kelahiran, bonto_katute):
    application = cases.application_create(
        office=office,
        service=akta_kelahiran,
        applicant_name="Siti Aminah",
        nik="7307074107990042",
        village=bonto_katute,
        phone="6281355512345",
    )
    for code in ("surat-kelahiran", "kk"):
        requirement = Requirement.objects.filter(service=akta_kelahiran).order_by("order").first()
        requirement = Requirement.objects.filter(service=akta_kelahiran, code=code).first() or requirement
        attachment = Attachment(
            application=application, requirement=requirement, content_type="image/jpeg", size=3, sha256="0" * 64
        )
        attachment.file.save(f"{code}.jpg", ContentFile(b"jpg"), save=True)
    cases.application_submit(application=application, actor=None)
    return application


@pytest.mark.django_db
def test_the_receipt_shows_the_tracking_code_files_and_masked_nik(submitted):
    receipt = services.receipt_render(application=submitted)
    content = _page(receipt)["/Contents"].get_object().data
    assert f"({submitted.tracking_code})".encode() in content
    assert b"Tanda Terima Permohonan" in content
    assert b"Siti Aminah" in content
    assert b"7307074107990042" not in receipt and b"7307074107990042" not in content
    assert b"7307" in content and b"0042" in content
    for attachment in submitted.attachments.select_related("requirement"):
        first_words = " ".join(attachment.requirement.name.split()[:3])
        assert first_words.encode() in content


@pytest.mark.django_db
def test_the_receipts_qr_code_encodes_the_status_url_with_the_random_token(submitted, settings):
    settings.SITE_URL = "https://pencet.sinjaikab.go.id"
    page = _page(services.receipt_render(application=submitted))
    expected_url = f"https://pencet.sinjaikab.go.id/status/{submitted.status_token}/"
    assert submitted.tracking_code not in expected_url
    assert _qr_modules(page) == pdf_lib.qr_matrix(expected_url)
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    assert links == [expected_url]


@pytest.mark.django_db
def test_a_draft_has_no_receipt_yet(office, akta_kelahiran):
    draft = cases.application_create(office=office, service=akta_kelahiran)
    with pytest.raises(TransitionError):
        services.receipt_render(application=draft)


@pytest.mark.django_db
def test_the_status_page_shows_the_status_and_no_personal_data(client, submitted, andi):
    cases.application_accept(application=submitted, actor=andi)
    response = client.get(f"/status/{submitted.status_token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert submitted.tracking_code in page
    assert submitted.service.short_name in page
    assert "Berkas lengkap, menunggu diproses" in page
    for private in ("Siti", "Aminah", "7307074107990042", "0042", "Bonto Katute", "6281355512345"):
        assert private not in page


@pytest.mark.django_db
def test_the_status_form_accepts_the_address_printed_under_the_qr_code(client, submitted, settings):
    settings.SITE_URL = "https://pencet.sinjaikab.go.id"
    printed = f"https://pencet.sinjaikab.go.id/status/{submitted.status_token}/"
    response = client.get("/status/", {"kode": printed})
    assert response.status_code == 302
    assert response["Location"] == f"/status/{submitted.status_token}/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_status_form_asks_for_the_status_code_of_the_receipt(client):
    response = client.get("/status/")
    assert response.status_code == 200
    assert "Kode status" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_code_gets_a_friendly_not_found_page(client, submitted):
    response = client.get("/status/SNJ-0000-9999/")
    assert response.status_code == 404
    assert "Status tidak ditemukan" in response.content.decode()
    other = client.get("/status/" + "X" * 200 + "/")
    assert other.status_code == 404
    assert other.content == response.content
