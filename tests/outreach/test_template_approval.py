"""Announcements go out only as templates Meta approved: Pencet reads Meta's review from the Graph API
(GET /{waba-id}/message_templates, cursor-paginated) and refuses, in Bahasa Indonesia, any other status."""

import httpx
import pytest
from django.urls import reverse

from pencet.accounts.services import office_templates_seed
from pencet.catalog.models import MessageTemplate
from pencet.outreach.models import Subscription
from pencet.whatsapp.models import Contact
from pencet.whatsapp.templates_sync import message_templates_sync

from .conftest import WABA_ID, meta_reviews

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = {"programme": "sayang_dilan", "message": "Layanan di rumah untuk lansia mulai bulan ini."}


@pytest.fixture
def submitted(office, fake_graph, settings) -> None:
    """The office's templates exist here and were submitted to Meta; what Meta decided is up to each test."""
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA_ID
    office_templates_seed(office=office)


@pytest.fixture
def follower(office) -> Contact:
    contact = Contact.objects.create(office=office, phone="6281200000001")
    Subscription.objects.create(office=office, contact=contact, programme="sayang_dilan")
    return contact


def announce(andi_console, capture) -> str:
    with capture(execute=True):
        response = andi_console.post(reverse("console:programme_announce"), ANNOUNCEMENT, follow=True)
    return response.content.decode()


def test_the_stand_in_lists_templates_the_way_meta_does(fake_graph):
    for n in range(5):
        fake_graph.template_add(f"pencet_t{n}", "id", status="APPROVED" if n % 2 else "REJECTED")
    url = f"{fake_graph.url}/v21.0/{WABA_ID}/message_templates"
    headers = {"Authorization": f"Bearer {fake_graph.token}"}

    first = httpx.get(url, params={"fields": "name,language,status", "limit": 2}, headers=headers).json()
    second = httpx.get(first["paging"]["next"], headers=headers).json()
    third = httpx.get(second["paging"]["next"], headers=headers).json()

    assert [t["name"] for t in first["data"]] == ["pencet_t0", "pencet_t1"]
    assert set(first["data"][0]) == {"name", "language", "status", "id"}
    assert first["data"][0]["status"] == "REJECTED"
    assert {"before", "after"} <= set(first["paging"]["cursors"])
    assert "previous" in second["paging"]
    assert [t["name"] for t in third["data"]] == ["pencet_t4"]
    assert "next" not in third["paging"]
    refused = httpx.get(url, headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == 190


def test_the_sync_follows_every_page_of_the_account(submitted, fake_graph):
    for n in range(150):
        fake_graph.template_add(f"lain_{n:03d}", "en")
    meta_reviews(fake_graph)

    result = message_templates_sync()

    assert result.read == 150 + MessageTemplate.objects.count()
    pages = [path for method, path in fake_graph.requests if path.endswith("/message_templates")]
    assert len(pages) == 2
    assert set(MessageTemplate.objects.values_list("meta_status", flat=True)) == {"APPROVED"}


def test_a_template_meta_has_not_approved_is_refused_in_the_console(
    submitted, fake_graph, follower, andi_console, django_capture_on_commit_callbacks
):
    meta_reviews(fake_graph, status="PENDING")
    message_templates_sync()

    page = announce(andi_console, django_capture_on_commit_callbacks)

    assert "status di Meta &#x27;Menunggu peninjauan&#x27;, bukan &#x27;Disetujui&#x27;" in page
    assert fake_graph.sent(to=follower.phone) == []


def test_a_template_never_read_from_meta_is_refused_even_if_marked_active(
    submitted, fake_graph, follower, andi_console, django_capture_on_commit_callbacks
):
    page = announce(andi_console, django_capture_on_commit_callbacks)

    assert "belum tercatat disetujui Meta" in page
    assert fake_graph.sent(to=follower.phone) == []


def test_andi_reads_the_approval_from_meta_in_the_console_and_then_announces(
    submitted, fake_graph, follower, andi_console, django_capture_on_commit_callbacks
):
    meta_reviews(fake_graph)
    page = andi_console.get(reverse("console:service_days")).content.decode()
    assert "Belum tercatat di Meta" in page

    synced = andi_console.post(reverse("console:templates_sync"), follow=True).content.decode()
    assert 'data-template="pencet_programme_announcement" data-meta-status="APPROVED"' in synced

    announce(andi_console, django_capture_on_commit_callbacks)
    assert fake_graph.last_text(to=follower.phone).startswith("pencet_programme_announcement Sayang Dilan")


def test_a_template_meta_pauses_after_the_announcement_holds_the_rest(
    office, templates, fake_graph, andi, bonto_katute, settings, django_capture_on_commit_callbacks
):
    from pencet.outreach.models import AnnouncementRecipient
    from pencet.outreach.services import announcements_send, programme_announce

    settings.PENCET_ANNOUNCEMENT_DAILY_LIMIT = 1
    for n in range(2):
        contact = Contact.objects.create(office=office, phone=f"62812000001{n}")
        Subscription.objects.create(office=office, contact=contact, programme="laki_keren")
    with django_capture_on_commit_callbacks(execute=True):
        announcement = programme_announce(office=office, actor=andi, programme="laki_keren", message="Akta di desa.")
    meta_reviews(fake_graph, status="PAUSED")
    message_templates_sync()
    settings.PENCET_ANNOUNCEMENT_DAILY_LIMIT = 5

    assert announcements_send(office=office) == 0
    states = sorted(announcement.recipients.values_list("state", flat=True))
    assert states == [AnnouncementRecipient.State.QUEUED, AnnouncementRecipient.State.WAITING]


def test_the_admin_action_reads_meta_too(submitted, fake_graph, admin_client):
    meta_reviews(fake_graph, status="REJECTED")
    template = MessageTemplate.objects.first()

    admin_client.post(
        reverse("admin:catalog_messagetemplate_changelist"),
        {"action": "sync_from_meta", "_selected_action": [template.pk]},
    )

    template.refresh_from_db()
    assert template.meta_status == "REJECTED" and template.meta_synced_at is not None
