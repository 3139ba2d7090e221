"""Shared fixtures: the Sinjai office, its people (named personas) and a neighbouring office.

Personas (all of Disdukcapil Kabupaten Sinjai unless said otherwise):
    andi   petugas layanan (service officer)      budi   operator SIAK
    citra  verifikator                            dewi   penandatangan (head of office)
    eka    pimpinan (leadership)                  fajar  aparat desa of Bonto Katute
    gita   admin                                  hasan  petugas layanan of Kabupaten Bone (another office)
    rudi   aparat desa of a village in Sinjai Barat (not Bonto Katute)
"""

import contextlib
import os
import ssl
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator

import pytest

from pencet.accounts.models import Office, Role, User
from pencet.accounts.services import user_create
from pencet.catalog.models import Service
from pencet.catalog.services import catalog_seed
from pencet.lib.heap import heap_settle
from pencet.regions.models import Region
from pencet.regions.services import region_import

PASSWORD = "rahasia-uji-123"

# httpx builds a new TLS context for every call it is given without a client (pencet/whatsapp/client.py calls
# httpx.request once per Graph API call), and a context read from a CA bundle file costs 30-150 ms of CPU each
# time, even for the plain-HTTP loopback stand-ins of the suite. A CA directory is read lazily, at a handshake:
# the same trust, for a fraction of the cost.
_CA_DIR = ssl.get_default_verify_paths().openssl_capath
if os.path.isdir(_CA_DIR) and any(os.scandir(_CA_DIR)):
    os.environ.pop("SSL_CERT_FILE", None)
    os.environ["SSL_CERT_DIR"] = _CA_DIR


REGION_PREFIXES = ("73.07", "73.08")


def pytest_collection_finish(session: pytest.Session) -> None:
    # By now each worker holds Django, every app and every collected test, which live as long as the run: settled
    # as a web or consumer worker settles its heap after start-up (pencet/lib/heap.py).
    heap_settle()


def reference_data_load() -> None:
    """Sinjai's and Bone's regions and the national catalogue: what almost every test stands on."""
    for prefix in REGION_PREFIXES:
        region_import(prefix=prefix)
    catalog_seed()


def _regions_missing() -> bool:
    return Region.objects.filter(code__in=REGION_PREFIXES).count() != len(REGION_PREFIXES)


def _reference_data_missing() -> bool:
    return _regions_missing() or not Service.objects.exists()


_blocker: list = []  # pytest-django's DB blocker, once the test database exists


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_test_environment, django_db_blocker, django_db_modify_db_settings
) -> Generator[None, None, None]:
    """Each worker's test database, migrated and with the reference data loaded once; every `db` test rolls back to
    it. Built as pytest-django does, or copied from the last run's while nothing it is made of changed
    (tests/dbcache.py)."""
    from django.test.utils import setup_databases, teardown_databases

    from . import dbcache

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        key = dbcache.cache_key() if dbcache.enabled() else None
        db_cfg = dbcache.restore(key=key) if key else None
        if db_cfg is None:
            db_cfg = setup_databases(
                verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
            )
            reference_data_load()
            if key:
                dbcache.keep(key=key)
    _blocker.append(django_db_blocker)
    yield
    _blocker.clear()
    with django_db_blocker.unblock():
        _other_sessions_end()
        teardown_databases(db_cfg, verbosity=verbosity)


def _other_sessions_end() -> None:
    """On PostgreSQL, end any session on this worker's test database but ours: the database is dropped next, and
    PostgreSQL refuses while another session uses it. Such a session is a connection a finished thread left in a
    reference cycle, open until a garbage collection frees it (rarer since heap_settle)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
    connection.close()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    # A transactional test (live server, browser) ends by flushing every table; the reference data is put back
    # after that flush, committed, so the tests after it need not load it again.
    # After the last test the test database is gone (and the settings point at the real one again): nothing to do.
    result = yield
    if _browser and (nextitem is None or not nextitem.get_closest_marker("e2e")):
        _chromium_stop()
    if nextitem is not None and _blocker and _is_transactional(item):
        with _blocker[0].unblock():
            if _reference_data_missing():
                reference_data_load()
    return result


BROWSER_GROUP = "browser"
CHROMIUM = "/usr/bin/chromium"  # Debian's (scripts/ensure-chromium); Playwright never downloads its own
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# One Playwright and one headless Chromium for a run of browser tests (they run one after another on one worker,
# see BROWSER_GROUP): starting both costs about a second of CPU and two of waiting per test. Every test still gets
# fresh browser contexts (cookies, storage), closed after it. The browser stops after the last browser test in a
# row, because Playwright's sync API leaves its event loop set as running in this thread, and the tests after it
# must see a thread without one (Django's async-safety check, asyncio.run in pyHanko).
_browser: dict = {}


def _chromium_start() -> object:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    _browser.update(
        playwright=playwright, browser=playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    )
    return _browser["browser"]


def _chromium_stop() -> None:
    browser, playwright = _browser.pop("browser"), _browser.pop("playwright")
    try:
        browser.close()
    finally:
        playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class _Answering:
    """The live server's WSGI application, counting the requests it is still answering (until the response is
    closed, which is when Django's request_finished runs)."""

    def __init__(self, app: Callable) -> None:
        self.app, self.lock, self.open = app, threading.Lock(), 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        with self.lock:
            self.open += 1
        try:
            response = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Closing(response, self._done)

    def _done(self) -> None:
        with self.lock:
            self.open -= 1

    def quiet(self, *, calm: float = 0.1, most: float = 10.0) -> None:
        """Return once no request has been open for `calm` seconds (at most after `most`)."""
        deadline, calm_since = time.monotonic() + most, None
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self.open:
                calm_since = None
            elif calm_since is None:
                calm_since = now
            elif now - calm_since >= calm:
                return
            time.sleep(0.01)


class _Closing:
    def __init__(self, response: Iterable[bytes], done: Callable[[], None]) -> None:
        self.response, self.done = response, done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.done()


@pytest.fixture
def chromium(live_server) -> Generator[object, None, None]:
    """The shared headless Chromium; the contexts a test opens are closed after it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run `make browser` (scripts/ensure-chromium)")
    browser = _browser.get("browser") or _chromium_start()
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    answering = _Answering(app)
    httpd.set_app(answering)
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        for context in browser.contexts:
            if context not in before:
                # Leave every page first: a page that polls (the simulator, the queue counts) stops asking.
                for page in context.pages:
                    with contextlib.suppress(Exception):
                        page.goto("about:blank")
                context.close()
        # The test's tables are flushed next, and an SQLite table still read by a request the live server is
        # answering cannot be flushed ("database table is locked"): wait for the last answer to be closed.
        answering.quiet()
        httpd.set_app(app)


def _xdist_group(item: pytest.Item) -> str | None:
    names = sorted(
        {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    )
    return "_".join(names) or None


def _group_suffix(item: pytest.Item, group: str) -> None:
    # xdist's loadgroup scheduler groups by a "@group" suffix of the node id, which xdist 3.8 writes into
    # `item._nodeid`; pytest 9.2 keeps the id in `item._id` (a NodeId) and ignores `_nodeid`, so xdist's own
    # suffix is lost and every group silently spreads over all workers (pytest-xdist issue #1386). The suffix is
    # written where this pytest reads it; pytest_runtest_setup below fails a grouped test left outside its group.
    if hasattr(item, "_id") and not item.nodeid.endswith(f"@{group}"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(f"{item.nodeid}@{group}")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Generator[None, None, None]:
    # Before every other plugin's hook (xdist's reads the groups): under `--dist loadgroup` the browser tests run
    # one after another on a single worker; two headless Chromiums at once on a small machine only make both slow
    # enough to time out.
    loadgroup = bool(getattr(config.option, "loadgroup", False))  # set on xdist workers under --dist loadgroup
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP))
        if loadgroup and (group := _xdist_group(item)):
            _group_suffix(item, group)
    yield
    # After pytest-django's ordering (database tests, then transactional ones, then the rest): the tests marked
    # slow go first, so that none of them, started last, keeps one worker busy while the other has nothing left.
    # xdist hands out its largest group first (the browser tests), then tests in this order.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    group = _xdist_group(item)
    if group and getattr(item.config.option, "loadgroup", False) and not item.nodeid.endswith(f"@{group}"):
        pytest.fail(f"this test is outside its xdist group {group!r} and may run beside it: see _group_suffix")


@pytest.fixture
def regions(db) -> None:
    # Loaded once per session (django_db_setup above); only a test that deleted them pays for a reload.
    if _regions_missing():
        for prefix in REGION_PREFIXES:
            region_import(prefix=prefix)


@pytest.fixture
def no_regions(db) -> None:
    """An empty region table, as before `pencet import-regions` (undone with the test's transaction)."""
    Region.objects.all().delete()


@pytest.fixture
def catalog(db) -> None:
    if not Service.objects.exists():
        catalog_seed()


def sinjai_office() -> Office:
    """Sinjai's office, created the first time a test (or a module's shared data, e.g. tests/reports) asks."""
    return Office.objects.filter(code="SNJ").first() or Office.objects.create(
        name="Disdukcapil Kabupaten Sinjai",
        code="SNJ",
        regency_id="73.07",
        whatsapp_phone_number_id="100000000000001",
        email_sender="disdukcapil@sinjaikab.go.id",
    )


def bone_office() -> Office:
    return Office.objects.filter(code="BNE").first() or Office.objects.create(
        name="Disdukcapil Kabupaten Bone",
        code="BNE",
        regency_id="73.08",
        whatsapp_phone_number_id="100000000000002",
    )


def _rudis_village() -> Region:
    return Region.objects.filter(parent_id="73.07.01", level=4).exclude(code="73.07.07.2007").first()


# username: (office, role, what else the persona has)
PERSONAS = {
    "andi": (sinjai_office, Role.SERVICE_OFFICER, lambda: {"first_name": "Andi"}),
    "budi": (sinjai_office, Role.OPERATOR, lambda: {"first_name": "Budi"}),
    "citra": (sinjai_office, Role.VERIFIER, lambda: {"first_name": "Citra"}),
    "dewi": (sinjai_office, Role.SIGNER, lambda: {"first_name": "Dewi"}),
    "eka": (sinjai_office, Role.LEADERSHIP, lambda: {"first_name": "Eka"}),
    "fajar": (
        sinjai_office,
        Role.VILLAGE_STAFF,
        lambda: {
            "first_name": "Fajar",
            "villages": [Region.objects.get(code="73.07.07.2007")],
            "whatsapp_number": "6281355500007",
        },
    ),
    "rudi": (sinjai_office, Role.VILLAGE_STAFF, lambda: {"first_name": "Rudi", "villages": [_rudis_village()]}),
    "gita": (sinjai_office, Role.ADMIN, lambda: {"first_name": "Gita"}),
    "hasan": (bone_office, Role.SERVICE_OFFICER, lambda: {"first_name": "Hasan"}),
}


def persona(username: str) -> User:
    """One of the named personas (module docstring), created the first time it is asked for."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    office, role, extra = PERSONAS[username]
    return user_create(username=username, office=office(), roles=[role], password=PASSWORD, **extra())


class People(dict):
    """The personas by username, each created the first time a test reads it: a test that logs in as Andi does
    not pay for the other eight (a persona is several statements; most console and API tests need one or two)."""

    def __missing__(self, username: str) -> User:
        self[username] = user = persona(username)
        return user


@pytest.fixture
def people(office, other_office) -> People:
    return People()


@pytest.fixture
def office(regions, catalog) -> Office:
    return sinjai_office()


@pytest.fixture
def other_office(regions) -> Office:
    return bone_office()


@pytest.fixture
def andi(office) -> User:
    return persona("andi")


@pytest.fixture
def budi(office) -> User:
    return persona("budi")


@pytest.fixture
def citra(office) -> User:
    return persona("citra")


@pytest.fixture
def dewi(office) -> User:
    return persona("dewi")


@pytest.fixture
def eka(office) -> User:
    return persona("eka")


@pytest.fixture
def fajar(office) -> User:
    return persona("fajar")


@pytest.fixture
def rudi(office) -> User:
    return persona("rudi")


@pytest.fixture
def gita(office) -> User:
    return persona("gita")


@pytest.fixture
def hasan(other_office) -> User:
    return persona("hasan")


@pytest.fixture
def bonto_katute(regions) -> Region:
    return Region.objects.get(code="73.07.07.2007")


@pytest.fixture
def akta_kelahiran(catalog) -> Service:
    return Service.objects.get(code="akta-kelahiran")


@pytest.fixture
def no_latency_flush(settings) -> None:
    """Count a request's own statements: the process's request-latency histogram is flushed by whichever request
    comes ten seconds after the last flush (pencet.ops.middleware), and in a long suite that can be the counted one
    (about 24 statements, one per bucket)."""
    settings.PENCET_METRICS_FLUSH_SECONDS = 3600


@pytest.fixture
def fake_graph(settings):
    """Meta's Graph API stand-in on a free loopback port; settings point the WhatsApp client at it (tests/wa.py)."""
    from pencet.whatsapp.fakegraph import FakeGraph
    from pencet.whatsapp.fakegraph_server import serve_in_thread

    graph = FakeGraph(token="test-access-token")
    server = serve_in_thread(graph)
    graph.url = server.url
    settings.WHATSAPP_API_URL = server.url
    settings.WHATSAPP_ACCESS_TOKEN = graph.token
    settings.WHATSAPP_APP_SECRET = "test-app-secret"
    settings.WHATSAPP_VERIFY_TOKEN = "test-verify-token"
    yield graph
    server.stop()
