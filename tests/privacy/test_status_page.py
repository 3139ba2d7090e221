"""The public status page: found by the receipt's random token only, never a 500, never a draft, rate-limited."""

import pytest
from django.core.cache import cache

from pencet.cases import services as cases
from pencet.cases.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_budget():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "value",
    ["a/b", "../../etc/passwd", "SNJ-2612-0001/x", "%00", "x" * 500, "<script>", "🙂", "a b", "\\"],
)
def test_any_malformed_code_in_the_form_answers_not_found(client, value):
    response = client.get("/status/", {"kode": value})
    assert response.status_code == 404
    assert "Status tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize("path", ["/status/a%2Fb/", "/status/%F0%9F%99%82/", "/status/" + "A" * 300 + "/"])
def test_any_malformed_path_answers_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_tracking_code_no_longer_opens_the_status(client, make_application):
    application = make_application()
    by_code = client.get(f"/status/{application.tracking_code}/")
    assert by_code.status_code == 404
    assert application.tracking_code not in by_code.content.decode()
    assert client.get("/status/", {"kode": application.tracking_code}).status_code == 404
    by_token = client.get(f"/status/{application.status_token}/")
    assert by_token.status_code == 200
    assert application.tracking_code in by_token.content.decode()


def test_status_tokens_are_random_and_unique(make_application):
    first, second = make_application(), make_application()
    assert first.status_token != second.status_token
    assert len(first.status_token) >= 20
    assert first.tracking_code[:-1] not in first.status_token


def test_a_draft_is_never_shown(client, make_application):
    draft = make_application(Status.DRAFT)
    assert client.get(f"/status/{draft.status_token}/").status_code == 404


def test_a_cancelled_application_shows_only_its_status(client, make_application, andi):
    application = make_application()
    cases.application_cancel(application=application, actor=andi, reason="batal", actor_label="")
    page = client.get(f"/status/{application.status_token}/").content.decode()
    assert "Permohonan dibatalkan" in page and "Siti" not in page


def test_lookups_are_rate_limited_per_client_with_a_page_in_bahasa_indonesia(client, settings, make_application):
    settings.PENCET_STATUS_RATE_LIMIT = 30
    application = make_application()
    for _ in range(30):
        assert client.get("/status/", {"kode": "SNJ-2612-0001"}, REMOTE_ADDR="198.51.100.7").status_code == 404
    refused = client.get(f"/status/{application.status_token}/", REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in refused.content.decode()
    # Another citizen is not held up by the first one's budget.
    assert client.get(f"/status/{application.status_token}/", REMOTE_ADDR="198.51.100.8").status_code == 200


def test_a_forwarded_address_from_an_untrusted_peer_does_not_buy_a_new_budget(client, settings):
    settings.PENCET_STATUS_RATE_LIMIT = 3
    settings.PENCET_TRUSTED_PROXIES = []
    codes = [
        client.get("/status/", {"kode": "x"}, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        for i in range(4)
    ]
    assert [r.status_code for r in codes] == [404, 404, 404, 429]
