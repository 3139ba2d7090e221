"""The console and the API offer the same actions to the same person for the same application.

For the console, "offered" is read from the page itself (the forms it renders), not from its context, so a
control the template forgot or shows without permission makes this fail too.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from pencet.cases.models import Status
from pencet.delivery.models import OutputDocument

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _console(settings, tmp_path) -> None:
    settings.OTP_REQUIRED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def _console_forms(code: str, output_id: int | None) -> dict[str, str]:
    """The form action (URL) the console renders for each action."""
    forms = {
        "claim": reverse("console:claim", args=[code]),
        "release": reverse("console:release", args=[code]),
        "take_over": reverse("console:take_over", args=[code]),
        "complete_siak": reverse("console:siak", args=[code]),
        "sign": reverse("console:sign", args=[code]),
        "deliver": reverse("console:deliver", args=[code]),
        "pick_up": reverse("console:pick_up", args=[code]),
        "cancel": reverse("console:cancel", args=[code]),
        "refer_late": reverse("console:late", args=[code, "refer"]),
        "approve_late": reverse("console:late", args=[code, "approve"]),
        "reject_late": reverse("console:late", args=[code, "reject"]),
        "output_add": reverse("console:output_upload", args=[code]),
        "output_specimen": reverse("console:output_specimen", args=[code]),
        "message": reverse("console:message", args=[code]),
        "attachment_add": reverse("console:attachment_add", args=[code]),
        "resubmit": reverse("console:resubmit", args=[code]),
        "correct": reverse("console:correct", args=[code]),
    }
    if output_id is not None:
        forms["output_remove"] = reverse("console:output_remove", args=[code, output_id])
    return forms


def _offered_on_page(page: str, code: str, output_id: int | None) -> set[str]:
    # Signing opens the confirmation page first (a link), where the head of office types the passphrase; the
    # correction is a page of its own too.
    offered = {
        name
        for name, url in _console_forms(code, output_id).items()
        if f'action="{url}"' in page or (name in ("sign", "correct") and f'href="{url}"' in page)
    }
    # The review card posts accept, return and reject to one URL; each has its own button.
    buttons = {"accept": 'id="accept"', "return": 'id="return"', "reject": 'name="decision" value="reject"'}
    offered |= {name for name, marker in buttons.items() if marker in page}
    # Approve and send back share the verification URL; the card shows both or neither.
    if f'action="{reverse("console:verify", args=[code])}"' in page:
        offered |= {"approve", "send_back"}
    return offered


STATES = [
    ("draft", Status.DRAFT, {}),
    ("submitted", Status.SUBMITTED, {}),
    # Born in January 2020: far past the 60 days, so the head of office decides before the forum.
    ("submitted_late", Status.SUBMITTED, {"event_date": date(2020, 1, 15)}),
    ("awaiting_decision", Status.AWAITING_DECISION, {"event_date": date(2020, 1, 15)}),
    ("returned", Status.RETURNED, {}),
    ("accepted", Status.ACCEPTED, {}),
    ("in_process_held_by_budi", Status.IN_PROCESS, {}),
    ("awaiting_verification", Status.AWAITING_VERIFICATION, {}),
    ("awaiting_signature", Status.AWAITING_SIGNATURE, {}),
    ("ready_for_pickup", Status.READY, {}),
    ("ready_by_email_with_output", Status.READY, {"delivery_preference": "email", "email": "siti@example.test"}),
]


@pytest.mark.parametrize(("state", "status", "fields"), STATES, ids=[s[0] for s in STATES])
def test_the_console_and_the_api_offer_each_persona_the_same_actions(
    state, status, fields, application_at, api_as, people
):
    application = application_at(status, **fields)
    output_id = None
    if state == "ready_by_email_with_output":
        output = OutputDocument(application=application, filename="akta.pdf", sha256="1" * 64, size=4)
        output.file.save("akta.pdf", ContentFile(b"%PDF"), save=False)
        output.save()
        output_id = output.pk
    code = application.tracking_code
    for persona in PERSONAS:
        client = Client()
        client.force_login(people[persona])
        page = client.get(reverse("console:application", args=[code]))
        status_code, body = api_as(persona).get(f"/applications/{code}")
        if persona in {"hasan", "rudi"}:
            assert (page.status_code, status_code) == (404, 404)
            continue
        assert (page.status_code, status_code) == (200, 200)
        on_page = _offered_on_page(page.content.decode(), code, output_id)
        assert on_page == set(body["actions"]), persona
