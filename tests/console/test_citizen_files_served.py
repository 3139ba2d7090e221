"""A citizen's file is served so that nothing in it can run in the console's origin."""

import pytest
from django.urls import reverse

from pencet.cases.models import Status

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("content_type", ["application/pdf", "image/jpeg"])
def test_every_citizen_file_is_sandboxed_and_never_sniffed(client_as, make_application, attach, content_type):
    application = make_application(Status.SUBMITTED)
    data = PDF_BYTES if content_type == "application/pdf" else None
    attachment = attach(application, data=data, content_type=content_type)
    response = client_as("andi").get(reverse("console:attachment", args=[application.tracking_code, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_uploaded_at_the_counter_that_scripts_on_opening_is_stored_without_its_script(make_application, andi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pencet.console.services import attachment_from_upload

    application = make_application(Status.SUBMITTED)
    scripted = PDF_BYTES.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert b"app.alert" in scripted
    upload = SimpleUploadedFile("surat.pdf", scripted, "application/pdf")
    attachment = attachment_from_upload(application=application, requirement=None, upload=upload, actor=andi)
    with attachment.file.open("rb") as stored:
        assert b"app.alert" not in stored.read()
