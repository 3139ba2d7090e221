"""Bad input to the REST API is the client's error (4xx JSON), never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", ["100000000000000000000", "9223372036854775808", "1000001"])
def test_an_absurd_offset_is_refused_as_invalid_input(api_as, offset):
    status, body = api_as("andi").get("/applications", offset=offset)
    assert status == 422
    assert body["error"] == "invalid_input"


def test_the_complaints_list_bounds_its_offset_too(api_as):
    status, body = api_as("andi").get("/complaints", offset="100000000000000000000")
    assert (status, body["error"]) == (422, "invalid_input")


def test_a_search_longer_than_100_characters_is_refused(api_as):
    status, body = api_as("andi").get("/applications", q="7" * 101)
    assert (status, body["error"]) == (422, "invalid_input")
    status, _body = api_as("andi").get("/applications", q="7" * 100)
    assert status == 200


def test_a_body_over_the_limit_answers_413_json(api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    api = api_as("andi")
    big = json.dumps({"reason": "x" * 20_000})
    status, body = api.post("/applications/SNJ-2612-0001/reject", raw=big)
    assert status == 413
    assert body["error"] == "too_large"
    assert body["message"] == "Isi permintaan terlalu besar."
