"""Reports fixtures: a known Monday and Tuesday at Sinjai, walked through the workflow at hand-chosen WITA moments.

The week (Mon 2 – Tue 3 November 2026), written out by hand:

    A  WhatsApp (Siti)         submitted Mon 09:00, accepted 09:10, SIAK done 09:30, signed 09:45  (same day)
    B  village staff (Fajar)   submitted Mon 10:00, returned 10:20, resubmitted Tue 08:30, accepted 08:40,
                               SIAK done 09:00, signed 09:20                                        (returned, next day)
    C  walk-in (Andi's counter) submitted Mon 11:00, accepted 11:05, SIAK done 11:20, signed 11:30  (same day)
    D  walk-in                 submitted Mon 13:00, still waiting for the completeness review
    E  Bone (another office)   submitted Mon 09:00 on WhatsApp, accepted by Hasan 09:05
"""

from collections.abc import Callable, Generator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase, override_settings

from pencet.accounts.models import Office, Role, User
from pencet.accounts.services import api_token_create, office_hours_seed, user_create
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, ReviewItem
from pencet.catalog.models import Service
from pencet.regions.models import Region

from ..conftest import bone_office, persona, sinjai_office

WITA = ZoneInfo("Asia/Makassar")
T = TypeVar("T")


def wita(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WITA)


def committed() -> AbstractContextManager:
    """The commit of the request that made a step: the subscribers (stage timers, reports) run after it."""
    return TestCase.captureOnCommitCallbacks(execute=True)


# The stage timers and the aggregates are what the reports read; no citizen messages are wanted here.
REPORT_SUBSCRIBERS = [
    "pencet.cases.clocks.clock_event_record",
    "pencet.reports.subscribers.report_event_record",
    "pencet.reports.section_stats.section_event_record",
]


@pytest.fixture(autouse=True)
def _subscribers(settings) -> None:
    settings.PENCET_EVENT_SUBSCRIBERS = REPORT_SUBSCRIBERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def at(time_machine) -> Callable[[datetime], None]:
    def move(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return move


@pytest.fixture
def bone_leader(other_office) -> User:
    return user_create(username="yusuf", office=other_office, roles=[Role.LEADERSHIP], password="rahasia-uji-123")


class Week:
    """Steps of the known week; each one at its moment, committed like a request."""

    def __init__(self, at, people: dict[str, User], service, village) -> None:
        self.at, self.people, self.service, self.village = at, people, service, village

    def step(self, moment: datetime, action: Callable[[], object]) -> None:
        self.at(moment)
        with committed():
            action()

    def submit(self, moment: datetime, office: Office, channel: str, actor: User | None = None) -> Application:
        self.at(moment)
        with committed():
            application = cases.application_create(
                office=office, service=self.service, channel=channel, actor=actor,
                applicant_name="Pemohon", village=self.village if office.code == "SNJ" else None,
            )  # fmt: skip
            cases.application_submit(application=application, actor=actor)
        return application

    def through_to_signed(self, application: Application, *, accepted, claimed, siak, approved, signed) -> None:
        p = self.people
        self.step(accepted, lambda: cases.application_accept(application=application, actor=p["andi"]))
        self.step(claimed, lambda: cases.application_claim(application=application, actor=p["budi"]))
        self.step(
            siak,
            lambda: cases.application_complete_siak(application=application, actor=p["budi"], siak_reference="AL.1"),
        )
        self.step(approved, lambda: cases.application_approve(application=application, actor=p["citra"]))
        self.step(signed, lambda: cases.application_sign(application=application, actor=p["dewi"]))

    def returned(self, application: Application, moment: datetime) -> None:
        requirement = self.service.requirements.first()
        verdict = cases.ReviewVerdict(requirement=requirement, verdict=ReviewItem.Verdict.MISSING, reason="KK buram")
        self.step(
            moment,
            lambda: cases.application_return(application=application, actor=self.people["andi"], items=[verdict]),
        )


def _week_walk(at: Callable[[datetime], None]) -> dict[str, int]:
    office, other_office = sinjai_office(), bone_office()
    people = {name: persona(name) for name in ("andi", "budi", "citra", "dewi", "fajar", "hasan")}
    andi, fajar, hasan = people["andi"], people["fajar"], people["hasan"]
    for name in ("eka", "gita"):
        persona(name)
    office_hours_seed(office=office)
    office_hours_seed(office=other_office)
    week = Week(at, people, Service.objects.get(code="akta-kelahiran"), Region.objects.get(code="73.07.07.2007"))

    a = week.submit(wita(2, 9), office, Channel.WHATSAPP)
    week.through_to_signed(
        a, accepted=wita(2, 9, 10), claimed=wita(2, 9, 15), siak=wita(2, 9, 30), approved=wita(2, 9, 35),
        signed=wita(2, 9, 45),
    )  # fmt: skip

    b = week.submit(wita(2, 10), office, Channel.VILLAGE_STAFF, actor=fajar)
    week.returned(b, wita(2, 10, 20))

    c = week.submit(wita(2, 11), office, Channel.WALK_IN, actor=andi)
    week.through_to_signed(
        c, accepted=wita(2, 11, 5), claimed=wita(2, 11, 10), siak=wita(2, 11, 20), approved=wita(2, 11, 25),
        signed=wita(2, 11, 30),
    )  # fmt: skip

    d = week.submit(wita(2, 13), office, Channel.WALK_IN, actor=andi)

    e = week.submit(wita(2, 9), other_office, Channel.WHATSAPP)
    week.step(wita(2, 9, 5), lambda: cases.application_accept(application=e, actor=hasan))

    # Tuesday: Fajar's resubmission, and B goes all the way the day after it was received.
    week.step(wita(3, 8, 30), lambda: cases.application_resubmit(application=b, actor=fajar))
    week.through_to_signed(
        b, accepted=wita(3, 8, 40), claimed=wita(3, 8, 45), siak=wita(3, 9), approved=wita(3, 9, 10),
        signed=wita(3, 9, 20),
    )  # fmt: skip
    return {"a": a.pk, "b": b.pk, "c": c.pk, "d": d.pk, "e": e.pk}


def world_kept(
    django_db_blocker, start: datetime, build: Callable[[Callable[[datetime], None]], T], **settings: object
) -> Generator[T, None, None]:
    """For a module-scoped fixture: `build(at)` run once, from `start` on a stopped clock that `at` moves, inside a
    transaction rolled back after the module; each test runs in a savepoint within it, as `db` tests do. Such a
    module keeps its tests on one worker (pytest.mark.xdist_group), or each worker would build it again."""
    with django_db_blocker.unblock(), transaction.atomic():
        traveller = time_machine.travel(start, tick=False)
        coordinates = traveller.start()
        try:
            with override_settings(
                PENCET_EVENT_SUBSCRIBERS=REPORT_SUBSCRIBERS,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                **settings,
            ):
                built = build(coordinates.move_to)
        finally:
            traveller.stop()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def week_walked(django_db_setup, django_db_blocker) -> Generator[dict[str, int], None, None]:
    """The known week, walked once for a test module (it is ~30 committed steps, each with its subscribers)."""
    yield from world_kept(django_db_blocker, wita(2, 8), _week_walk)


@pytest.fixture
def known_week(week_walked, at, office, other_office) -> dict[str, Application]:
    """The known week (module docstring) as of Tuesday 15:00 WITA."""
    at(wita(3, 15))
    return {name: Application.objects.get(pk=pk) for name, pk in week_walked.items()}


@pytest.fixture
def token_of() -> Callable[[User], str]:
    def make(user: User) -> str:
        _token, key = api_token_create(user=user, name="tes")
        return key

    return make
