"""Queues: live counts, priority order, who holds what, search, contacts asking for a person."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pencet.cases.models import Application, Status
from pencet.whatsapp.models import Contact

pytestmark = pytest.mark.django_db


def _codes_in_order(html: str) -> list[str]:
    return re.findall(r'class="code">([A-Z]+-\d{4}-\d{4})</a>', html)


def test_the_counts_partial_shows_each_queue_of_the_role_and_polls_every_ten_seconds(client_as, make_application):
    make_application(Status.SUBMITTED)
    make_application(Status.SUBMITTED)
    make_application(Status.ACCEPTED)
    client = client_as("andi")
    home = client.get(reverse("console:home")).content.decode()
    assert 'hx-trigger="load, every 10s"' in home
    partial = client.get(reverse("console:queue_counts"), HTTP_HX_REQUEST="true").content.decode()
    submitted = re.search(r'data-queue="submitted".*?<span class="count">(\d+)</span>', partial, re.S)
    assert submitted.group(1) == "2"
    assert 'data-queue="accepted"' not in partial  # the forum is the operators' queue
    operator = client_as("budi").get(reverse("console:queue_counts")).content.decode()
    assert re.search(r'data-queue="accepted".*?<span class="count">(\d+)</span>', operator, re.S).group(1) == "1"


def test_priority_goes_first_then_whoever_waited_longest(client_as, make_application, office):
    oldest = make_application(Status.SUBMITTED, nik="7307070101800001")
    newer = make_application(Status.SUBMITTED, nik="7307070101800002")
    elderly = make_application(Status.SUBMITTED, nik="7307070101400003", priority_elderly=True)
    deadline = make_application(
        Status.SUBMITTED, nik="7307070101200004", event_date=timezone.localdate() - timedelta(days=57)
    )
    now = timezone.now()
    for i, a in enumerate([oldest, newer, elderly, deadline]):
        Application.objects.filter(pk=a.pk).update(status_changed_at=now - timedelta(hours=10 - i))
    html = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert _codes_in_order(html) == [
        elderly.tracking_code,
        deadline.tracking_code,
        oldest.tracking_code,
        newer.tracking_code,
    ]
    assert "Lansia" in html
    assert "Batas waktu dekat" in html
    assert "7307••••••••0001" in html  # NIK masked in lists
    assert "7307070101800001" not in html
    assert "Bonto Katute" in html


def test_a_deadline_far_away_is_not_a_priority(client_as, make_application):
    make_application(Status.SUBMITTED, event_date=timezone.localdate() - timedelta(days=10))
    html = client_as("andi").get(reverse("console:queue", args=["submitted"])).content.decode()
    assert "Batas waktu dekat" not in html


def test_the_forum_shows_who_holds_an_application(client_as, make_application):
    make_application(Status.IN_PROCESS)
    html = client_as("gita").get(reverse("console:queue", args=["in_process"])).content.decode()
    assert "Budi" in html


def test_search_finds_by_tracking_code_nik_name_and_phone(client_as, make_application):
    application = make_application(Status.SUBMITTED, nik="7307075203150001", phone="6281234500001")
    client = client_as("andi")
    by_code = client.get(reverse("console:search"), {"q": application.tracking_code.lower()})
    assert by_code.status_code == 302
    assert by_code["Location"] == reverse("console:application", args=[application.tracking_code])
    for query in ("7307075203150001", "siti amin", "081234500001", "+62 812-3450-0001"):
        html = client.get(reverse("console:search"), {"q": query}).content.decode()
        assert application.tracking_code in html, query
    assert application.tracking_code not in client.get(reverse("console:search"), {"q": "Budiman"}).content.decode()


def test_contacts_asking_for_a_person_are_listed_on_the_home_page(client_as, office):
    Contact.objects.create(office=office, phone="6281200000009", profile_name="Pak Rahman", needs_human=True)
    Contact.objects.create(office=office, phone="6281200000010", profile_name="Bu Tenang")
    html = client_as("andi").get(reverse("console:queue_counts")).content.decode()
    assert "Pak Rahman" in html
    assert "Bu Tenang" not in html
    # Village staff and other offices do not see the office's chats.
    assert "Pak Rahman" not in client_as("fajar").get(reverse("console:queue_counts")).content.decode()
    assert "Pak Rahman" not in client_as("hasan").get(reverse("console:queue_counts")).content.decode()


def test_an_officer_answers_a_contact_and_marks_it_served(client_as, office):
    contact = Contact.objects.create(
        office=office,
        phone="6281200000009",
        profile_name="Pak Rahman",
        needs_human=True,
        last_inbound_at=timezone.now(),
    )
    client = client_as("andi")
    page = client.get(reverse("console:contact", args=[contact.pk])).content.decode()
    assert "Jendela 24 jam terbuka" in page
    client.post(reverse("console:contact", args=[contact.pk]), {"body": "Selamat siang Pak, ada yang bisa dibantu?"})
    message = contact.outbound_messages.get()
    assert message.payload == {"body": "Selamat siang Pak, ada yang bisa dibantu?"}
    assert message.sent_by.username == "andi"
    client.post(reverse("console:contact_done", args=[contact.pk]))
    contact.refresh_from_db()
    assert not contact.needs_human
    assert client_as("hasan").get(reverse("console:contact", args=[contact.pk])).status_code == 404
    assert client_as("fajar").get(reverse("console:contact", args=[contact.pk])).status_code == 404
