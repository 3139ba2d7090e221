"""In Chromium: on a phone the review page opens on the documents (the accept button below them still has the
focus), and the reason list offers only the reasons of the verdict chosen."""

import pytest

from pencet.cases.models import Status

from .conftest import LAPTOP, PHONE, csp_violations, jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complete_application(make_application, attach, akta_kelahiran):
    application = make_application(Status.SUBMITTED)
    for code in ("surat-kelahiran", "buku-nikah", "kk", "formulir"):
        requirement = akta_kelahiran.requirements.get(code=code)
        attach(application, requirement=requirement, data=jpeg_bytes(size=(600, 800)))
    return application


def test_on_a_phone_the_documents_come_before_the_accept_button(open_as, live_server, complete_application):
    page = open_as("andi", PHONE)
    page.goto(f"{live_server.url}/permohonan/{complete_application.tracking_code}/")
    page.wait_for_function("document.activeElement.id === 'accept'")
    first_document = page.locator("[data-attachment]").first.bounding_box()
    accept = page.locator("#accept").bounding_box()
    assert first_document["y"] < accept["y"]
    # The focus did not scroll the page past the documents: it opens at the top.
    assert page.evaluate("window.scrollY") == 0
    assert first_document["y"] < PHONE["height"]
    assert csp_violations(page) == []


def test_the_reason_list_follows_the_verdict(open_as, live_server, complete_application, akta_kelahiran):
    kk = akta_kelahiran.requirements.get(code="kk")
    page = open_as("andi", LAPTOP)
    page.goto(f"{live_server.url}/permohonan/{complete_application.tracking_code}/")
    reason = page.locator(f"select[name=reason_{kk.pk}]")
    # "Sesuai": no reason to give.
    assert reason.is_hidden()
    page.select_option(f"select[name=verdict_{kk.pk}]", "unreadable")
    assert reason.is_visible()
    offered = reason.locator("optgroup:not([disabled]) option").all_inner_texts()
    assert "Foto buram" in offered and "Bukan dokumen yang diminta" not in offered
    page.select_option(f"select[name=reason_{kk.pk}]", "Foto buram")
    page.select_option(f"select[name=verdict_{kk.pk}]", "ok")
    assert reason.is_hidden() and reason.input_value() == ""
