"""The API: an application registered at a chosen moment, its due moment and stage timeline read back."""

from datetime import datetime

import pytest
from django.test import Client

from pencet.accounts.services import api_token_create

from .conftest import committed, wita

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Api:
    def __init__(self, user) -> None:
        _token, key = api_token_create(user=user, name="tes")
        self.headers = {"Authorization": f"Bearer {key}"}
        self.client = Client()

    def get(self, path: str, **params: object):
        response = self.client.get("/api/v1" + path, params, headers=self.headers)
        return response.status_code, response.json()

    def post(self, path: str, body: dict):
        # Each request commits; its events reach the subscribers (stage timers, notifications) after that.
        with committed():
            response = self.client.post("/api/v1" + path, body, content_type="application/json", headers=self.headers)
        return response.status_code, response.json()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _register(api: Api) -> str:
    status, body = api.post(
        "/applications",
        {
            "service": "akta-kelahiran",
            "applicant_name": "Siti Aminah",
            "nik": "7307074105200001",
            "village": "73.07.07.2007",
            "channel": "walk_in",
            "phone": "081234567890",
        },
    )
    assert status == 201, body
    return body["tracking_code"]


def test_a_counter_registration_before_christmas_reads_back_its_due_moment_and_timeline(at, sinjai, andi):
    api = Api(andi)
    at(wita(2026, 12, 23, 15, 30))  # after the 14:00 cut-off, before cuti bersama and Christmas
    code = _register(api)
    at(wita(2026, 12, 28, 8, 10))
    assert api.post(f"/applications/{code}/accept", {})[0] == 200
    at(wita(2026, 12, 28, 8, 20))
    status, clock = api.get(f"/applications/{code}/clock")
    assert status == 200
    assert moment(clock["due_at"]) == wita(2026, 12, 28, 12)
    review, forum = clock["stages"]
    # 30 minutes on Wednesday, 10 on Monday: 40 working minutes over a 15-minute target, 4 days 16 h 40 on the wall.
    assert (review["stage"], review["working_seconds"], review["target_met"]) == ("review", 40 * 60, False)
    assert review["wall_seconds"] == ((4 * 24 + 16) * 60 + 40) * 60
    assert moment(review["due_at"]) == wita(2026, 12, 23, 15, 45)
    assert (forum["stage"], forum["ended_at"], forum["working_seconds"], forum["target_minutes"]) == (
        "forum",
        None,
        10 * 60,
        30,
    )
    assert moment(forum["due_at"]) == wita(2026, 12, 28, 8, 40)
    assert clock["legal_deadline"] is None


def test_the_list_filters_overdue_and_due_soon(at, sinjai, andi, hasan):
    api = Api(andi)
    at(wita(2026, 11, 23, 9))
    early = _register(api)  # due Monday 16:00
    at(wita(2026, 11, 23, 14, 30))
    later = _register(api)  # after the cut-off: due Tuesday 12:00
    at(wita(2026, 11, 23, 15, 30))
    _status, soon = api.get("/applications", due_soon="true")
    assert [a["tracking_code"] for a in soon["items"]] == [early]
    at(wita(2026, 11, 23, 16, 1))
    _status, overdue = api.get("/applications", overdue="true")
    assert [a["tracking_code"] for a in overdue["items"]] == [early]
    _status, in_time = api.get("/applications", overdue="false")
    assert [a["tracking_code"] for a in in_time["items"]] == [later]
    _status, stages = api.get("/clocks/stages", overdue="true")
    assert sorted(s["tracking_code"] for s in stages) == sorted([early, later])  # both reviews are past 15 minutes
    assert Api(hasan).get(f"/applications/{early}/clock")[0] == 404
