"""A Content-Security-Policy on every response, with no 'unsafe-inline' or 'unsafe-eval', and pages that live
with it: in Chromium nothing the console, the admin, the API docs or the status page needs is blocked."""

import re
from pathlib import Path

import pytest

import pencet
from pencet.cases.models import Status

from .conftest import LAPTOP, PDF_BYTES, PHONE, csp_violations, jpeg_bytes

PENCET = Path(pencet.__file__).parent


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/masuk/", "/status/", "/admin/login/", "/api/v1/openapi.json", "/healthz/"])
def test_every_response_carries_a_policy_without_inline_code(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'self'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_console_pages_have_no_inline_script_or_handler(client_as, make_application, attach):
    application = make_application(Status.SUBMITTED)
    attach(application)
    andi = client_as("andi")
    for path in ("/", f"/permohonan/{application.tracking_code}/", "/daftar/", "/profil/", "/cari/?q=Siti"):
        page = andi.get(path).content.decode()
        assert "<script>" not in page, path
        assert " onclick=" not in page and " onchange=" not in page, path
        assert "<style" not in page, path
        assert 'style="' not in page, path


def test_no_template_carries_inline_style_or_code():
    # The policy blocks them, so such a page would lose its look or its behaviour in a browser: the survey kiosk's
    # big answer buttons and the mobile service day's printed list (its borders and its print dialog) once did.
    inline = re.compile(r"<style|<script>|\sstyle=\"|\son[a-z]+=", re.IGNORECASE)
    found = [
        f"{path.relative_to(PENCET)}: {match.group(0).strip()}"
        for path in sorted(PENCET.rglob("templates/**/*.html"))
        for match in inline.finditer(re.sub(r"{#.*?#}", "", path.read_text()))
    ]
    assert found == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_pages_work_in_chromium_under_the_policy(open_as, live_server, make_application, attach, akta_kelahiran):
    application = make_application(Status.SUBMITTED)
    attach(application, requirement=akta_kelahiran.requirements.get(code="kk"), data=jpeg_bytes(size=(600, 800)))
    attach(application, data=PDF_BYTES, content_type="application/pdf")
    page = open_as("andi", LAPTOP)

    # htmx polls the queue counts: the fragment arrives and is swapped in.
    with page.expect_response("**/antrean/jumlah/"):
        page.goto(f"{live_server.url}/")
    page.wait_for_selector("#queue-counts a.queue[data-queue=submitted]")

    page.goto(f"{live_server.url}/permohonan/{application.tracking_code}/")
    page.locator("[data-attachment] img").first.wait_for()
    page.click("[data-view=in]")
    assert page.locator("[data-attachment] img").first.get_attribute("data-zoom") == "1.4"

    # htmx fills the villages of the chosen district.
    page.goto(f"{live_server.url}/daftar/{akta_kelahiran.code}/")
    with page.expect_response("**/wilayah/desa/**"):
        page.select_option("#id_district", "73.07.07")
    page.wait_for_selector("#id_village option[value='73.07.07.2007']", state="attached")

    # The language switch submits itself (a listener in console.js, not an onchange attribute).
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    assert csp_violations(page) == []

    # A page's own scripts have run by its load event; the API docs fetch the schema and render it after that.
    for path, ready in (("/admin/", "load"), ("/admin/cases/application/", "load"), ("/api/v1/docs", "networkidle")):
        page.goto(f"{live_server.url}{path}", wait_until=ready)
        assert csp_violations(page) == [], path
    page.goto(f"{live_server.url}/status/")
    assert csp_violations(page) == []
    assert page.locator("main h1").count() == 1

    # The survey kiosk at the counter: its answers are big buttons (the radio itself hidden), on a phone too.
    kiosk = open_as("andi", PHONE)
    kiosk.goto(f"{live_server.url}/survei/kios/")
    assert csp_violations(kiosk) == []
    assert kiosk.locator("fieldset input[type=radio]").first.evaluate("e => getComputedStyle(e).opacity") == "0"
    assert kiosk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    admin = open_as("gita", LAPTOP)
    for path in ("/admin/", "/admin/accounts/user/"):
        admin.goto(f"{live_server.url}{path}")
        assert csp_violations(admin) == [], path


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_simulator_polls_under_the_policy(open_as, live_server, settings, office):
    settings.ROOT_URLCONF = "tests.whatsapp.simulator_urls"
    settings.SIMULATOR = True
    page = open_as(None, {"width": 390, "height": 844})
    # The poll tells the server how many messages are on screen (simulator.js, no hx-vals "js:" eval).
    with page.expect_request(lambda r: "/simulator/" in r.url and "n=0" in r.url):
        page.goto(f"{live_server.url}/simulator/")
    assert csp_violations(page) == []
