"""Output PDFs: the signature check an officer sees (valid / invalid / unsigned) and who may attach outputs."""

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from pencet.cases.models import Status
from pencet.cases.services import ApplicationPermissionError, TransitionError
from pencet.delivery import services
from pencet.delivery.models import SignatureStatus
from pencet.delivery.selectors import output_signature_summary
from pencet.lib import signing

from .conftest import pdf_upload


def test_a_pdf_signed_by_a_trusted_signer_is_valid(test_pki, signed_pdf):
    check = signing.pdf_signature_check(pdf_bytes=signed_pdf, trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == signing.VALID
    assert check.signer == "Dewi Kepala Dinas"
    assert check.reason == "Dokumen kependudukan"
    assert check.signed_at is not None


def test_a_pdf_changed_after_signing_is_invalid(test_pki, signed_pdf):
    position = signed_pdf.index(b"/Title (")
    tampered = signed_pdf[:position] + signed_pdf[position:].replace(b"/Title (", b"/Title (X", 1)
    check = signing.pdf_signature_check(pdf_bytes=tampered, trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == signing.INVALID
    assert check.problem == signing.PROBLEM_TAMPERED


def test_a_page_rewritten_in_a_later_revision_makes_the_signature_invalid(test_pki, signed_pdf):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    forged = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Nama: Orang Lain) Tj ET")
    page[pdf_name("/Contents")] = writer.add_object(forged)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    check = signing.pdf_signature_check(pdf_bytes=out.getvalue(), trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == signing.INVALID
    assert check.problem == signing.PROBLEM_TAMPERED


def test_a_signature_from_a_root_the_office_does_not_trust_is_invalid(signed_pdf):
    stranger = signing.ca_create(common_name="Some Other Root")
    check = signing.pdf_signature_check(pdf_bytes=signed_pdf, trust_roots_pem=stranger.cert_pem)
    assert check.status == signing.INVALID
    assert check.problem == signing.PROBLEM_UNTRUSTED


def test_a_pdf_without_signature_is_unsigned(test_pki, unsigned_pdf):
    check = signing.pdf_signature_check(pdf_bytes=unsigned_pdf, trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == signing.UNSIGNED


def test_a_truncated_signed_pdf_is_invalid_not_an_error(test_pki, signed_pdf):
    check = signing.pdf_signature_check(
        pdf_bytes=signed_pdf[: len(signed_pdf) // 2], trust_roots_pem=test_pki.ca.cert_pem
    )
    assert check.status == signing.INVALID


@pytest.mark.django_db
def test_an_operator_attaches_a_signed_output_and_sees_it_valid(signing_application, budi, signed_pdf):
    output = services.output_document_add(
        application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi
    )
    assert output.signature_status == SignatureStatus.VALID
    assert output.signature_detail["signer"] == "Dewi Kepala Dinas"
    assert output.filename == "akta.pdf"
    assert output.size == len(signed_pdf)
    assert output.file.read() == signed_pdf
    assert "Dewi Kepala Dinas" in output_signature_summary(output=output)
    assert signing_application.events.filter(kind="output_added").exists()


@pytest.mark.django_db
def test_an_output_signed_under_an_untrusted_root_is_recorded_invalid_with_the_reason(
    signing_application, budi, unsigned_pdf
):
    stranger_ca = signing.ca_create(common_name="Not BSrE")
    stranger = signing.signer_issue(ca=stranger_ca, common_name="Mallory")
    forged = signing.pdf_sign(pdf_bytes=unsigned_pdf, signer=stranger)
    output = services.output_document_add(application=signing_application, uploaded_file=pdf_upload(forged), actor=budi)
    assert output.signature_status == SignatureStatus.INVALID
    assert "akar tepercaya" in output_signature_summary(output=output)


@pytest.mark.django_db
def test_an_unsigned_output_is_recorded_unsigned(signing_application, andi, unsigned_pdf):
    output = services.output_document_add(
        application=signing_application, uploaded_file=pdf_upload(unsigned_pdf), actor=andi
    )
    assert output.signature_status == SignatureStatus.UNSIGNED


@pytest.mark.django_db
def test_a_photo_is_refused_as_an_output(signing_application, budi):
    fake = pdf_upload(b"\xff\xd8\xff\xe0 JFIF not a pdf", name="akta.pdf")
    with pytest.raises(TransitionError, match="bukan PDF"):
        services.output_document_add(application=signing_application, uploaded_file=fake, actor=budi)
    assert not signing_application.outputs.exists()


@pytest.mark.django_db
def test_an_oversized_output_is_refused(signing_application, budi, signed_pdf, monkeypatch):
    monkeypatch.setattr(services, "OUTPUT_MAX_BYTES", len(signed_pdf) - 1)
    with pytest.raises(TransitionError, match="terlalu besar"):
        services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)


@pytest.mark.django_db
def test_the_same_output_cannot_be_attached_twice(signing_application, budi, signed_pdf):
    services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)
    with pytest.raises(TransitionError, match="sudah dilampirkan"):
        services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi)


@pytest.mark.django_db
def test_a_verifier_cannot_attach_an_output(signing_application, citra, signed_pdf):
    with pytest.raises(ApplicationPermissionError):
        services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=citra)


@pytest.mark.django_db
def test_another_offices_officer_cannot_attach_an_output(signing_application, hasan, signed_pdf):
    with pytest.raises(ApplicationPermissionError):
        services.output_document_add(application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=hasan)
    assert not signing_application.outputs.exists()


@pytest.mark.django_db
def test_no_output_can_be_attached_before_verification(trusting_office, andi, budi, akta_kelahiran, signed_pdf):
    from pencet.cases import services as cases

    application = cases.application_create(office=trusting_office, service=akta_kelahiran, applicant_name="Siti")
    cases.application_submit(application=application, actor=None)
    cases.application_accept(application=application, actor=andi)
    assert application.status == Status.ACCEPTED
    with pytest.raises(TransitionError, match="menunggu tanda tangan"):
        services.output_document_add(application=application, uploaded_file=pdf_upload(signed_pdf), actor=budi)


@pytest.mark.django_db
def test_a_wrong_output_can_be_removed_before_it_is_sent(signing_application, budi, unsigned_pdf):
    output = services.output_document_add(
        application=signing_application, uploaded_file=pdf_upload(unsigned_pdf), actor=budi
    )
    services.output_document_remove(output=output, actor=budi)
    assert not signing_application.outputs.exists()
    assert signing_application.events.filter(kind="output_removed").exists()


@pytest.mark.django_db
def test_an_output_becomes_valid_once_the_office_trusts_its_root(signing_application, budi, signed_pdf):
    office = signing_application.office
    roots = office.trust_roots_pem
    office.trust_roots_pem = ""
    office.save()
    output = services.output_document_add(
        application=signing_application, uploaded_file=pdf_upload(signed_pdf), actor=budi
    )
    assert output.signature_status == SignatureStatus.INVALID
    office.trust_roots_pem = roots
    office.save()
    assert services.output_signature_recheck(output=output).signature_status == SignatureStatus.VALID
