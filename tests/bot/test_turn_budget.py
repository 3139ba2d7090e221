"""How much database work a citizen's turn costs, from the signed webhook POST to the bot's message at the Graph
stand-in: fifty citizens writing at once must be answered within a second on two cores (issue 15), which leaves
a turn about 20 ms of CPU, and every SQL statement costs the ORM and the driver a good part of a millisecond.

Budgets are statements as a database runs them (savepoints, which only the test's own transaction adds, are
not counted). The application's event subscribers (stage clocks, notifications, surveys) have their own work and
are left out here, as is the request-latency flush a process makes every ten seconds, whichever request is then
running. A budget that fails means a per-turn query crept back: find it before raising the number.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import Citizen, document_photo, said

pytestmark = pytest.mark.django_db

# A tap that opens the next question (a group of services, skipping an optional file): the webhook row and its
# claim, the message and its contact, the conversation, the catalogue, the outbound row and its send (the row
# claimed by ids inside the turn and read whole after its commit, outside SQLite's write lock). (As run on
# SQLite; PostgreSQL runs one statement fewer. Nothing asks whether the number is a village officer's: that is
# looked up when a conversation starts, bot/flows/staff.py.)
TAP_BUDGET = 22
# A typed answer written into the application (a name): the same, plus the application field and its Event.
FIELD_BUDGET = 24
# A photo: the same as a tap, plus its download and stored file, the attachment and its Event.
PHOTO_BUDGET = 29
# "Ajukan sekarang": the draft application is created and the turn has two messages.
APPLY_BUDGET = 41
# The first message of someone who never wrote: their contact and conversation are created, and whether the number
# is a village officer's is looked up.
FIRST_BUDGET = 28


@pytest.fixture(autouse=True)
def no_event_subscribers(settings, no_latency_flush) -> None:
    settings.PENCET_EVENT_SUBSCRIBERS = []


def statements(action) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as captured:
        answers = action()
    counted = [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return answers, len(counted)


def test_a_first_hello_is_answered_with_the_menu_within_budget(citizen, client, fake_graph):
    # Another citizen first: an office that has been running (what a process reads once is read already).
    Citizen(client, fake_graph, phone="6281200000009", user_id=None, name="Andi").say("halo")
    answers, used = statements(lambda: citizen.say("halo"))
    assert "Disdukcapil Kabupaten Sinjai" in said(answers)
    assert used <= FIRST_BUDGET


def test_tapping_a_group_of_services_is_answered_within_budget(citizen):
    citizen.say("halo")
    answers, used = statements(lambda: citizen.tap("grp:ktp"))
    assert "KTP-el baru" in str(answers)
    assert used <= TAP_BUDGET


def test_a_photo_and_the_next_answers_of_an_application_stay_within_budget(citizen):
    citizen.say("halo")
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-baru")
    citizen.tap("apply")
    answers, used = statements(lambda: citizen.photo(document_photo(seed=3)))
    assert answers
    assert used <= PHOTO_BUDGET
    citizen.tap("done")
    answers, used = statements(lambda: citizen.tap("skip"))
    assert answers
    assert used <= TAP_BUDGET
    answers, used = statements(lambda: citizen.say("Sari Wahyuni"))
    assert "NIK" in said(answers)
    assert used <= FIELD_BUDGET


def test_starting_an_application_is_answered_with_both_its_messages_within_budget(citizen):
    """'Ajukan sekarang' creates the draft (application, its documents, its first Event) and answers with two
    messages (the start and the first requirement); the second costs only its own row and send."""
    citizen.say("halo")
    citizen.tap("grp:ktp")
    citizen.tap("svc:ktp-baru")
    answers, used = statements(lambda: citizen.tap("apply"))
    assert len(answers) == 2
    assert used <= APPLY_BUDGET
