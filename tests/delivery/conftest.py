"""Delivery fixtures: a test CA the Sinjai office trusts, signed PDFs, a ready application, a real SMTP server."""

import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile

from pencet.cases import services as cases
from pencet.cases.models import Application, DeliveryPreference
from pencet.lib import pdf, signing


@dataclass
class Pki:
    ca: signing.CertificateAuthority
    signer: signing.SigningIdentity


@pytest.fixture(scope="session")
def test_pki() -> Pki:
    ca = signing.ca_create(common_name="Pencet Test Root CA", organization="Pencet tests")
    return Pki(ca=ca, signer=signing.signer_issue(ca=ca, common_name="Dewi Kepala Dinas", organization="Sinjai"))


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    return pdf.specimen_pdf(
        office_name="Disdukcapil Kabupaten Sinjai",
        document_title="Kutipan Akta Kelahiran",
        tracking_code="SNJ-TEST",
        lines=[("Nama", "Siti Aminah")],
        signer_label="Kepala Dinas",
    )


@pytest.fixture(scope="session")
def signed_pdf(test_pki, unsigned_pdf) -> bytes:
    return signing.pdf_sign(pdf_bytes=unsigned_pdf, signer=test_pki.signer, reason="Dokumen kependudukan")


@pytest.fixture
def trusting_office(office, test_pki):
    office.trust_roots_pem = test_pki.ca.cert_pem
    office.save()
    return office


def pdf_upload(content: bytes, name: str = "akta.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def signing_application(trusting_office, andi, budi, citra, akta_kelahiran, bonto_katute) -> Application:
    """Siti's birth certificate application, keyed into SIAK and approved: waiting for the head's signature."""
    application = cases.application_create(
        office=trusting_office,
        service=akta_kelahiran,
        applicant_name="Siti Aminah",
        nik="7307074107990042",
        email="siti@example.test",
        village=bonto_katute,
        delivery_preference=DeliveryPreference.EMAIL,
    )
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    cases.application_claim(application=application, actor=budi)
    cases.application_complete_siak(application=application, actor=budi, siak_reference="AL.7307.0012345")
    cases.application_approve(application=application, actor=citra)
    return application


@pytest.fixture
def ready_application(signing_application, dewi) -> Application:
    cases.application_sign(application=signing_application, actor=dewi)
    return signing_application


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    envelopes: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend is pointed at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The SMTP backend pointed at a loopback port nobody listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
