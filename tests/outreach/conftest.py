"""Service days, bookings, visits: a Pelangi Warga day at Bonto Katute's village office, and the people around it.

sari   a young citizen of Bonto Katute who follows her village's news on WhatsApp (tests.bot.conftest.Citizen)
"""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from pencet.accounts.services import office_templates_seed
from pencet.catalog.models import MessageTemplate, Service
from pencet.outreach.models import Programme, ServiceDay
from pencet.outreach.services import service_day_plan
from pencet.whatsapp.templates_sync import message_templates_sync
from tests.bot.conftest import Citizen

WITA = ZoneInfo("Asia/Makassar")
SARI_PHONE = "6285255501111"


WABA_ID = "200000000000001"


def meta_reviews(graph, *, status: str = "APPROVED") -> None:
    """Meta's review of every template the office submitted, as the Graph stand-in will list it."""
    for template in MessageTemplate.objects.all():
        graph.template_add(template.name, template.language, status=status, body=template.body_preview)


@pytest.fixture
def templates(office, fake_graph, settings) -> None:
    """The office's templates, approved by Meta and read back by the sync (nobody here can approve one)."""
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA_ID
    office_templates_seed(office=office)
    meta_reviews(fake_graph)
    message_templates_sync()


@pytest.fixture
def ktp_baru(catalog) -> Service:
    return Service.objects.get(code="ktp-baru")


@pytest.fixture
def in_three_days() -> date:
    return timezone.localtime(timezone.now(), WITA).date() + timedelta(days=3)


@pytest.fixture
def pelangi_warga_day(office, andi, bonto_katute, ktp_baru, in_three_days) -> ServiceDay:
    return service_day_plan(
        office=office,
        actor=andi,
        programme=Programme.PELANGI_WARGA,
        place="Kantor Desa Bonto Katute",
        place_kind=ServiceDay.PlaceKind.VILLAGE_OFFICE,
        village=bonto_katute,
        day=in_three_days,
        starts_at=time(9, 0),
        ends_at=time(12, 0),
        services=[ktp_baru, Service.objects.get(code="akta-kelahiran")],
        capacity_per_hour=2,
    )


@pytest.fixture
def sari(client, office, fake_graph) -> Citizen:
    return Citizen(client, fake_graph, phone=SARI_PHONE, user_id="ID.sari", name="Sari")


@pytest.fixture
def andi_console(andi) -> Client:
    browser = Client()
    browser.force_login(andi)
    return browser


@pytest.fixture
def citizen(client, office, fake_graph) -> Citizen:
    return Citizen(client, fake_graph)


def tap_earlier(citizen: Citizen, reply_id: str) -> list[dict]:
    """Tap an option of an earlier interactive message (WhatsApp keeps old buttons and lists tappable)."""
    from tests.wa import wa_button_reply, wa_list_reply

    for body in reversed(citizen.graph.sent(to=citizen.phone)):
        interactive = body.get("interactive") or {}
        if interactive.get("type") == "button":
            for button in interactive["action"]["buttons"]:
                if button["reply"]["id"] == reply_id:
                    return citizen._post(wa_button_reply(reply_id=reply_id, title=button["reply"]["title"],
                                                         **citizen._common()))  # fmt: skip
        elif interactive:
            for section in interactive["action"]["sections"]:
                for row in section["rows"]:
                    if row["id"] == reply_id:
                        return citizen._post(wa_list_reply(reply_id=reply_id, title=row["title"], **citizen._common()))
    raise AssertionError(f"{reply_id} was never offered")
