"""pencet.cases.policies: what each persona may do with an application now, and which personal data they see.

The expected lists are written out by hand (what a Sinjai officer in that role should find on the page);
the console and the API both show exactly these (tests/api/test_actions_match_console.py).
"""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.base import ContentFile

from pencet.accounts.models import Role, User
from pencet.accounts.services import user_create
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, DeliveryPreference, Status
from pencet.cases.policies import application_actions_for, personal_data_policy_for
from pencet.delivery.models import OutputDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def yanti(office) -> User:
    """A second operator SIAK of Sinjai."""
    return user_create(username="yanti", office=office, roles=[Role.OPERATOR], first_name="Yanti")


@pytest.fixture
def people(andi, budi, citra, dewi, eka, fajar, rudi, gita, hasan, yanti) -> dict[str, User]:
    return {u.username: u for u in (andi, budi, citra, dewi, eka, fajar, rudi, gita, hasan, yanti)}


@pytest.fixture
def placed(office, akta_kelahiran, bonto_katute, budi) -> Callable[..., Application]:
    """An application of Siti from Bonto Katute placed directly in `status` (held by budi while in process)."""

    def make(status: str, *, outputs: int = 0, phone: str = "6281234567890", **fields: object) -> Application:
        application = cases.application_create(
            office=office,
            service=akta_kelahiran,
            village=bonto_katute,
            applicant_name="Siti Aminah",
            nik="7307074105200001",
            kk_number="7307071203150002",
            phone=phone,
            **fields,
        )
        claimed_by = budi if status == Status.IN_PROCESS else None
        Application.objects.filter(pk=application.pk).update(status=status, claimed_by=claimed_by)
        for n in range(outputs):
            output = OutputDocument(
                application=application, filename=f"akta-{n}.pdf", sha256=f"{n}" * 64, size=4, signature_status="valid"
            )
            output.file.save(f"akta-{n}.pdf", ContentFile(b"%PDF"), save=False)
            output.save()
        return Application.objects.get(pk=application.pk)

    return make


# The desk may also add a file the citizen brought later and correct a typo in the data.
DESK_SUBMITTED = ["accept", "return", "reject", "cancel", "attachment_add", "correct", "message"]
NOTHING = {"eka": [], "fajar": [], "rudi": [], "hasan": []}

CASES = [
    (
        "submitted",
        {"status": Status.SUBMITTED},
        {
            "andi": DESK_SUBMITTED,
            "gita": DESK_SUBMITTED,
            "budi": ["attachment_add", "message"],
            "citra": ["message"],
            "dewi": ["message"],
            **NOTHING,
        },
    ),
    # Born in January 2020, registered years past the 60 days: the desk refers it to the head of office instead
    # of accepting it into the forum.
    (
        "submitted_late",
        {"status": Status.SUBMITTED, "event_date": date(2020, 1, 15)},
        {
            "andi": ["refer_late", "return", "reject", "cancel", "attachment_add", "correct", "message"],
            "gita": ["refer_late", "return", "reject", "cancel", "attachment_add", "correct", "message"],
            "budi": ["attachment_add", "message"],
            "dewi": ["message"],
            **NOTHING,
        },
    ),
    # Only the head of office decides a late registration; the admin does not decide for him.
    (
        "awaiting_decision",
        {"status": Status.AWAITING_DECISION, "event_date": date(2020, 1, 15)},
        {
            "dewi": ["approve_late", "reject_late", "message"],
            "andi": ["attachment_add", "correct", "message"],
            "gita": ["attachment_add", "correct", "message"],
            "budi": ["attachment_add", "message"],
            **NOTHING,
        },
    ),
    # The bot is still talking Siti through her draft: the desk may only cancel it, nobody writes in between.
    (
        "draft",
        {"status": Status.DRAFT},
        {"andi": ["cancel"], "gita": ["cancel"], "budi": [], "citra": [], "dewi": [], **NOTHING},
    ),
    # budi holds it: only he records the SIAK result; yanti, another operator, may neither release nor finish it.
    (
        "in_process_held_by_budi",
        {"status": Status.IN_PROCESS},
        {
            "budi": ["release", "complete_siak", "attachment_add", "message"],
            "yanti": ["attachment_add", "message"],
            "gita": ["release", "take_over", "attachment_add", "message"],
            "andi": ["attachment_add", "message"],
            "citra": ["message"],
            **NOTHING,
        },
    ),
    # Approved, and no document yet: the desk and the operator attach SIAK's PDF; the head of office has nothing to
    # sign until it is there (a real TTE signs a document).
    (
        "awaiting_signature",
        {"status": Status.AWAITING_SIGNATURE},
        {
            "dewi": ["message"],
            "andi": ["output_add", "message"],
            "budi": ["output_add", "message"],
            "gita": ["output_add", "message"],
            "citra": ["message"],
            **NOTHING,
        },
    ),
    (
        "awaiting_signature_with_its_document",
        {"status": Status.AWAITING_SIGNATURE, "outputs": 1},
        {
            "dewi": ["sign", "message"],
            "andi": ["output_add", "output_remove", "message"],
            "budi": ["output_add", "output_remove", "message"],
            "citra": ["message"],
            **NOTHING,
        },
    ),
    # Returned, and registered at the counter: no WhatsApp conversation will resubmit it, so staff add the missing
    # file and resubmit it; the village staff of Bonto Katute may too. Only the desk corrects its data.
    (
        "returned_registered_at_the_counter",
        {"status": Status.RETURNED, "channel": Channel.WALK_IN},
        {
            "andi": ["reject", "cancel", "resubmit", "attachment_add", "correct", "message"],
            "budi": ["resubmit", "attachment_add", "message"],
            "citra": ["message"],
            "dewi": ["message"],
            "fajar": ["resubmit", "attachment_add", "correct"],
            "eka": [],
            "rudi": [],
            "hasan": [],
        },
    ),
    # Returned on WhatsApp: Siti sends the file and the bot resubmits; staff may still add what she brought in.
    (
        "returned_on_whatsapp",
        {"status": Status.RETURNED},
        {
            "andi": ["reject", "cancel", "attachment_add", "correct", "message"],
            "fajar": ["attachment_add", "correct"],
            **{k: v for k, v in NOTHING.items() if k != "fajar"},
        },
    ),
    # Siti picks it up: nothing to send, only the pickup to record.
    (
        "ready_for_pickup",
        {"status": Status.READY},
        {
            "andi": ["pick_up", "output_add", "message"],
            "gita": ["pick_up", "output_add", "message"],
            "budi": ["output_add", "message"],
            "dewi": ["message"],
            **NOTHING,
        },
    ),
    # By e-mail, and no output yet: attach first; "deliver" appears once a PDF is there.
    (
        "ready_by_email_without_output",
        {"status": Status.READY, "delivery_preference": DeliveryPreference.EMAIL, "email": "siti@example.org"},
        {"andi": ["pick_up", "output_add", "message"], "budi": ["output_add", "message"], **NOTHING},
    ),
    (
        "ready_by_email_with_output",
        {
            "status": Status.READY,
            "delivery_preference": DeliveryPreference.EMAIL,
            "email": "siti@example.org",
            "outputs": 1,
        },
        {
            "andi": ["pick_up", "deliver", "output_add", "output_remove", "message"],
            "gita": ["pick_up", "deliver", "output_add", "output_remove", "message"],
            "budi": ["deliver", "output_add", "output_remove", "message"],
            "citra": ["message"],
            "dewi": ["message"],
            **NOTHING,
        },
    ),
    # No WhatsApp number and no contact: nobody can write to Siti.
    ("ready_without_phone", {"status": Status.READY, "phone": ""}, {"andi": ["pick_up", "output_add"], **NOTHING}),
    ("delivered", {"status": Status.DELIVERED}, {"andi": ["message"], "budi": ["message"], **NOTHING}),
]


@pytest.mark.parametrize(("case", "setup", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_persona_is_offered_exactly_what_it_may_do_now(placed, people, case, setup, expected):
    application = placed(**setup)
    for persona, actions in expected.items():
        assert application_actions_for(application=application, user=people[persona]) == actions, persona


def test_a_demo_office_also_offers_a_specimen(placed, people, office):
    office.is_demo = True
    office.save()
    application = placed(Status.READY)
    assert application_actions_for(application=application, user=people["andi"]) == [
        "pick_up",
        "output_add",
        "output_specimen",
        "message",
    ]


# persona: (full NIK and KK, the WhatsApp chat)
PERSONAL_DATA = {
    "andi": (True, True),
    "budi": (True, True),
    "citra": (True, True),
    "gita": (True, True),
    "dewi": (False, True),
    "eka": (False, True),
    "fajar": (False, False),
}


@pytest.mark.parametrize(("persona", "expected"), PERSONAL_DATA.items())
def test_each_role_sees_the_nik_in_full_or_masked_and_the_chat_or_not(placed, people, persona, expected):
    application = placed(Status.SUBMITTED)
    view = personal_data_policy_for(user=people[persona], application=application)
    full, chat = expected
    assert (view.full_identity, view.chat) == (full, chat)
    if full:
        assert (view.nik(application), view.kk_number(application)) == ("7307074105200001", "7307071203150002")
    else:
        assert (view.nik(application), view.kk_number(application)) == ("7307••••••••0001", "7307••••••••0002")


@pytest.mark.parametrize("persona", ["hasan", "rudi"])
def test_someone_who_may_not_see_the_application_gets_no_personal_data(placed, people, persona):
    view = personal_data_policy_for(user=people[persona], application=placed(Status.SUBMITTED))
    assert (view.full_identity, view.chat, view.nik(placed(Status.SUBMITTED))) == (False, False, "7307••••••••0001")
