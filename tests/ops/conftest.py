"""Operations fixtures: an office with a history (applications, photos, outputs, timeline) and a media folder."""

import hashlib
import io
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from pencet.cases import services as cases
from pencet.cases.models import Application, Attachment
from pencet.delivery.models import OutputDocument


@pytest.fixture
def media_dir(settings, tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = folder
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}},
    }
    return folder


def photo_bytes(seed: int) -> bytes:
    """A small JPEG, different for every seed, so every file has its own checksum."""
    out = io.BytesIO()
    Image.new("RGB", (40 + seed, 30), (seed * 7 % 255, 120, 90)).save(out, format="JPEG")
    return out.getvalue()


def add_photo(application: Application, *, seed: int, requirement=None) -> Attachment:
    data = photo_bytes(seed)
    attachment = Attachment(
        application=application,
        requirement=requirement,
        content_type="image/jpeg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=f"foto-{seed}.jpg",
    )
    attachment.file.save(f"foto-{seed}.jpg", ContentFile(data), save=False)
    attachment.save()
    return attachment


def add_output(application: Application, *, data: bytes) -> OutputDocument:
    output = OutputDocument(
        application=application, filename="akta.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )
    output.file.save("akta.pdf", ContentFile(data), save=False)
    output.save()
    return output


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class History:
    submitted: Application  # Siti: waiting for the completeness review, two photos
    picked_up: Application  # Rahmat: finished and collected, one photo and the signed output
    rejected: Application  # Nur: rejected, one photo


@pytest.fixture
def history(office, andi, budi, citra, dewi, akta_kelahiran, bonto_katute, media_dir) -> History:
    def new(name: str, nik: str) -> Application:
        application = cases.application_create(
            office=office, service=akta_kelahiran, applicant_name=name, nik=nik, village=bonto_katute
        )
        cases.application_submit(application=application, actor=None)
        return application

    siti = new("Siti Aminah", "7307074107990042")
    add_photo(siti, seed=1)
    add_photo(siti, seed=2)
    rahmat = new("Rahmat Hidayat", "7307070101900003")
    add_photo(rahmat, seed=3)
    cases.application_accept(application=rahmat, actor=andi)
    cases.application_claim(application=rahmat, actor=budi)
    cases.application_complete_siak(application=rahmat, actor=budi, siak_reference="AL.7307.0099")
    cases.application_approve(application=rahmat, actor=citra)
    cases.application_sign(application=rahmat, actor=dewi)
    add_output(rahmat, data=PDF)
    cases.application_pick_up(
        application=rahmat, actor=andi, collected_by="Rahmat Hidayat", is_representative=False, originals_seen=[]
    )
    nur = new("Nur Aisyah", "7307074505950004")
    add_photo(nur, seed=4)
    cases.application_reject(application=nur, actor=andi, reason="Bukan warga Kabupaten Sinjai")
    for application in (siti, rahmat, nur):
        application.refresh_from_db()
    return History(submitted=siti, picked_up=rahmat, rejected=nur)
