"""A logged-in browser, and one application walked from submission to the citizen's hands at chosen moments (for
the coverage, impact and monthly report tests); every step committed like a request, so that the stage clocks and
aggregates run after it."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.test import Client

from pencet.accounts.models import Office, User
from pencet.cases import services as cases
from pencet.cases.components import component_approve, component_siak_record, component_signed
from pencet.cases.models import Application, Channel, DeliveryPreference
from pencet.catalog.models import Service
from pencet.delivery.models import OutputDocument
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
        if a.components.exists():
            self._bundle_steps(a, moments)
        else:
            self._step(
                moments[2],
                lambda: cases.application_complete_siak(application=a, actor=self.budi, siak_reference="X.1"),
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

    def _bundle_steps(self, a: Application, moments: list[datetime]) -> None:
        """A bundle's documents each through SIAK, verification and the signature (the signature's transition
        only, like `application_sign` above: the PDF itself is the signing tests' business)."""
        parts = list(a.components.order_by("position"))

        def siak() -> None:
            for n, c in enumerate(parts, start=1):
                component_siak_record(component=c, actor=self.budi, siak_reference=f"X.{n}")

        def approve() -> None:
            for c in parts:
                component_approve(component=c, actor=self.citra)

        def sign() -> None:
            for c in parts:
                OutputDocument.objects.create(
                    application=a, component=c, file="x.pdf", filename="x.pdf", sha256="0", size=1
                )
                component_signed(component=c, actor=self.dewi, documents=[{"filename": "x.pdf"}])

        self._step(moments[2], siak)
        self._step(moments[3], approve)
        self._step(moments[4], sign)
