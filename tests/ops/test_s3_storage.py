"""PENCET_STORAGE=s3 against a real S3 wire protocol (moto_server on loopback): every way a file comes in or out."""

import hashlib
import io
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pencet.cases import services as cases
from pencet.cases.models import Application
from pencet.delivery.services import output_document_add
from pencet.whatsapp.models import Media
from tests.wa import PHONE, media_sha256_b64, signed_post, wa_image, wa_text

from .conftest import PDF, photo_bytes
from .s3 import moto_server_start, s3_env, storages_from_settings

# A moto_server process for the module and uploads through it: seconds, scheduled first (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def moto():
    try:
        process, url = moto_server_start()
    except RuntimeError as error:
        pytest.skip(str(error))
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def s3(moto, settings):
    """A fresh private bucket and Django's default storage pointed at it, as settings.py builds it."""
    bucket = f"pencet-{uuid.uuid4().hex[:10]}"
    env = s3_env(moto, bucket)
    client = boto3.client(
        "s3",
        endpoint_url=moto,
        region_name="us-east-1",
        aws_access_key_id=env["PENCET_S3_ACCESS_KEY"],
        aws_secret_access_key=env["PENCET_S3_SECRET_KEY"],
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": storages_from_settings(env)}
    client.bucket = bucket
    return client


def s3_bytes(s3, key: str) -> bytes:
    return s3.get_object(Bucket=s3.bucket, Key=key)["Body"].read()


def test_settings_build_a_private_path_style_signed_s3_storage(moto):
    storage = storages_from_settings(s3_env(moto, "pencet"))
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["endpoint_url"] == moto
    assert options["addressing_style"] == "path"
    assert options["signature_version"] == "s3v4"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 300
    assert options["default_acl"] is None and options["file_overwrite"] is False


def test_a_whatsapp_photo_lands_in_the_bucket_with_its_checksum(s3, client, office, fake_graph):
    data = photo_bytes(7)
    media_id = fake_graph.add_media(data, "image/jpeg")
    signed_post(client, wa_text(text="halo"))
    signed_post(client, wa_image(media_id=media_id, sha256=media_sha256_b64(data)))
    media = Media.objects.get(media_id=media_id)
    assert media.accepted and media.file.name.startswith("whatsapp/")
    stored = s3_bytes(s3, media.file.name)
    assert hashlib.sha256(stored).hexdigest() == media.sha256
    assert fake_graph.texts(to=PHONE)  # the citizen was answered


def test_a_console_upload_is_private_in_the_bucket_and_streamed_to_staff(s3, office, budi, akta_kelahiran):
    staff = Client()
    staff.force_login(budi)
    kk = akta_kelahiran.requirements.get(code="kk")
    out = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (800, 600), (200, 180, 160)).save(out, format="JPEG")
    form = {
        "channel": "staff_intake",
        "applicant_name": "Hasnah",
        "nik": "7307075203150001",
        "phone": "081234567890",
        "district": "73.07.07",
        "village": "73.07.07.2007",
        "delivery_preference": "pickup",
        # Akta kelahiran asks for the child's and the parents' data (the catalogue's subject fields).
        "subject_child_name": "Muhammad Rizki",
        "subject_child_sex": "L",
        "subject_child_birth_date": "20-11-2026",
        "subject_child_birth_place": "Sinjai",
        "subject_father_name": "Basri",
        "subject_mother_name": "Hasnah",
        f"file_{kk.pk}": SimpleUploadedFile("kk.jpg", out.getvalue(), "image/jpeg"),
    }
    response = staff.post(reverse("console:intake", args=["akta-kelahiran"]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(applicant_name="Hasnah")
    attachment = application.attachments.get()
    in_bucket = s3_bytes(s3, attachment.file.name)
    assert hashlib.sha256(in_bucket).hexdigest() == attachment.sha256

    download = staff.get(reverse("console:attachment", args=[application.tracking_code, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == in_bucket
    assert download["Cache-Control"] == "private, no-store"

    # Nobody reaches the object without a signature; a signed link works and says when it expires.
    plain = f"{s3.meta.endpoint_url}/{s3.bucket}/{attachment.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain, timeout=5)
    assert refused.value.code == 403
    signed = default_storage.url(attachment.file.name)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    assert urllib.request.urlopen(signed, timeout=5).read() == in_bucket


def test_outputs_and_receipts_work_from_the_bucket(s3, office, andi, budi, citra, dewi, akta_kelahiran, bonto_katute):
    application = cases.application_create(
        office=office,
        service=akta_kelahiran,
        applicant_name="Siti Aminah",
        nik="7307074107990042",
        village=bonto_katute,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.7307.1")
    cases.application_approve(application=application, actor=citra)
    cases.application_sign(application=application, actor=dewi)
    output = output_document_add(
        application=application, uploaded_file=SimpleUploadedFile("akta.pdf", PDF, "application/pdf"), actor=andi
    )
    assert s3_bytes(s3, output.file.name) == PDF

    staff = Client()
    staff.force_login(andi)
    response = staff.get(reverse("console:output_file", args=[application.tracking_code, output.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    receipt = staff.get(reverse("console:receipt", args=[application.tracking_code]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_a_backup_takes_the_files_from_the_bucket(s3, transactional_db, office, tmp_path):
    import json
    import tarfile

    from pencet.ops.backup import backup_create

    default_storage.save("attachments/2026/12/kk.jpg", io.BytesIO(photo_bytes(9)))
    result = backup_create(output=tmp_path / "s3.tar.gz")
    with tarfile.open(result.path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        data = tar.extractfile("media/attachments/2026/12/kk.jpg").read()
    assert manifest["storage"] == "S3Storage"
    assert data == photo_bytes(9)
    entry = next(e for e in manifest["files"] if e["path"] == "media/attachments/2026/12/kk.jpg")
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
