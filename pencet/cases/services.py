"""The Application state machine (DESIGN §4).

Every transition is one function here. Each checks the actor's role and office (and village for
village staff), changes the status, writes an Event and enqueues the citizen's notification in
one transaction. Nothing half-happens: a refused transition raises TransitionError and writes
nothing.

`actor=None` means the citizen acting through WhatsApp or the system itself (a scheduled job);
only internal code paths (the bot, Huey tasks) pass None; views and the API always pass a user.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Office, Role, User
from pencet.catalog.models import Requirement, Service

from . import clocks
from .models import Application, Channel, Event, ReviewItem, Status, TrackingCounter


class TransitionError(Exception):
    """A transition that is not allowed; the message is safe to show to the officer."""

    def __init__(self, message: str, *, code: str = "not_allowed") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ApplicationPermissionError(TransitionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="forbidden")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str


# Any staff member may register an application received outside the bot (seed 2023 addition).
ANY_STAFF = tuple(r.value for r in Role if r != Role.LEADERSHIP)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", (Status.DRAFT,), Status.SUBMITTED, ANY_STAFF, gettext_lazy("Ajukan")),
        Transition("resubmit", (Status.RETURNED,), Status.SUBMITTED, ANY_STAFF, gettext_lazy("Ajukan ulang")),
        Transition(
            "accept",
            (Status.SUBMITTED,),
            Status.ACCEPTED,
            (Role.SERVICE_OFFICER, Role.ADMIN),
            gettext_lazy("Terima"),
        ),
        Transition(
            "return",
            (Status.SUBMITTED,),
            Status.RETURNED,
            (Role.SERVICE_OFFICER, Role.ADMIN),
            gettext_lazy("Kembalikan ke pemohon"),
        ),
        Transition(
            "reject",
            (Status.SUBMITTED, Status.RETURNED),
            Status.REJECTED,
            (Role.SERVICE_OFFICER, Role.ADMIN),
            gettext_lazy("Tolak"),
        ),
        Transition("claim", (Status.ACCEPTED,), Status.IN_PROCESS, (Role.OPERATOR,), gettext_lazy("Ambil")),
        Transition(
            "release",
            (Status.IN_PROCESS,),
            Status.ACCEPTED,
            (Role.OPERATOR, Role.ADMIN),
            gettext_lazy("Lepaskan"),
        ),
        Transition("take_over", (Status.IN_PROCESS,), Status.IN_PROCESS, (Role.ADMIN,), gettext_lazy("Ambil alih")),
        Transition(
            "complete_siak",
            (Status.IN_PROCESS,),
            Status.AWAITING_VERIFICATION,
            (Role.OPERATOR,),
            gettext_lazy("Selesai input SIAK"),
        ),
        Transition(
            "approve",
            (Status.AWAITING_VERIFICATION,),
            Status.AWAITING_SIGNATURE,
            (Role.VERIFIER,),
            gettext_lazy("Setujui"),
        ),
        Transition(
            "send_back",
            (Status.AWAITING_VERIFICATION,),
            Status.IN_PROCESS,
            (Role.VERIFIER,),
            gettext_lazy("Kembalikan ke operator"),
        ),
        Transition("sign", (Status.AWAITING_SIGNATURE,), Status.READY, (Role.SIGNER,), gettext_lazy("Tanda tangani")),
        Transition(
            "deliver",
            (Status.READY,),
            Status.DELIVERED,
            (Role.SERVICE_OFFICER, Role.OPERATOR, Role.ADMIN),
            gettext_lazy("Kirim dokumen"),
        ),
        Transition(
            "pick_up",
            (Status.READY,),
            Status.PICKED_UP,
            (Role.SERVICE_OFFICER, Role.ADMIN),
            gettext_lazy("Diambil"),
        ),
        Transition(
            "cancel",
            (Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
            Status.CANCELLED,
            (Role.SERVICE_OFFICER, Role.ADMIN),
            gettext_lazy("Batalkan"),
        ),
        Transition("expire", (Status.DRAFT, Status.RETURNED), Status.EXPIRED, (), gettext_lazy("Kedaluwarsa")),
    ]
}


def application_can_access(*, application: Application, user: User) -> bool:
    """Office (and village, for village staff) scoping: the one rule every read and write follows."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser and user.office_id is None:
        return True
    if user.office_id != application.office_id:
        return False
    if user.roles == {Role.VILLAGE_STAFF}:
        return application.village_id is not None and user.villages.filter(pk=application.village_id).exists()
    return bool(user.roles)


def application_check_transition(*, application: Application, name: str, actor: User | None) -> Transition:
    """Raise TransitionError unless `actor` may perform `name` on `application` now."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("Tindakan tidak dikenal: %(name)s") % {"name": name}, code="unknown")
    if actor is not None:
        if not application_can_access(application=application, user=actor):
            raise ApplicationPermissionError(_("Anda tidak berwenang atas permohonan ini."))
        if not actor.has_role(*transition.roles):
            raise ApplicationPermissionError(
                _("Peran Anda tidak dapat melakukan '%(action)s'.") % {"action": transition.label}
            )
    elif not _system_may(transition):
        raise ApplicationPermissionError(_("Tindakan ini hanya dapat dilakukan oleh petugas."))
    if application.status not in transition.sources:
        raise TransitionError(
            _("Permohonan %(code)s berstatus '%(status)s'; '%(action)s' tidak dapat dilakukan.")
            % {
                "code": application.tracking_code,
                "status": application.get_status_display(),
                "action": transition.label,
            },
            code="wrong_status",
        )
    return transition


# What the citizen (through the bot) or the system may do without a staff account.
_CITIZEN_OR_SYSTEM = {"submit", "resubmit", "cancel", "expire", "deliver"}


def _system_may(transition: Transition) -> bool:
    return transition.name in _CITIZEN_OR_SYSTEM


def _transition(
    *,
    application: Application,
    name: str,
    actor: User | None,
    actor_label: str = "",
    note: str = "",
    data: dict | None = None,
    guard: Callable[[Application], None] | None = None,
    **changes: object,
) -> Application:
    """Lock the row, check, apply `changes`, write the Event and notify, all in the caller's transaction.

    `guard` checks the locked row after the role/office/status check: conditions on the current holder must not
    be judged from the caller's possibly stale copy, nor tell an outsider who holds the application.
    """
    locked = Application.objects.select_for_update().select_related("service", "office").get(pk=application.pk)
    transition = application_check_transition(application=locked, name=name, actor=actor)
    if guard is not None:
        guard(locked)
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
    event = Event.objects.create(
        application=locked,
        actor=actor,
        actor_label=actor_label or ("" if actor else "sistem"),
        kind=name,
        from_status=previous,
        to_status=transition.target,
        note=note,
        data=data or {},
    )
    clocks.clock_event_record(event=event)  # clocks: moved to PENCET_EVENT_SUBSCRIBERS at merge
    _notify(application=locked, event=event)
    application.__dict__.update(locked.__dict__)
    return locked


def _notify(*, application: Application, event: Event) -> None:
    # Imported here: the bot depends on cases, not the other way round.
    from pencet.bot.notifications import application_notify

    application_notify(application=application, event=event)


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
    Event.objects.create(
        application=application,
        actor=actor,
        actor_label="" if actor else "warga",
        kind="created",
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
    *, application: Application, actor: User | None, reason: str = "", actor_label: str = "warga"
) -> Application:
    return _transition(
        application=application,
        name="cancel",
        actor=actor,
        actor_label=actor_label,
        note=reason,
        close_reason=reason,
    )


@transaction.atomic
def application_expire(*, application: Application) -> Application:
    return _transition(application=application, name="expire", actor=None, actor_label="sistem")


@transaction.atomic
def application_claim(*, application: Application, actor: User) -> Application:
    return _transition(application=application, name="claim", actor=actor, claimed_by=actor, claimed_at=timezone.now())


@transaction.atomic
def application_release(*, application: Application, actor: User, note: str = "") -> Application:
    def held_by_actor_or_admin(locked: Application) -> None:
        if locked.claimed_by_id not in (None, actor.pk) and not actor.has_role(Role.ADMIN):
            raise TransitionError(_("Permohonan ini sedang dipegang operator lain."), code="held_by_other")

    return _transition(
        application=application,
        name="release",
        actor=actor,
        note=note,
        guard=held_by_actor_or_admin,
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

    def held_by_actor(locked: Application) -> None:
        if locked.claimed_by_id != actor.pk:
            raise TransitionError(
                _("Ambil permohonan ini terlebih dahulu sebelum mencatat hasil SIAK."), code="not_holder"
            )

    return _transition(
        application=application,
        name="complete_siak",
        actor=actor,
        note=note,
        guard=held_by_actor,
        data={"siak_reference": siak_reference},
        siak_reference=siak_reference.strip(),
        siak_note=note,
    )


@transaction.atomic
def application_approve(*, application: Application, actor: User, note: str = "") -> Application:
    return _transition(application=application, name="approve", actor=actor, note=note)


@transaction.atomic
def application_send_back(*, application: Application, actor: User, reason: str) -> Application:
    if not reason.strip():
        raise TransitionError(_("Alasan pengembalian ke operator wajib diisi."), code="reason_required")
    return _transition(application=application, name="send_back", actor=actor, note=reason)


@transaction.atomic
def application_sign(*, application: Application, actor: User) -> Application:
    return _transition(
        application=application, name="sign", actor=actor, note=_("Ditandatangani secara elektronik (TTE).")
    )


def application_sign_many(*, applications: Iterable[Application], actor: User) -> list[Application]:
    """Sign several at once; all or nothing, so a refused one leaves the others unsigned too."""
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
) -> Application:
    if not collected_by.strip():
        raise TransitionError(_("Nama pengambil dokumen wajib diisi."), code="collector_required")
    return _transition(
        application=application,
        name="pick_up",
        actor=actor,
        note=note,
        data={
            "collected_by": collected_by.strip(),
            "is_representative": is_representative,
            "originals_seen": list(originals_seen),
        },
    )


@transaction.atomic
def application_note_add(
    *, application: Application, actor: User | None, note: str, kind: str = "note", actor_label: str = ""
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
