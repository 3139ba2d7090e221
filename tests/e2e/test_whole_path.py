"""The whole path as people live it: a citizen applies on WhatsApp (signed webhooks, Graph stand-in), then a
service officer, an operator, a verifier and the head of office take it to the citizen's mailbox in a real
browser. The e-mail arrives over SMTP with a PDF whose signature validates against the office's trust roots."""

import email
from email import policy

import pytest

from pencet.cases.models import Application, Status
from pencet.lib import signing
from tests.bot.conftest import document_photo, said
from tests.bot.test_conversation import kk_hilang_to_the_nik
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def citizen_applies_for_a_lost_kk(citizen) -> Application:
    # A KK is an A4 PDF with the head's TTE, so it can go by e-mail (a KTP-el card is only picked up).
    kk_hilang_to_the_nik(citizen)
    citizen.tap("nik_ok")
    citizen.tap("dist:73.07.07")
    citizen.tap("vil:73.07.07.2007")
    citizen.say("sari@example.test")
    citizen.tap("deliv:email")
    citizen.tap("prio:none")
    answers = citizen.tap("submit")
    application = Application.objects.get()
    assert application.tracking_code in said(answers)
    return application


def test_a_whatsapp_application_is_returned_completed_and_delivered_by_email_through_the_console(
    citizen, officer_page, live_server, andi, budi, citra, dewi, smtp_server, test_pki, signed_pdf, tmp_path
):
    application = citizen_applies_for_a_lost_kk(citizen)
    assert application.status == Status.SUBMITTED
    code = application.tracking_code
    ktp = application.service.requirements.get(code="ktp-el")

    # The service officer sees it in the review queue and returns it: the KTP-el photo is unreadable.
    officer = officer_page("andi", PASSWORD)
    assert officer.locator("[data-queue=submitted] .count").inner_text().strip() == "1"
    officer.goto(f"{live_server.url}/antrean/submitted/")
    officer.wait_for_function("document.activeElement.matches('a.code')")
    officer.keyboard.press("Enter")
    officer.wait_for_url(f"**/permohonan/{code}/")
    officer.select_option(f"select[name=verdict_{ktp.pk}]", "unreadable")
    # Only the chosen verdict's reasons can be picked: the first of those for an unreadable file.
    reason = officer.locator(f"select[name=reason_{ktp.pk}] optgroup[data-verdict=unreadable] option").first
    officer.select_option(f"select[name=reason_{ktp.pk}]", label=reason.text_content())
    with officer.expect_navigation():
        officer.click("#return")
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    told = "\n".join(citizen.texts()[-2:])
    assert "KTP-el" in told and "Tidak terbaca" in told

    # The citizen sends a new photo of the KTP-el only; the bot resubmits the same application.
    citizen.photo(document_photo(seed=33))
    answers = citizen.tap("done")
    assert "diperiksa kembali" in said(answers)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    # Accepted from the queue with the keyboard: Enter on the row, Enter on the focused accept button.
    officer.goto(f"{live_server.url}/antrean/submitted/")
    officer.wait_for_function("document.activeElement.matches('a.code')")
    officer.keyboard.press("Enter")
    officer.wait_for_url(f"**/permohonan/{code}/")
    officer.wait_for_function("document.activeElement.id === 'accept'")
    officer.keyboard.press("Enter")
    officer.wait_for_url("**/antrean/submitted/")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED

    # The operator claims it in the forum, keys it into SIAK and records the result.
    operator = officer_page("budi", PASSWORD)
    operator.goto(f"{live_server.url}/permohonan/{code}/")
    with operator.expect_navigation():
        operator.click("#forum button.primary")
    operator.fill("input[name=siak_reference]", "KTP-EL.7307.000123")
    with operator.expect_navigation():
        operator.click("#forum button.primary")
    application.refresh_from_db()
    assert application.status == Status.AWAITING_VERIFICATION
    assert application.siak_reference == "KTP-EL.7307.000123"

    # The verifier approves; the operator attaches the PDF SIAK printed and signed, and the console checks it.
    verifier = officer_page("citra", PASSWORD)
    verifier.goto(f"{live_server.url}/permohonan/{code}/")
    with verifier.expect_navigation():
        verifier.click("#verifikasi button.primary")
    pdf_path = tmp_path / "ktp-el.pdf"
    pdf_path.write_bytes(signed_pdf)
    operator.goto(f"{live_server.url}/permohonan/{code}/")
    operator.set_input_files("#hasil input[type=file]", str(pdf_path))
    with operator.expect_navigation():
        operator.click("#hasil form[enctype] button")
    assert operator.locator("[data-signature]").first.get_attribute("data-signature") == "valid"

    # The head of office signs from the list awaiting signature.
    signer = officer_page("dewi", PASSWORD)
    signer.goto(f"{live_server.url}/tanda-tangan/")
    signer.check(f"input[type=checkbox][value='{application.pk}'], input[type=checkbox][value='{code}']")
    with signer.expect_navigation():
        signer.click("form button.primary")
    # Like a real TTE, the signature needs a second step: the signer sees the very PDF and types the passphrase.
    assert code in signer.inner_text("form.sign-confirm")
    assert signer.locator("form.sign-confirm figure[data-document] object").count() == 1
    signer.fill("input[name=passphrase]", PASSWORD)
    with signer.expect_navigation():
        signer.click("#sign-confirm")
    application.refresh_from_db()
    assert application.status == Status.READY

    # The operator sends it.
    operator.goto(f"{live_server.url}/permohonan/{code}/")
    with operator.expect_navigation():
        operator.click("#hasil form[action$='kirim/'] button.primary")

    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["sari@example.test"]]
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert code in message["Subject"] or code in message.get_body(preferencelist=("plain",)).get_content()
    pdfs = [part.get_content() for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    check = signing.pdf_signature_check(pdf_bytes=pdfs[0], trust_roots_pem=test_pki.ca.cert_pem)
    assert check.status == "valid"
    *_, delivered, survey = citizen.texts()
    assert "sudah dikirim" in delivered or "e-mail" in delivered.lower()
    assert "survei kepuasan" in survey  # offered once, after the document reached the citizen
