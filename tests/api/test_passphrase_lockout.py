"""Guessing the head of office's passphrase through the API: five wrong ones in a row lock signing for a quarter of
an hour; the right one before that resets the count. (The console's message: tests/console/test_signing.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from pencet.cases.models import Status
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_five_wrong_passphrases_lock_signing_and_then_even_the_right_one_is_refused(
    api_as, application_at, siak_output, time_machine
):
    application = application_at(Status.AWAITING_SIGNATURE)
    siak_output(application)
    dewi = api_as("dewi")
    url = f"/applications/{application.tracking_code}/sign"
    answers = [dewi.post(url, {"passphrase": f"tebakan-{n}"}) for n in range(5)]
    assert [status for status, _ in answers[:4]] == [403] * 4
    assert {body["error"] for _, body in answers[:4]} == {"passphrase_wrong"}
    status, locked = answers[4]
    assert (status, locked["error"]) == (429, "passphrase_locked")
    assert "dikunci" in locked["message"]

    status, refused = dewi.post(url, {"passphrase": PASSWORD})
    assert (status, refused["error"]) == (429, "passphrase_locked")
    assert dewi.get(f"/applications/{application.tracking_code}")[1]["status"] == "awaiting_signature"

    time_machine.move_to(timezone.now() + timedelta(minutes=16), tick=False)
    status, signed = dewi.post(url, {"passphrase": PASSWORD})
    assert (status, signed["status"]) == (200, "ready")


def test_a_right_passphrase_in_between_starts_the_count_again(api_as, application_at, siak_output):
    first, second = application_at(Status.AWAITING_SIGNATURE), application_at(Status.AWAITING_SIGNATURE)
    siak_output(first)
    siak_output(second)
    dewi = api_as("dewi")
    for n in range(4):
        assert dewi.post(f"/applications/{first.tracking_code}/sign", {"passphrase": f"x{n}"})[0] == 403
    assert dewi.post(f"/applications/{first.tracking_code}/sign", {"passphrase": PASSWORD})[0] == 200
    for n in range(4):
        assert dewi.post(f"/applications/{second.tracking_code}/sign", {"passphrase": f"y{n}"})[0] == 403
    assert dewi.post(f"/applications/{second.tracking_code}/sign", {"passphrase": PASSWORD})[0] == 200
