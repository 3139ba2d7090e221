"""A bundle's documents, one step at a time (DESIGN §4, issue #16).

A bundle application (One Three: akta kelahiran + KK + KIA; the death bundle: akta kematian + KK + the surviving
spouse's KTP-el) produces one document per component. The application keeps its one status and its transitions keep
their meaning; for a bundle, three of them are made per document:

- complete_siak: the holding operator records each component's SIAK reference; the application goes to verification
  once every component has one;
- approve: the verifier approves each component; the application awaits the signature once every one is approved;
- sign: the head of office signs each component's own output PDF (pencet.delivery.signing.component_sign, which
  applies the signature and then calls `component_signed`); the application is ready once every one is signed;
- deliver: each document's PDF goes to the citizen as its own WhatsApp document or e-mail (pencet.delivery.services),
  and once that one is sent the delivery layer calls `component_delivered`; the application is delivered once every
  document is. Only the system makes this step (SYSTEM_STEPS): people send, the channel confirms;
- pick_up: at the counter the officer hands the documents over one by one (`component_hand_over`); the application
  is picked up once every document is. The application-level "Diambil" still hands over all the rest at once.

Each step writes an Event (COMPONENT_SIAK, COMPONENT_APPROVE, COMPONENT_SIGN, COMPONENT_DELIVER, COMPONENT_PICK_UP)
in the step's transaction, naming the
document and its place ("1 dari 3"), so the citizen is told per document (pencet.bot.notifications).
"""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import User

from .models import Application, Component, ComponentState, DeliveryPreference, Event, EventKind
from .policies import Refusal, component_travels, transition_refusal
from .services import TransitionError, _transition, handover_data, refusal_error

# The application-level transition each per-document step stands for, and the component's state before and after.
STEPS = {
    "component_siak": ("complete_siak", ComponentState.SIAK, ComponentState.VERIFICATION),
    "component_approve": ("approve", ComponentState.VERIFICATION, ComponentState.SIGNATURE),
    "component_sign": ("sign", ComponentState.SIGNATURE, ComponentState.READY),
    "component_deliver": ("deliver", ComponentState.READY, ComponentState.DONE),
    "component_pick_up": ("pick_up", ComponentState.READY, ComponentState.DONE),
}
# Steps the system makes when the channel confirms a send; never offered to a person (console or API).
SYSTEM_STEPS = ("component_deliver",)


def component_refusal(
    *, component: Component, application: Application, name: str, actor: User | None
) -> Refusal | None:
    """Why `actor` may not make per-document step `name` on `component` now: the application-level transition's
    rule (role, office, status, holder), then the document's own stage; `component_sign` also needs its PDF."""
    transition_name, source, _target = STEPS[name]
    refusal = transition_refusal(application=application, name=transition_name, actor=actor)
    if refusal is not None:
        return refusal
    if component.application_id != application.pk:
        message = _("Dokumen ini bukan bagian dari permohonan %(code)s.") % {"code": application.tracking_code}
        return Refusal("unknown", message)
    if component.state != source:
        return Refusal(
            "wrong_state",
            _("%(document)s berada pada tahap '%(state)s'.")
            % {"document": component.service.name, "state": component.get_state_display()},
        )
    if name == "component_deliver" and not component_travels(
        component=component, preference=application.delivery_preference
    ):
        return Refusal(
            "pickup_only", _("%(document)s diambil di kantor, tidak dikirim.") % {"document": component.service.name}
        )
    # `outputs` is delivery's reverse relation: read by name, so cases never imports the layer above it.
    if name == "component_sign" and not component.outputs.exists():
        return Refusal(
            "no_output",
            _("Dokumen hasil (PDF) %(document)s belum ada. Lampirkan atau buat dokumennya dulu, baru ditandatangani.")
            % {"document": component.service.name},
        )
    return None


def component_actions_for(*, component: Component, user: User) -> list[str]:
    """The per-document steps `user` may take on `component` now; the console and the API offer exactly these."""
    return [
        name
        for name in STEPS
        if name not in SYSTEM_STEPS
        and component_refusal(component=component, application=component.application, name=name, actor=user) is None
    ]


def _locked(*, component: Component) -> tuple[Application, Component]:
    application = (
        Application.objects.select_for_update().select_related("service", "office").get(pk=component.application_id)
    )
    return application, Component.objects.select_related("service").get(pk=component.pk)


def _step(
    *,
    component: Component,
    name: str,
    actor: User | None,
    note: str = "",
    data: Mapping[str, object] | None = None,
    **changes: object,
) -> Component:
    """Check on locked rows, move the component on, write its Event, and make the application-level transition
    when it was the last document at this stage; all in the caller's transaction."""
    application, locked = _locked(component=component)
    refusal = component_refusal(component=locked, application=application, name=name, actor=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    transition_name, source, target = STEPS[name]
    locked.state = target
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    siblings = list(application.components.order_by("position", "id"))
    done = sum(1 for c in siblings if c.state != source)
    Event.objects.create(
        application=application,
        actor=actor,
        actor_label="" if actor else "sistem",
        kind=EventKind(name),
        from_status=application.status,
        to_status=application.status,
        # The timeline names the document the step was about.
        note=" — ".join(part for part in (locked.service.name, note) if part),
        data={
            "component": locked.pk,
            "document": locked.service.name,
            "position": locked.position,
            "done": done,
            "total": len(siblings),
            **(data or {}),
        },
    )
    if done == len(siblings):
        _transition(
            application=application,
            **_completion(name=transition_name, application=application, siblings=siblings, actor=actor, data=data),
        )
    component.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _completion(
    *,
    name: str,
    application: Application,
    siblings: Sequence[Component],
    actor: User | None,
    data: Mapping[str, object] | None,
) -> dict:
    """The application-level transition once every document passed the stage; the last document's step data
    (channel, collector) is the whole application's."""
    if name == "complete_siak":
        references = "; ".join(f"{c.service.short_name or c.service.name}: {c.siak_reference}" for c in siblings)
        return {"name": name, "actor": actor, "data": {"siak_reference": references}, "siak_reference": references}
    if name == "sign":
        preference = application.delivery_preference
        cards = [c.service.name for c in siblings if not component_travels(component=c, preference=preference)]
        return {
            "name": name,
            "actor": actor,
            "note": _("Semua dokumen paket ditandatangani secara elektronik (TTE)."),
            "data": {
                "delivery_preference": preference,
                "per_document": True,
                # Documents collected at the office although the rest travel (told to the citizen).
                **({"pickup_documents": cards} if preference != DeliveryPreference.PICKUP and cards else {}),
            },
        }
    if name == "deliver":
        return {
            "name": name,
            "actor": actor,
            "note": _("Semua dokumen paket sudah terkirim."),
            "data": {"channel": (data or {}).get("channel", ""), "per_document": True},
        }
    if name == "pick_up":
        return {
            "name": name,
            "actor": actor,
            "note": _("Semua dokumen paket sudah diserahkan."),
            "data": {**(data or {}), "per_document": True},
        }
    return {"name": name, "actor": actor}


@transaction.atomic
def component_siak_record(*, component: Component, actor: User, siak_reference: str, note: str = "") -> Component:
    """The holding operator records one document's SIAK registration or document number."""
    reference = siak_reference.strip()
    if not reference:
        raise TransitionError(_("Nomor registrasi atau dokumen SIAK wajib diisi."), code="siak_required")
    return _step(
        component=component,
        name="component_siak",
        actor=actor,
        note=note,
        data={"siak_reference": reference},
        siak_reference=reference,
        siak_by=actor,
        siak_at=timezone.now(),
    )


@transaction.atomic
def component_approve(*, component: Component, actor: User, note: str = "") -> Component:
    """The verifier approves one document's SIAK record."""
    return _step(
        component=component,
        name="component_approve",
        actor=actor,
        note=note,
        verified_by=actor,
        verified_at=timezone.now(),
    )


@transaction.atomic
def component_signed(*, component: Component, actor: User, documents: Sequence[Mapping[str, object]]) -> Component:
    """The transition only: people sign through pencet.delivery.signing.component_sign, which checks the passphrase,
    applies the signature to the document's own PDF and then calls this; `documents` names the PDFs signed."""
    if not documents:
        raise TransitionError(_("Tidak ada dokumen hasil yang ditandatangani."), code="no_output")
    return _step(
        component=component,
        name="component_sign",
        actor=actor,
        note=_("Ditandatangani secara elektronik (TTE)."),
        data={"documents": [dict(d) for d in documents]},
        signed_by=actor,
        signed_at=timezone.now(),
    )


@transaction.atomic
def component_delivered(*, component: Component, channel: str, recipient: str) -> Component:
    """The delivery layer's confirmation that this document's own message or e-mail went out (system step)."""
    return _step(
        component=component,
        name="component_deliver",
        actor=None,
        note=_("Terkirim lewat %(channel)s ke %(to)s.") % {"channel": channel, "to": recipient},
        data={"channel": channel},
    )


@transaction.atomic
def component_hand_over(
    *,
    component: Component,
    actor: User,
    collected_by: str,
    is_representative: bool,
    originals_seen: Sequence[str] = (),
    note: str = "",
    collector: Mapping[str, str] | None = None,
) -> Component:
    """The counter hands one document over ("serahkan"); the application is picked up with the last one."""
    data = handover_data(
        collected_by=collected_by, is_representative=is_representative, originals_seen=originals_seen,
        collector=collector,
    )  # fmt: skip
    return _step(component=component, name="component_pick_up", actor=actor, note=note, data=data)
