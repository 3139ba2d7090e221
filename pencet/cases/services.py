"""The Application state machine (DESIGN §4).

Every transition is one function here. Each checks the actor's role and office (and village for
village staff), changes the status and writes an Event in one transaction, and does nothing else
outward: the citizen's notification and other consequences are subscribers that pencet.cases.events
calls after commit, so a failing message can never undo an officer's step. Nothing half-happens: a
refused transition raises TransitionError and writes nothing. Who may make which transition (the table,
with its holder rules) is decided in cases.policies.

`actor=None` means the citizen acting through WhatsApp or the system itself (a scheduled job);
only internal code paths (the bot, Huey tasks) pass None; views and the API always pass a user.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User
from pencet.catalog.models import Requirement, Service

from . import clocks
from .deadlines import application_legal_deadline
from .models import (
    Application,
    Channel,
    Component,
    ComponentState,
    Event,
    EventKind,
    ReviewItem,
    Status,
    TrackingCounter,
)
from .policies import (
    TRANSITIONS,
    Refusal,
    Transition,
    application_can_access,
    per_document_refusal,
    transition_refusal,
)


class TransitionError(Exception):
    """A transition that is not allowed; the message is safe to show to the officer."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ApplicationPermissionError(TransitionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="forbidden")


def application_check_transition(*, application: Application, name: str, actor: User | None) -> Transition:
    """Raise TransitionError unless `actor` may perform `name` on `application` now (rules: cases.policies)."""
    refusal = transition_refusal(application=application, name=name, actor=actor)
    if refusal is not None:
        raise refusal_error(refusal)
    return TRANSITIONS[name]


def refusal_error(refusal: Refusal) -> TransitionError:
    """The exception a service raises for a policy's refusal."""
    if refusal.forbidden:
        return ApplicationPermissionError(refusal.message)
    return TransitionError(refusal.message, code=refusal.code)


def _transition(
    *,
    application: Application,
    name: str,
    actor: User | None,
    actor_label: str = "",
    note: str = "",
    data: dict | None = None,
    **changes: object,
) -> Application:
    """Lock the row, check, apply `changes` and write the Event, all in the caller's transaction.

    The Event is all that goes outward: its subscribers run after commit (pencet.cases.events).

    The policy judges the locked row: conditions on the current holder must not be judged from the caller's
    possibly stale copy, nor tell an outsider who holds the application.
    """
    locked = Application.objects.select_for_update().select_related("service", "office").get(pk=application.pk)
    transition = application_check_transition(application=locked, name=name, actor=actor)
    now = timezone.now()
    previous = locked.status
    locked.status = transition.target
    locked.status_changed_at = now
    if transition.target in (
        Status.DELIVERED,
        Status.PICKED_UP,
        Status.REJECTED,
        Status.CANCELLED,
        Status.EXPIRED,
    ):
        locked.closed_at = now
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    if transition.target in (Status.DELIVERED, Status.PICKED_UP):
        locked.components.update(state=ComponentState.DONE)
    Event.objects.create(
        application=locked,
        actor=actor,
        actor_label=actor_label or ("" if actor else "sistem"),
        kind=EventKind(name),
        from_status=previous,
        to_status=transition.target,
        note=note,
        data=data or {},
    )
    application.__dict__.update(locked.__dict__)
    return locked


def tracking_code_next(*, office: Office, at: datetime | None = None) -> str:
    """SNJ-2611-0042: office prefix, YYMM, serial per month; readable over the phone."""
    # The office's own month: at 00:30 WIT on the 1st a Papuan office is in the new month, the server's zone not yet.
    moment = timezone.localtime(at or timezone.now(), ZoneInfo(office.time_zone))
    period = moment.strftime("%y%m")
    with transaction.atomic():
        counter, _created = TrackingCounter.objects.select_for_update().get_or_create(office=office, period=period)
        TrackingCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        counter.refresh_from_db()
    return f"{office.code}-{period}-{counter.last:04d}"


def office_working_time_add(*, office: Office, start: datetime, hours: float) -> datetime:
    return clocks.office_working_time_add(office=office, start=start, hours=hours)


@transaction.atomic
def application_create(
    *,
    office: Office,
    service: Service,
    channel: str = Channel.WHATSAPP,
    actor: User | None = None,
    **fields: object,
) -> Application:
    """A new draft. Staff-registered channels record who registered it."""
    if actor is not None and actor.office_id != office.pk and not actor.is_superuser:
        raise ApplicationPermissionError(_("Anda hanya dapat mendaftarkan permohonan untuk kantor Anda."))
    if actor is not None and actor.roles == {Role.VILLAGE_STAFF}:
        channel = Channel.VILLAGE_STAFF
        village = fields.get("village")
        if village is None or not actor.villages.filter(pk=getattr(village, "pk", village)).exists():
            raise ApplicationPermissionError(_("Aparat desa hanya dapat mengajukan untuk desanya sendiri."))
    application = Application.objects.create(
        office=office,
        service=service,
        channel=channel,
        tracking_code=tracking_code_next(office=office),
        submitted_by=actor,
        **fields,
    )
    if service.is_bundle:
        # One component per document the bundle produces (pencet.cases.components): the akta first, since the KK,
        # KIA or KTP-el is issued from it, then the catalogue's order.
        parts = sorted(service.components.all(), key=lambda s: (s.group != Service.Group.AKTA, s.sort_order))
        Component.objects.bulk_create(
            Component(application=application, service=part, position=position)
            for position, part in enumerate(parts, start=1)
        )
    Event.objects.create(
        application=application,
        actor=actor,
        actor_label="" if actor else "warga",
        kind=EventKind.CREATED,
        to_status=Status.DRAFT,
        data={"channel": channel},
    )
    return application


@transaction.atomic
def application_submit(*, application: Application, actor: User | None, actor_label: str = "warga") -> Application:
    now = timezone.now()
    due = clocks.application_due_at_submission(application=application, submitted_at=now)
    return _transition(
        application=application,
        name="submit",
        actor=actor,
        actor_label=actor_label,
        # The subscribers tell the citizen this date; they read it from the event, not from a later application.
        data={"due_at": due.isoformat()},
        submitted_at=now,
        due_at=due,
    )


@transaction.atomic
def application_resubmit(*, application: Application, actor: User | None, actor_label: str = "warga") -> Application:
    ReviewItem.objects.filter(application=application, resolved=False).update(resolved=True)
    return _transition(application=application, name="resubmit", actor=actor, actor_label=actor_label)


@transaction.atomic
def application_accept(*, application: Application, actor: User, note: str = "") -> Application:
    return _transition(application=application, name="accept", actor=actor, note=note)


@dataclass(frozen=True)
class ReviewVerdict:
    requirement: Requirement
    verdict: str
    reason: str = ""


@transaction.atomic
def application_return(
    *, application: Application, actor: User, items: Sequence[ReviewVerdict], note: str = ""
) -> Application:
    """Back to the citizen with exactly what to fix; at least one item must be not OK."""
    # Permission first, so that someone who may not return it learns nothing from the item checks.
    application_check_transition(application=application, name="return", actor=actor)
    problems = [i for i in items if i.verdict != ReviewItem.Verdict.OK]
    if not problems:
        raise TransitionError(_("Pilih minimal satu persyaratan yang kurang atau tidak sesuai."), code="no_items")
    foreign = [i for i in problems if i.requirement.service_id != application.service_id]
    if foreign:
        raise TransitionError(_("Persyaratan tidak termasuk layanan ini."), code="bad_item")
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                application=application,
                requirement=i.requirement,
                verdict=i.verdict,
                reason=i.reason,
                reviewer=actor,
                resolved=i.verdict == ReviewItem.Verdict.OK,
            )
            for i in items
        ]
    )
    return _transition(
        application=application,
        name="return",
        actor=actor,
        note=note,
        data={
            "items": [
                {
                    "requirement": i.requirement.code,
                    "name": i.requirement.name,
                    "verdict": i.verdict,
                    "reason": i.reason,
                }
                for i in problems
            ]
        },
    )


@transaction.atomic
def application_reject(*, application: Application, actor: User, reason: str) -> Application:
    if not reason.strip():
        raise TransitionError(_("Alasan penolakan wajib diisi."), code="reason_required")
    return _transition(application=application, name="reject", actor=actor, note=reason, close_reason=reason)


@transaction.atomic
def application_cancel(
    *,
    application: Application,
    actor: User | None,
    reason: str = "",
    actor_label: str = "warga",
    replaced: bool = False,
) -> Application:
    """`replaced`: a citizen's unfinished draft closed because they started another (the bot said so already)."""
    return _transition(
        application=application,
        name="cancel",
        actor=actor,
        actor_label=actor_label,
        note=reason,
        data={"replaced": True} if replaced else None,
        close_reason=reason,
    )


@transaction.atomic
def application_expire(*, application: Application) -> Application:
    return _transition(application=application, name="expire", actor=None, actor_label="sistem")


@transaction.atomic
def application_refer_late(*, application: Application, actor: User, note: str = "") -> Application:
    """The files are complete but the registration is late: to the head of office (the table refuses one in time)."""
    deadline = application_legal_deadline(application=application)
    return _transition(
        application=application,
        name="refer_late",
        actor=actor,
        note=note,
        data={"last_day": deadline.last_day.isoformat(), "days_late": -deadline.days_left} if deadline else {},
    )


@transaction.atomic
def application_approve_late(*, application: Application, actor: User, note: str) -> Application:
    """The head of office approves the late registration; the decision is on record, so it needs a note."""
    if not note.strip():
        raise TransitionError(_("Catatan keputusan wajib diisi."), code="reason_required")
    return _transition(application=application, name="approve_late", actor=actor, note=note.strip())


@transaction.atomic
def application_reject_late(*, application: Application, actor: User, reason: str) -> Application:
    if not reason.strip():
        raise TransitionError(_("Alasan penolakan wajib diisi."), code="reason_required")
    return _transition(
        application=application, name="reject_late", actor=actor, note=reason.strip(), close_reason=reason.strip()
    )


@transaction.atomic
def application_claim(*, application: Application, actor: User) -> Application:
    return _transition(application=application, name="claim", actor=actor, claimed_by=actor, claimed_at=timezone.now())


@transaction.atomic
def application_release(*, application: Application, actor: User, note: str = "") -> Application:
    # Who may release (the holder or an admin) is the table's holder rule, judged on the locked row.
    return _transition(
        application=application,
        name="release",
        actor=actor,
        note=note,
        claimed_by=None,
        claimed_at=None,
    )


@transaction.atomic
def application_take_over(*, application: Application, actor: User, operator: User, note: str = "") -> Application:
    if operator.office_id != application.office_id or not operator.has_role(Role.OPERATOR):
        raise TransitionError(_("Pengganti harus operator SIAK di kantor yang sama."), code="bad_operator")
    return _transition(
        application=application,
        name="take_over",
        actor=actor,
        note=note,
        data={"from": application.claimed_by_id, "to": operator.pk},
        claimed_by=operator,
        claimed_at=timezone.now(),
    )


@transaction.atomic
def application_complete_siak(
    *, application: Application, actor: User, siak_reference: str, note: str = ""
) -> Application:
    if not siak_reference.strip():
        raise TransitionError(_("Nomor registrasi atau dokumen SIAK wajib diisi."), code="siak_required")
    _single_document_check(application=application, actor=actor)
    # Only the holder records the result: the table's holder rule, judged on the locked row.
    return _transition(
        application=application,
        name="complete_siak",
        actor=actor,
        note=note,
        data={"siak_reference": siak_reference},
        siak_reference=siak_reference.strip(),
        siak_note=note,
    )


@transaction.atomic
def application_approve(*, application: Application, actor: User, note: str = "") -> Application:
    _single_document_check(application=application, actor=actor)
    return _transition(application=application, name="approve", actor=actor, note=note)


@transaction.atomic
def application_send_back(*, application: Application, actor: User, reason: str) -> Application:
    if not reason.strip():
        raise TransitionError(_("Alasan pengembalian ke operator wajib diisi."), code="reason_required")
    sent_back = _transition(application=application, name="send_back", actor=actor, note=reason)
    # A bundle's documents go back to SIAK input together; the operator records each reference again.
    sent_back.components.update(state=ComponentState.SIAK, verified_by=None, verified_at=None)
    return sent_back


def _single_document_check(*, application: Application, actor: User | None) -> None:
    """A bundle's SIAK input, verification and signature go document by document (pencet.cases.components).
    The office comes first, so an outsider learns nothing about the application."""
    if application.components.exists():
        if actor is not None and not application_can_access(application=application, user=actor):
            raise ApplicationPermissionError(_("Anda tidak berwenang atas permohonan ini."))
        raise refusal_error(per_document_refusal())


@transaction.atomic
def application_sign(
    *, application: Application, actor: User, documents: Sequence[Mapping[str, object]] = ()
) -> Application:
    """The transition only. People sign through pencet.delivery.signing.applications_sign, which checks the
    passphrase and that the output PDF exists, applies the signature to it and then calls this; `documents` names
    the PDFs signed (filename, sha256) for the Event. A bundle is signed document by document instead."""
    _single_document_check(application=application, actor=actor)
    return _transition(
        application=application,
        name="sign",
        actor=actor,
        note=_("Ditandatangani secara elektronik (TTE)."),
        # How the citizen will get it, as it stood when signed (the notification words it so).
        data={
            "delivery_preference": application.delivery_preference,
            **({"documents": [dict(d) for d in documents]} if documents else {}),
        },
    )


def application_sign_many(*, applications: Iterable[Application], actor: User) -> list[Application]:
    """The transition for several at once; all or nothing, so a refused one leaves the others unsigned too."""
    with transaction.atomic():
        return [application_sign(application=a, actor=actor) for a in applications]


@transaction.atomic
def application_mark_delivered(
    *, application: Application, actor: User | None, channel: str, note: str = ""
) -> Application:
    return _transition(
        application=application,
        name="deliver",
        actor=actor,
        actor_label="" if actor else "sistem",
        note=note,
        data={"channel": channel},
    )


@transaction.atomic
def application_pick_up(
    *,
    application: Application,
    actor: User,
    collected_by: str,
    is_representative: bool,
    originals_seen: Sequence[str],
    note: str = "",
    collector: Mapping[str, str] | None = None,
) -> Application:
    """`collector`: who collected, as the counter recorded it (ID number, relationship, power of attorney)."""
    data = handover_data(
        collected_by=collected_by, is_representative=is_representative, originals_seen=originals_seen,
        collector=collector,
    )  # fmt: skip
    return _transition(application=application, name="pick_up", actor=actor, note=note, data=data)


def handover_data(
    *,
    collected_by: str,
    is_representative: bool,
    originals_seen: Sequence[str],
    collector: Mapping[str, str] | None,
) -> dict:
    """What the counter records of a hand-over (the whole application's or one bundle document's) for its Event;
    the collector's name is required."""
    if not collected_by.strip():
        raise TransitionError(_("Nama pengambil dokumen wajib diisi."), code="collector_required")
    return {
        "collected_by": collected_by.strip(),
        "is_representative": is_representative,
        "originals_seen": list(originals_seen),
        **({"collector": dict(collector)} if collector else {}),
    }


@transaction.atomic
def application_note_add(
    *,
    application: Application,
    actor: User | None,
    note: str,
    kind: str = EventKind.NOTE,
    actor_label: str = "",
) -> Event:
    """A timeline entry that changes no status (officer notes, citizen free text, deliveries)."""
    if actor is not None and not application_can_access(application=application, user=actor):
        raise ApplicationPermissionError(_("Anda tidak berwenang atas permohonan ini."))
    return Event.objects.create(
        application=application,
        actor=actor,
        actor_label=actor_label or ("" if actor else "warga"),
        kind=kind,
        from_status=application.status,
        to_status=application.status,
        note=note,
    )
