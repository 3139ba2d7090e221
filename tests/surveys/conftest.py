"""Survey fixtures: Siti, a citizen on WhatsApp, whose birth certificate gets picked up at the counter."""

import json
from collections.abc import Callable

import pytest
from django.utils import timezone

from pencet.cases import services as cases
from pencet.cases.models import Application, Channel
from pencet.whatsapp.models import Contact, OutboundMessage


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.OTP_REQUIRED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def siti(office) -> Contact:
    return Contact.objects.create(
        office=office, phone="6281234567890", profile_name="Siti", last_inbound_at=timezone.now()
    )


@pytest.fixture
def ready_application(
    office, andi, budi, citra, dewi, akta_kelahiran, bonto_katute, siti
) -> Callable[..., Application]:
    """ready_application() → Siti's akta kelahiran, signed and waiting at the counter."""

    def make(**fields: object) -> Application:
        fields = {
            "applicant_name": "Siti Aminah",
            "nik": "7307074105200001",
            "phone": "6281234567890",
            "village": bonto_katute,
            "contact": siti,
            **fields,
        }
        app = cases.application_create(office=office, service=akta_kelahiran, channel=Channel.WHATSAPP, **fields)
        cases.application_submit(application=app, actor=None)
        cases.application_accept(application=app, actor=andi)
        cases.application_claim(application=app, actor=budi)
        cases.application_complete_siak(application=app, actor=budi, siak_reference="AL.7307.0000001")
        cases.application_approve(application=app, actor=citra)
        cases.application_sign(application=app, actor=dewi)
        return app

    return make


@pytest.fixture
def pick_up(andi) -> Callable[[Application], Application]:
    def do(application: Application) -> Application:
        return cases.application_pick_up(
            application=application, actor=andi, collected_by="Siti Aminah", is_representative=False, originals_seen=[]
        )

    return do


def survey_messages(contact: Contact) -> list[OutboundMessage]:
    """The outbox rows of the survey conversation (buttons and lists whose ids start with svy:, and its texts)."""
    rows = []
    for row in OutboundMessage.objects.filter(contact=contact).order_by("id"):
        ids = [b["id"] for b in row.payload.get("buttons", [])]
        ids += [r["id"] for s in row.payload.get("sections", []) for r in s.get("rows", [])]
        if any(i.startswith("svy:") for i in ids) or row.template_event == "survey_invitation":
            rows.append(row)
    return rows


class Api:
    """Calls /api/v1/ with one user's bearer token; returns (status, JSON body or the raw response)."""

    def __init__(self, key: str) -> None:
        from django.test import Client

        self.key = key
        self.client = Client(enforce_csrf_checks=True)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def get(self, path: str, **params: object):
        response = self.client.get("/api/v1" + path, params, headers=self._headers())
        if response["Content-Type"].startswith("application/json"):
            return response.status_code, json.loads(response.content)
        return response.status_code, response

    def post(self, path: str, body: object = None) -> tuple[int, object]:
        response = self.client.post(
            "/api/v1" + path, data=json.dumps(body or {}), content_type="application/json", headers=self._headers()
        )
        assert response["Content-Type"].startswith("application/json"), response.content[:300]
        return response.status_code, json.loads(response.content)


@pytest.fixture
def api_as(andi, budi, dewi, eka, fajar, gita, hasan) -> Callable[[str], Api]:
    from pencet.accounts.services import api_token_create

    people = {u.username: u for u in (andi, budi, dewi, eka, fajar, gita, hasan)}

    def make(username: str) -> Api:
        _token, key = api_token_create(user=people[username], name="tes")
        return Api(key)

    return make


@pytest.fixture
def client_as(andi, budi, dewi, eka, fajar, gita, hasan):
    """client_as("andi") → a console client logged in as Andi."""
    from django.test import Client

    people = {u.username: u for u in (andi, budi, dewi, eka, fajar, gita, hasan)}

    def make(username: str) -> Client:
        client = Client()
        client.force_login(people[username])
        return client

    return make
