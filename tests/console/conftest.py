"""Console test helpers: a logged-in client per persona and applications brought to any status."""

import io
from collections.abc import Callable

import pytest
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image

from pencet.cases import services as cases
from pencet.cases.models import Application, Attachment, Channel, Status
from pencet.regions.models import Region

PERSONAS = ("andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan")


@pytest.fixture(autouse=True)
def _console_settings(settings, tmp_path) -> None:
    settings.OTP_REQUIRED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def client_as(people) -> Callable[[str], Client]:
    """client_as("andi") → a test client logged in as Andi."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(people[username])
        return client

    return make


def jpeg_bytes(*, size: tuple[int, int] = (64, 48), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "KameraRahasia"  # Make
        image.save(out, format="JPEG", exif=info)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Kutipan akta kelahiran")
    page.save()
    return out.getvalue()


PDF_BYTES = _pdf()


@pytest.fixture
def make_application(office, akta_kelahiran, bonto_katute, andi, budi, citra, dewi) -> Callable[..., Application]:
    """make_application(status=Status.ACCEPTED, **fields) walks a Bonto Katute application to that status."""

    def make(status: str = Status.SUBMITTED, *, service=None, office_=None, village=None, **fields) -> Application:
        fields.setdefault("applicant_name", "Siti Aminah")
        fields.setdefault("nik", "7307075203150001")
        fields.setdefault("phone", "6281234500001")
        application = cases.application_create(
            office=office_ or office,
            service=service or akta_kelahiran,
            channel=Channel.WHATSAPP,
            village=village or bonto_katute,
            **fields,
        )
        if status == Status.DRAFT:
            return application
        cases.application_submit(application=application, actor=None)
        steps = [
            lambda a: cases.application_accept(application=a, actor=andi),
            lambda a: cases.application_claim(application=a, actor=budi),
            lambda a: cases.application_complete_siak(application=a, actor=budi, siak_reference="AL-7307-1"),
            lambda a: cases.application_approve(application=a, actor=citra),
            lambda a: cases.application_sign(application=a, actor=dewi),
        ]
        for step in steps:
            if application.status == status:
                break
            step(application)
        application.refresh_from_db()
        assert application.status == status
        return application

    return make


@pytest.fixture
def other_office_application(other_office, hasan, akta_kelahiran) -> Application:
    bone_village = Region.objects.filter(code__startswith="73.08.", level=4).first()
    application = cases.application_create(
        office=other_office,
        service=akta_kelahiran,
        village=bone_village,
        applicant_name="Orang Bone",
        nik="7308015203150002",
    )
    cases.application_submit(application=application, actor=None)
    return application


@pytest.fixture
def attach() -> Callable[..., Attachment]:
    from django.core.files.base import ContentFile

    def make(application: Application, *, requirement=None, data: bytes | None = None, content_type="image/jpeg"):
        data = data if data is not None else jpeg_bytes()
        attachment = Attachment(
            application=application,
            requirement=requirement,
            content_type=content_type,
            size=len(data),
            sha256="0" * 64,
            original_name="foto.jpg" if content_type.startswith("image") else "berkas.pdf",
        )
        attachment.file.save("a.jpg" if content_type.startswith("image") else "a.pdf", ContentFile(data), save=False)
        attachment.save()
        return attachment

    return make


LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Collected in the page itself: Chromium fires `securitypolicyviolation` for every script, style or handler the
# Content-Security-Policy blocks (an init script runs outside the page's policy).
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def open_as(chromium, live_server, people):
    """open_as("andi", PHONE) → a Chromium page logged in as Andi at that size, recording CSP violations."""

    def open_page(username: str | None = "andi", viewport: dict = LAPTOP):
        context = chromium.new_context(locale="id-ID", viewport=viewport)
        if username:
            client = Client()
            client.force_login(people[username])
            session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            context.add_cookies([cookie])
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        return page

    return open_page


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__csp") + [e for e in page.console_errors if "Content Security Policy" in e]
