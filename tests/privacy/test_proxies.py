"""Behind a TLS proxy: HTTPS, HSTS, CSRF origins and the lockout's address come from the proxy we trust only."""

import pytest
from django.test import Client

from pencet.console.management.commands.serve import waitress_proxy_options
from pencet.lib.proxies import forwarded_client, proxy_networks_parse

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.PENCET_TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


def test_the_client_is_the_right_most_address_not_ours():
    trusted = proxy_networks_parse(["10.0.0.0/8", "::1"])
    assert forwarded_client(peer="10.0.0.2", forwarded_for="6.6.6.6, 203.0.113.9", trusted=trusted) == "203.0.113.9"
    assert forwarded_client(peer="10.0.0.2", forwarded_for="203.0.113.9, 10.1.1.1", trusted=trusted) == "203.0.113.9"
    # A peer we do not run: what it claims is ignored.
    assert forwarded_client(peer="198.51.100.1", forwarded_for="203.0.113.9", trusted=trusted) == "198.51.100.1"
    # Garbage stops the walk at the last address we can believe.
    assert forwarded_client(peer="10.0.0.2", forwarded_for="203.0.113.9, bukan-ip", trusted=trusted) == "10.0.0.2"
    assert forwarded_client(peer="::1", forwarded_for="[2001:db8::7]", trusted=trusted) == "2001:db8::7"


def test_a_bad_trusted_proxy_setting_is_refused():
    with pytest.raises(ValueError, match="bukan"):
        proxy_networks_parse(["10.0.0.1", "bukan"])


@pytest.mark.django_db
def test_https_and_hsts_come_from_the_trusted_proxy(behind_proxy):
    response = Client().get("/healthz/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure()
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_a_client_reaching_the_app_directly_cannot_claim_https(behind_proxy):
    response = Client().get("/healthz/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_PROTO="https")
    assert not response.wsgi_request.is_secure()
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
def test_without_a_configured_proxy_no_header_means_https(settings):
    assert settings.SECURE_PROXY_SSL_HEADER is None
    response = Client().get("/healthz/", HTTP_X_FORWARDED_PROTO="https")
    assert not response.wsgi_request.is_secure()


@pytest.mark.django_db
def test_the_csrf_origin_check_accepts_the_https_origin_behind_the_proxy(behind_proxy, andi):
    behind_proxy.ALLOWED_HOSTS = ["pencet.sinjaikab.go.id"]
    client = Client(enforce_csrf_checks=True)
    page = client.get("/masuk/", HTTP_HOST="pencet.sinjaikab.go.id", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    token = page.cookies["csrftoken"].value
    form = {"username": "andi", "password": "rahasia-uji-123", "csrfmiddlewaretoken": token}
    common = {"HTTP_HOST": "pencet.sinjaikab.go.id", "REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https"}
    good = client.post("/masuk/", form, HTTP_ORIGIN="https://pencet.sinjaikab.go.id", **common)
    assert good.status_code == 302
    forged = Client(enforce_csrf_checks=True)
    forged.cookies["csrftoken"] = token
    bad = forged.post("/masuk/", form, HTTP_ORIGIN="https://evil.example", **common)
    assert bad.status_code == 403


@pytest.mark.django_db
def test_the_lockout_counts_the_client_behind_the_proxy_not_the_proxy(behind_proxy, andi):
    behind_proxy.AXES_FAILURE_LIMIT = 3
    wrong = {"username": "andi", "password": "salah"}
    for _ in range(3):
        Client().post("/masuk/", wrong, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = Client().post("/masuk/", wrong, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert locked.status_code == 429
    # Another officer's PC behind the same proxy is not locked out with them.
    right = {"username": "andi", "password": "rahasia-uji-123"}
    other = Client().post("/masuk/", right, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_dodge_the_lockout(behind_proxy, andi):
    behind_proxy.AXES_FAILURE_LIMIT = 3
    wrong = {"username": "andi", "password": "salah"}
    for i in range(3):
        Client().post("/masuk/", wrong, REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    again = Client().post("/masuk/", wrong, REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert again.status_code == 429


def test_pencet_serve_hands_a_single_proxy_to_waitress():
    assert waitress_proxy_options(["127.0.0.1"]) == {
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "trusted_proxy_count": 1,
        "clear_untrusted_proxy_headers": True,
    }
    # waitress trusts one peer only; with several the middleware alone decides.
    assert waitress_proxy_options(["10.0.0.2", "10.0.0.3"]) == {}
    assert waitress_proxy_options(["10.0.0.0/24"]) == {}
    assert waitress_proxy_options([]) == {}


def test_waitress_with_the_options_rewrites_the_client_and_scheme():
    from waitress.proxy_headers import proxy_headers_middleware

    seen = {}

    def app(environ, start_response):  # noqa: ANN001, ANN202
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    options = waitress_proxy_options(["127.0.0.1"])
    wrapped = proxy_headers_middleware(
        app,
        trusted_proxy=options["trusted_proxy"],
        trusted_proxy_count=options["trusted_proxy_count"],
        trusted_proxy_headers=options["trusted_proxy_headers"],
        clear_untrusted=True,
    )
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "203.0.113.5",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "http",
        "SERVER_PORT": "8000",
    }
    wrapped(environ, lambda *a: None)
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"]) == ("203.0.113.5", "https")
