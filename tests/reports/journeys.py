"""A logged-in browser, and one application walked from submission to the citizen's hands at chosen moments (for
the coverage, impact and monthly report tests); every step committed like a request, so that the stage clocks and
aggregates run after it."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.test import Client

from pencet.accounts.models import Office, User
from pencet.cases import services as cases
from pencet.cases.models import Application, Channel, DeliveryPreference
from pencet.catalog.models import Service
from pencet.regions.models import Region

from .conftest import committed


def client_of(user: User) -> Client:
    """A browser logged in as `user` (the second factor is switched off by the test module)."""
    client = Client()
    client.force_login(user)
    return client


class Journey:
    def __init__(self, at: Callable[[datetime], None], *, andi: User, budi: User, citra: User, dewi: User) -> None:
        self.at, self.andi, self.budi, self.citra, self.dewi = at, andi, budi, citra, dewi

    def _step(self, moment: datetime, action: Callable[[], object]) -> None:
        self.at(moment)
        with committed():
            action()

    def run(
        self,
        *,
        office: Office,
        service: Service,
        village: Region | None,
        submitted: datetime,
        channel: str = Channel.WHATSAPP,
        finish: str = "email",
        actor: User | None = None,
    ) -> Application:
        """Submitted at `submitted`, then a step every five minutes up to signed; `finish` is "email" (sent),
        "pickup" (collected at the counter) or "ready" (signed, not yet handed over)."""
        preference = DeliveryPreference.PICKUP if finish == "pickup" else DeliveryPreference.EMAIL
        if channel == Channel.WALK_IN:
            actor = actor or self.andi

        def create() -> None:
            self.application = cases.application_create(
                office=office, service=service, channel=channel, actor=actor, applicant_name="Pemohon",
                village=village, delivery_preference=preference, email="pemohon@example.org",
            )  # fmt: skip
            cases.application_submit(application=self.application, actor=actor)

        self._step(submitted, create)
        a = self.application
        moments = [submitted + timedelta(minutes=5 * n) for n in range(1, 8)]
        self._step(moments[0], lambda: cases.application_accept(application=a, actor=self.andi))
        self._step(moments[1], lambda: cases.application_claim(application=a, actor=self.budi))
        self._step(
            moments[2], lambda: cases.application_complete_siak(application=a, actor=self.budi, siak_reference="X.1")
        )
        self._step(moments[3], lambda: cases.application_approve(application=a, actor=self.citra))
        self._step(moments[4], lambda: cases.application_sign(application=a, actor=self.dewi))
        if finish == "email":
            self._step(moments[5], lambda: cases.application_mark_delivered(application=a, actor=None, channel="email"))
        elif finish == "pickup":
            self._step(
                moments[5],
                lambda: cases.application_pick_up(
                    application=a, actor=self.andi, collected_by="Pemohon", is_representative=False, originals_seen=[]
                ),
            )
        a.refresh_from_db()
        return a
