"""In a real headless Chromium: an officer returns an application, the citizen completes it, the officer accepts
it with the keyboard alone (Enter on the queue, Enter on the review page); the header holds every role's menu on a
laptop and a phone."""

import pytest

from pencet.cases import services as cases
from pencet.cases.models import Status

from .conftest import PHONE, csp_violations, jpeg_bytes

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


@pytest.mark.parametrize("username", ["andi", "dewi"])
def test_the_officers_name_and_logout_stay_beside_the_brand_on_a_laptop_and_search_spans_a_phone(
    open_as, live_server, username
):
    # Dewi's menu is the longest (she signs, reads the reports and registers applications): on a 1366 px laptop the
    # menu wraps within its room, never pushing her name and "Keluar" onto a line of their own.
    laptop = open_as(username)
    laptop.goto(f"{live_server.url}/")
    brand = laptop.locator("header.top .brand").bounding_box()
    who = laptop.locator("header.top nav.who").bounding_box()
    assert who["y"] < brand["y"] + brand["height"] and brand["y"] < who["y"] + who["height"]
    assert laptop.locator("header.top nav.who").evaluate("e => e.getClientRects().length") == 1
    search = laptop.locator("header.top input[type=search]")
    assert search.evaluate("e => e.offsetWidth") >= 200  # its hint "Kode, NIK, nama, atau nomor HP" shows whole

    phone = open_as(username, PHONE)
    phone.goto(f"{live_server.url}/")
    box = phone.locator("header.top input[type=search]").bounding_box()
    assert box["width"] >= PHONE["width"] - 40
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
