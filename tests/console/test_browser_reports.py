"""In a real headless Chromium on a phone: pages with wide tables (the leadership's report, the service days)
show every figure, none cut off at the edge, and never widen the page."""

import pytest

from .conftest import PHONE, csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each element of the headline card whose right edge lies beyond the card's own (a figure cut off on a phone).
CUT_OFF = """() => {
  const card = document.querySelector('#report-headline');
  const edge = card.getBoundingClientRect().right;
  return [...card.querySelectorAll('dt, dd')]
    .filter(el => el.getBoundingClientRect().right > edge + 1)
    .map(el => el.textContent.trim());
}"""


def test_eka_reads_every_headline_figure_of_the_report_on_her_phone(open_as, live_server):
    page = open_as("eka", PHONE)
    page.goto(live_server.url + "/laporan/")
    assert page.locator("#received").is_visible()
    assert page.evaluate(CUT_OFF) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert csp_violations(page) == []


def test_gita_plans_service_days_on_her_phone_without_the_page_widening(open_as, live_server):
    page = open_as("gita", PHONE)
    page.goto(live_server.url + "/keliling/")
    assert page.locator("#service-days").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
