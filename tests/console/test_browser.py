"""In a real headless Chromium: an officer returns an application, the citizen completes it, the officer accepts
it with the keyboard alone (Enter on the queue, Enter on the review page)."""

import pytest

from pencet.cases import services as cases
from pencet.cases.models import Status

from .conftest import csp_violations, jpeg_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_returns_then_accepts_with_the_keyboard(
    open_as, live_server, make_application, attach, akta_kelahiran
):
    page = open_as("andi")
    application = make_application(Status.SUBMITTED)
    kk = akta_kelahiran.requirements.get(code="kk")
    for requirement in akta_kelahiran.requirements.filter(optional=False):
        attach(application, requirement=requirement, data=jpeg_bytes(size=(900, 600)))

    # Review: the KK photo is unreadable → return it with a canned reason.
    page.goto(f"{live_server.url}/antrean/submitted/")
    page.wait_for_function("document.activeElement.matches('a.code')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/permohonan/{application.tracking_code}/")
    page.locator("[data-attachment] img").first.wait_for()
    page.click("[data-view=right]")
    assert "rotate(90deg)" in page.locator("[data-attachment] img").first.get_attribute("style")
    page.select_option(f"select[name=verdict_{kk.pk}]", "unreadable")
    page.select_option(f"select[name=reason_{kk.pk}]", "Foto buram")
    with page.expect_navigation():
        page.click("#return")
    assert "pemohon diberi tahu lewat WhatsApp" in page.content()
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    assert application.review_items.get(requirement=kk).reason == "Foto buram"

    # The citizen sends a sharper photo and the bot resubmits.
    attach(application, requirement=kk, data=jpeg_bytes(size=(1200, 800)))
    cases.application_resubmit(application=application, actor=None)

    # Accept: Enter on the queue, Enter on the review page.
    page.goto(f"{live_server.url}/antrean/submitted/")
    page.wait_for_function("document.activeElement.matches('a.code')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/permohonan/{application.tracking_code}/")
    page.wait_for_function("document.activeElement.id === 'accept'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/antrean/submitted/")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert csp_violations(page) == []
