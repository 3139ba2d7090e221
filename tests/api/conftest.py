"""API test helpers: a bearer-token client per persona and applications brought to any status."""

import json
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from pencet.accounts.services import api_token_create
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, ReviewItem, Status
from pencet.catalog.models import Service
from pencet.delivery.models import OutputDocument
from pencet.regions.models import Region

PERSONAS = ("andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan")


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # The personas all get a password; the default hasher would spend seconds per test on nothing the API uses.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Api:
    """Calls /api/v1/ with one user's bearer token and returns (status, JSON body)."""

    def __init__(self, key: str | None) -> None:
        self.key = key
        # Enforced as in production: a bearer-token client never has a CSRF cookie.
        self.client = Client(enforce_csrf_checks=True)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, **params: object) -> tuple[int, object]:
        response = self.client.get("/api/v1" + path, params, headers=self._headers())
        return response.status_code, _json(response)

    def post(self, path: str, body: object = None, *, raw: str | None = None) -> tuple[int, object]:
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        response = self.client.post(
            "/api/v1" + path, data=data, content_type="application/json", headers=self._headers()
        )
        return response.status_code, _json(response)

    def upload(self, path: str, files: dict[str, object]) -> tuple[int, object]:
        """A multipart POST, e.g. upload("/applications/X/outputs", {"file": SimpleUploadedFile(...)})."""
        response = self.client.post("/api/v1" + path, data=files, headers=self._headers())
        return response.status_code, _json(response)

    def delete(self, path: str) -> tuple[int, object]:
        response = self.client.delete("/api/v1" + path, headers=self._headers())
        return response.status_code, _json(response)


def _json(response) -> object:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return json.loads(response.content)


@pytest.fixture
def api_as(people) -> Callable[[str], Api]:
    """api_as("andi") → a client with a fresh token of Andi."""

    def make(username: str) -> Api:
        _token, key = api_token_create(user=people[username], name="tes")
        return Api(key)

    return make


@pytest.fixture
def siak_output() -> Callable[[Application], OutputDocument]:
    """siak_output(application) → the output PDF SIAK printed and signed with a valid TTE, attached (a row whose
    signature check said valid; the signature itself is tested in tests/delivery and tests/console)."""

    def attach(application: Application) -> OutputDocument:
        output = OutputDocument(
            application=application, filename="akta.pdf", sha256="5" * 64, size=4, signature_status="valid"
        )
        output.file.save("akta.pdf", ContentFile(b"%PDF"), save=False)
        output.save()
        return output

    return attach


@pytest.fixture
def application_at(office, people, akta_kelahiran: Service, bonto_katute: Region) -> Callable[..., Application]:
    """application_at(Status.ACCEPTED) → a Sinjai application from Bonto Katute, walked there by the personas."""

    def make(status: str, **fields: object) -> Application:
        fields = {
            "applicant_name": "Siti Aminah",
            "nik": "7307074105200001",
            "kk_number": "7307071203150002",
            "phone": "6281234567890",
            "village": bonto_katute,
            **fields,
        }
        fields.setdefault("channel", Channel.WHATSAPP)
        app = cases.application_create(office=office, service=akta_kelahiran, **fields)
        if status == Status.DRAFT:
            return app
        cases.application_submit(application=app, actor=None)
        if status == Status.SUBMITTED:
            return app
        if status == Status.AWAITING_DECISION:  # pass an event_date past the legal deadline
            return cases.application_refer_late(application=app, actor=people["andi"])
        if status == Status.RETURNED:
            requirement = akta_kelahiran.requirements.first()
            verdict = cases.ReviewVerdict(requirement=requirement, verdict=ReviewItem.Verdict.MISSING, reason="x")
            return cases.application_return(application=app, actor=people["andi"], items=[verdict])
        cases.application_accept(application=app, actor=people["andi"])
        if status == Status.ACCEPTED:
            return app
        cases.application_claim(application=app, actor=people["budi"])
        if status == Status.IN_PROCESS:
            return app
        cases.application_complete_siak(application=app, actor=people["budi"], siak_reference="AL.7307.0000001")
        if status == Status.AWAITING_VERIFICATION:
            return app
        cases.application_approve(application=app, actor=people["citra"])
        if status == Status.AWAITING_SIGNATURE:
            return app
        cases.application_sign(application=app, actor=people["dewi"])
        assert status == Status.READY, status
        return app

    return make
