"""The steps after the signature through the API: attach the output PDF, take it back, deliver, write to Siti."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from pencet.cases.models import Status
from pencet.lib import pdf, signing
from pencet.whatsapp.models import OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture(scope="module")
def pki() -> tuple[signing.CertificateAuthority, bytes]:
    """A root CA and a PDF its certificate signed (standing in for BSrE and SIAK's print)."""
    ca = signing.ca_create(common_name="Uji Root CA", organization="Pencet tests")
    signer = signing.signer_issue(ca=ca, common_name="Dewi Kepala Dinas", organization="Sinjai")
    content = pdf.specimen_pdf(
        office_name="Disdukcapil Kabupaten Sinjai",
        document_title="Kutipan Akta Kelahiran",
        tracking_code="SNJ-TEST",
        lines=[("Nama", "Siti Aminah")],
        signer_label="Kepala Dinas",
    )
    return ca, signing.pdf_sign(pdf_bytes=content, signer=signer, reason="Dokumen kependudukan")


@pytest.fixture
def signed_pdf(pki, office) -> bytes:
    ca, content = pki
    office.trust_roots_pem = ca.cert_pem
    office.save()
    return content


def _pdf(content: bytes, name: str = "akta.pdf") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}


def test_an_application_for_email_delivery_goes_from_ready_to_delivered_through_the_api(
    api_as, application_at, signed_pdf, django_capture_on_commit_callbacks
):
    application = application_at(Status.READY, email="siti@example.test", delivery_preference="email")
    code = application.tracking_code
    budi = api_as("budi")
    assert budi.get(f"/applications/{code}")[1]["actions"] == ["output_add", "message"]

    status, output = budi.upload(f"/applications/{code}/outputs", _pdf(signed_pdf))

    assert status == 201, output
    assert (output["filename"], output["signature_status"], output["is_specimen"]) == ("akta.pdf", "valid", False)
    assert "Dewi Kepala Dinas" in output["signature_summary"]
    detail = budi.get(f"/applications/{code}")[1]
    assert [o["id"] for o in detail["outputs"]] == [output["id"]]
    assert detail["actions"] == ["deliver", "output_add", "output_remove", "message"]
    with django_capture_on_commit_callbacks(execute=True):
        status, body = budi.post(f"/applications/{code}/deliver", {})
    assert status == 200, body
    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert mail.outbox[0].to == ["siti@example.test"]
    assert [name for name, _content, _type in mail.outbox[0].attachments] == ["akta.pdf"]


def test_an_unsigned_pdf_is_attached_as_unsigned_and_needs_an_override_to_be_sent(api_as, application_at):
    application = application_at(Status.READY, email="siti@example.test", delivery_preference="email")
    andi = api_as("andi")
    unsigned = pdf.specimen_pdf(
        office_name="Sinjai", document_title="Akta", tracking_code="X", lines=[], signer_label="Kepala"
    )

    status, output = andi.upload(f"/applications/{application.tracking_code}/outputs", _pdf(unsigned))

    assert (status, output["signature_status"]) == (201, "unsigned")
    status, body = andi.post(f"/applications/{application.tracking_code}/deliver", {})
    assert (status, body["error"]) == (409, "signature_not_valid")


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"GIF89a not a pdf at all", "not_pdf"), (b"", "empty")],
    ids=["not_a_pdf", "empty"],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_attached(api_as, application_at, content, error):
    application = application_at(Status.READY)

    status, body = api_as("budi").upload(f"/applications/{application.tracking_code}/outputs", _pdf(content))

    assert (status, body["error"]) == (409, error)
    assert not application.outputs.exists()


def test_an_upload_without_a_file_is_invalid_input(api_as, application_at):
    application = application_at(Status.READY)
    status, body = api_as("budi").upload(f"/applications/{application.tracking_code}/outputs", {})
    assert (status, body["error"]) == (422, "invalid_input")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("andi", 201),
        ("budi", 201),
        ("gita", 201),
        # The head of office signs in SIAK's TTE; choosing the file the citizen gets is the desk's job.
        ("dewi", 403),
        ("citra", 403),
        ("eka", 403),
        ("fajar", 403),
        ("rudi", 404),
        ("hasan", 404),
    ],
)
def test_who_may_attach_an_output(api_as, application_at, signed_pdf, persona, expected):
    application = application_at(Status.AWAITING_SIGNATURE)

    status, _body = api_as(persona).upload(f"/applications/{application.tracking_code}/outputs", _pdf(signed_pdf))

    assert status == expected
    assert application.outputs.count() == (1 if expected == 201 else 0)


def test_no_output_is_attached_before_the_verifier_approved(api_as, application_at, signed_pdf):
    application = application_at(Status.IN_PROCESS)
    status, body = api_as("budi").upload(f"/applications/{application.tracking_code}/outputs", _pdf(signed_pdf))
    assert (status, body["error"]) == (409, "wrong_status")


def test_a_wrong_output_is_taken_back_before_it_is_sent(api_as, application_at, signed_pdf):
    application = application_at(Status.READY)
    code = application.tracking_code
    output = api_as("budi").upload(f"/applications/{code}/outputs", _pdf(signed_pdf))[1]

    refused = api_as("citra").delete(f"/applications/{code}/outputs/{output['id']}")
    status, body = api_as("andi").delete(f"/applications/{code}/outputs/{output['id']}")

    assert (refused[0], refused[1]["error"]) == (403, "forbidden")
    assert (status, body["outputs"]) == (200, [])
    assert body["events"][-1]["kind"] == "output_removed"
    assert api_as("andi").delete(f"/applications/{code}/outputs/{output['id']}")[0] == 404


def test_the_demo_office_makes_a_specimen_through_the_api_and_a_real_office_cannot(api_as, application_at, office):
    application = application_at(Status.READY)
    path = f"/applications/{application.tracking_code}/outputs/specimen"
    status, body = api_as("andi").post(path)
    assert (status, body["error"]) == (409, "not_demo")

    office.is_demo = True
    office.save()
    status, output = api_as("andi").post(path)

    assert status == 201, output
    assert (output["signature_status"], output["is_specimen"]) == ("valid", True)


def test_an_officer_writes_to_the_applicant_through_the_api(api_as, application_at):
    application = application_at(Status.AWAITING_SIGNATURE)

    status, body = api_as("citra").post(
        f"/applications/{application.tracking_code}/messages", {"body": "Dokumen Ibu sedang ditandatangani."}
    )

    assert status == 201, body
    message = OutboundMessage.objects.get(pk=body["id"])
    assert (message.application, message.payload["body"]) == (application, "Dokumen Ibu sedang ditandatangani.")
    # Siti never wrote on WhatsApp: outside the 24-hour window the outbox sends the officer_message template.
    assert (body["status"], body["window_open"]) == ("queued", False)
    assert message.template_event == "officer_message"


@pytest.mark.parametrize(("persona", "expected"), [("eka", 403), ("fajar", 403), ("rudi", 404), ("hasan", 404)])
def test_leadership_and_village_staff_do_not_write_from_the_office_number(api_as, application_at, persona, expected):
    application = application_at(Status.SUBMITTED)
    status, _body = api_as(persona).post(f"/applications/{application.tracking_code}/messages", {"body": "Halo"})
    assert status == expected
    assert not OutboundMessage.objects.exists()


def test_nobody_writes_in_the_middle_of_the_bots_draft_conversation(api_as, application_at):
    application = application_at(Status.DRAFT)
    status, body = api_as("andi").post(f"/applications/{application.tracking_code}/messages", {"body": "Halo"})
    assert (status, body["error"]) == (409, "wrong_status")
    assert not OutboundMessage.objects.exists()
