"""Every role × every console page: allowed pages answer, forbidden ones never show data."""

import pytest
from django.urls import reverse

from pencet.cases.models import Status

pytestmark = pytest.mark.django_db

SINJAI_STAFF = ("andi", "budi", "citra", "dewi", "eka", "fajar", "gita")
QUEUE_ROLES = {
    "submitted": {"andi", "gita", "eka"},
    "returned": {"andi", "fajar", "rudi", "gita", "eka"},
    "accepted": {"budi", "gita", "eka"},
    "in_process_mine": {"budi"},
    "in_process": {"budi", "gita", "eka"},
    "awaiting_verification": {"citra", "gita", "eka"},
    "awaiting_signature": {"dewi", "gita", "eka"},
    "ready": {"andi", "budi", "fajar", "rudi", "gita", "eka"},
}


@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_every_persona_sees_the_home_page_and_its_live_counts(client_as, username):
    client = client_as(username)
    assert client.get(reverse("console:home")).status_code == 200
    assert client.get(reverse("console:queue_counts")).status_code == 200


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, office):
    response = client.get(reverse("console:queue", args=["submitted"]))
    assert response.status_code == 302
    assert reverse("console:login") in response["Location"]


@pytest.mark.parametrize("key", list(QUEUE_ROLES))
@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_each_queue_opens_only_for_the_roles_that_work_it(client_as, username, key):
    allowed = QUEUE_ROLES[key] | ({"hasan"} if key in ("submitted", "returned", "ready") else set())
    response = client_as(username).get(reverse("console:queue", args=[key]))
    assert response.status_code == (200 if username in allowed else 404)


@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_the_application_page_and_its_files_open_only_inside_the_office_and_village(
    client_as, make_application, attach, username
):
    application = make_application(Status.SUBMITTED)
    attachment = attach(application)
    client = client_as(username)
    page = client.get(reverse("console:application", args=[application.tracking_code]))
    file = client.get(reverse("console:attachment", args=[application.tracking_code, attachment.pk]))
    if username in SINJAI_STAFF:
        assert page.status_code == 200
        assert file.status_code == 200
    else:
        assert page.status_code == 404
        assert file.status_code == 404
        assert b"Siti Aminah" not in page.content


def test_another_offices_application_is_not_found_for_sinjai_staff(client_as, other_office_application):
    for username in ("andi", "gita", "eka"):
        response = client_as(username).get(
            reverse("console:application", args=[other_office_application.tracking_code])
        )
        assert response.status_code == 404
        assert b"Orang Bone" not in response.content


def test_hasan_cannot_accept_a_sinjai_application_by_posting_to_it(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    response = client_as("hasan").post(
        reverse("console:review", args=[application.tracking_code]), {"decision": "accept"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_rudi_cannot_read_or_message_an_application_of_another_village(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client = client_as("rudi")
    assert (
        client.post(reverse("console:message", args=[application.tracking_code]), {"body": "Halo"}).status_code == 404
    )
    assert client.get(reverse("console:receipt", args=[application.tracking_code])).status_code == 404
    assert application.outbound_messages.count() == 0


@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_only_the_signer_opens_the_signature_list(client_as, username):
    response = client_as(username).get(reverse("console:sign_list"))
    assert response.status_code == (200 if username == "dewi" else 403)


@pytest.mark.parametrize("username", ["andi", "budi", "citra", "dewi", "eka", "fajar", "rudi", "gita", "hasan"])
def test_everyone_but_leadership_may_register_an_application(client_as, username):
    client = client_as(username)
    start = client.get(reverse("console:intake_start"))
    form = client.get(reverse("console:intake", args=["akta-kelahiran"]))
    expected = 403 if username == "eka" else 200
    assert start.status_code == expected
    assert form.status_code == expected


def test_leadership_sees_an_application_without_any_action_form(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    response = client_as("eka").get(reverse("console:application", args=[application.tracking_code]))
    assert response.status_code == 200
    assert reverse("console:review", args=[application.tracking_code]).encode() not in response.content
    assert reverse("console:message", args=[application.tracking_code]).encode() not in response.content


def test_leadership_cannot_act_by_posting_directly(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client_as("eka").post(reverse("console:review", args=[application.tracking_code]), {"decision": "accept"})
    response = client_as("eka").post(reverse("console:message", args=[application.tracking_code]), {"body": "x"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_search_never_finds_another_offices_application(client_as, make_application, other_office_application):
    make_application(Status.SUBMITTED)
    response = client_as("andi").get(reverse("console:search"), {"q": other_office_application.tracking_code})
    assert b"Orang Bone" not in response.content
    assert b"Tidak ada permohonan." in response.content
    response = client_as("hasan").get(reverse("console:search"), {"q": "Siti"})
    assert b"Siti Aminah" not in response.content


def test_village_staff_search_only_their_villages(client_as, make_application):
    make_application(Status.SUBMITTED)
    assert b"Siti Aminah" in client_as("fajar").get(reverse("console:search"), {"q": "Siti"}).content
    assert b"Siti Aminah" not in client_as("rudi").get(reverse("console:search"), {"q": "Siti"}).content


def test_village_staff_read_their_application_but_do_not_write_from_the_office_number(client_as, make_application):
    application = make_application(Status.SUBMITTED)
    client = client_as("fajar")
    page = client.get(reverse("console:application", args=[application.tracking_code])).content.decode()
    assert reverse("console:message", args=[application.tracking_code]) not in page
    response = client.post(reverse("console:message", args=[application.tracking_code]), {"body": "Halo"})
    assert response.status_code == 403
    assert application.outbound_messages.count() == 0


ACTIONS = (
    "review",
    "claim",
    "release",
    "take_over",
    "siak",
    "verify",
    "sign",
    "output_upload",
    "output_specimen",
    "deliver",
    "pick_up",
    "cancel",
    "message",
)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("username", ["hasan", "rudi"])
def test_outsiders_get_not_found_from_every_action_and_nothing_changes(client_as, make_application, username, action):
    application = make_application(Status.SUBMITTED)
    events = application.events.count()
    response = client_as(username).post(
        reverse(f"console:{action}", args=[application.tracking_code]), {"decision": "accept", "body": "x"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.count() == events


@pytest.mark.parametrize("username", ["hasan", "rudi"])
def test_outsiders_cannot_fetch_the_receipt_or_the_output(client_as, make_application, username):
    application = make_application(Status.SUBMITTED)
    client = client_as(username)
    assert client.get(reverse("console:receipt", args=[application.tracking_code])).status_code == 404
    assert client.get(reverse("console:output_file", args=[application.tracking_code, 1])).status_code == 404


# Signing's GET is its confirmation page (what will be signed, the passphrase field); it changes nothing.
@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "sign"])
def test_actions_refuse_get_requests(client_as, make_application, action):
    application = make_application(Status.SUBMITTED)
    response = client_as("andi").get(reverse(f"console:{action}", args=[application.tracking_code]))
    assert response.status_code == 405
