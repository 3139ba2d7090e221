"""End-to-end fixtures: real headless Chromium (Debian's), a live server, the Graph stand-in, a real SMTP server."""

import threading
from collections.abc import Callable, Iterator

import pytest

# The citizen's phone, the test CA and the SMTP server are the ones the bot and delivery suites use.
from tests.bot.conftest import Citizen
from tests.delivery.conftest import media_in_tmp, signed_pdf, smtp_server, test_pki, trusting_office, unsigned_pdf

__all__ = ["media_in_tmp", "signed_pdf", "smtp_server", "test_pki", "trusting_office", "unsigned_pdf"]


class _OneAtATime:
    """A WSGI application (or the test client's handler) that waits for the others sharing `lock`."""

    def __init__(self, handler: Callable, lock: threading.Lock) -> None:
        self.handler, self.lock = handler, lock

    def __call__(self, *args: object) -> object:
        with self.lock:
            return self.handler(*args)


@pytest.fixture
def one_request_at_a_time(live_server, client) -> Iterator[None]:
    """The live server and the test share one in-memory SQLite connection (Django's documented limit): two
    requests on it at once (the officers' pages poll their queue counts while another page loads, or the citizen's
    webhook runs) now and then fail with "database table is locked". Here the live server's requests and the test
    client's (the citizen) take turns. None of these requests calls back into the server, so none waits on itself."""
    lock = threading.Lock()
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    httpd.set_app(_OneAtATime(app, lock))
    handler = client.handler
    client.handler = _OneAtATime(handler, lock)
    yield
    httpd.set_app(app)
    client.handler = handler


@pytest.fixture
def browser(chromium, one_request_at_a_time) -> Iterator[object]:
    yield chromium


@pytest.fixture
def officer_page(browser, live_server) -> Callable[[str, str], object]:
    """A new browser session for one officer, logged in through the real login form."""

    def login(username: str, password: str) -> object:
        context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login


@pytest.fixture
def citizen(client, trusting_office, fake_graph) -> Citizen:
    return Citizen(client, fake_graph, phone="6281355501234", user_id="ID.6281355501234", name="Sari")
