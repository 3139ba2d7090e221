"""Clocks fixtures: Sinjai's week (Mon–Thu 08:00–16:00, Fri 08:00–16:30 WITA) and a way to step through transitions.

Time is moved with time-machine's `time_machine` fixture; every moment below is written by hand in WITA.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from pencet.accounts.models import Office
from pencet.accounts.services import office_hours_seed
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel
from pencet.whatsapp.models import Contact

WITA = ZoneInfo("Asia/Makassar")


def wita(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def sinjai(office) -> Office:
    office_hours_seed(office=office)
    return office


@pytest.fixture
def at(time_machine) -> Callable[[datetime], None]:
    """`at(wita(...))`: the clock stands still at that moment until moved again."""

    def move(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return move


def committed() -> AbstractContextManager:
    """`with committed():` stands for the commit of the request that made a step: the event subscribers (the stage
    timers among them) run after it, as the outbox runs them. pytest-django's `db` never commits by itself."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def siti_contact(sinjai) -> Contact:
    return Contact.objects.create(office=sinjai, phone="6281234500001", wa_user_id="ID.siti", profile_name="Siti")


@pytest.fixture
def submitted(sinjai, akta_kelahiran, bonto_katute, siti_contact) -> Callable[..., Application]:
    """Siti's birth registration, submitted on WhatsApp at the current (moved) moment."""

    def submit(service=None) -> Application:
        with committed():
            application = cases.application_create(
                office=sinjai,
                service=service or akta_kelahiran,
                channel=Channel.WHATSAPP,
                applicant_name="Siti Aminah",
                village=bonto_katute,
                contact=siti_contact,
            )
            cases.application_submit(application=application, actor=None)
        application.refresh_from_db()
        return application

    return submit
