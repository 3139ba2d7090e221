"""Who may do what with an application, and who sees which personal data: each rule written once.

The state machine (cases.services), the output and delivery services, the console and the REST API all ask here,
so an action the console or the API offers is one the service then performs, and both offer the same ones.

Decisions only: a refused check answers a `Refusal` (code and officer's message); the services turn it into
their exceptions. Nothing here writes.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.accounts.models import Role, User
from pencet.lib.nik import nik_mask

from .deadlines import application_legal_deadline, late_decision_required
from .models import Application, Channel, Component, ComponentState, DeliveryPreference, Status


class Holder(StrEnum):
    """Whom the forum's holder rule lets make a transition on an application an operator has claimed."""

    ANYONE = "anyone"
    # Only the operator holding it: the SIAK result is theirs to record.
    HOLDER = "holder"
    # The operator holding it, or an admin on their behalf (an operator off sick cannot release their own work).
    HOLDER_OR_ADMIN = "holder_or_admin"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str | Promise
    holder: Holder = Holder.ANYONE
    # The citizen (through the bot) or a scheduled job may make it without a staff account.
    without_staff: bool = False


# Any staff member may register an application received outside the bot (seed 2023 addition).
ANY_STAFF = tuple(r.value for r in Role if r != Role.LEADERSHIP)
_DESK = (Role.SERVICE_OFFICER, Role.ADMIN)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", (Status.DRAFT,), Status.SUBMITTED, ANY_STAFF, gettext_lazy("Ajukan"), without_staff=True),
        Transition(
            "resubmit",
            (Status.RETURNED,),
            Status.SUBMITTED,
            ANY_STAFF,
            gettext_lazy("Ajukan ulang"),
            without_staff=True,
        ),
        Transition("accept", (Status.SUBMITTED,), Status.ACCEPTED, _DESK, gettext_lazy("Terima")),
        # A registration past its legal deadline goes to the head of office instead of the forum (REFERENCE).
        Transition(
            "refer_late",
            (Status.SUBMITTED,),
            Status.AWAITING_DECISION,
            _DESK,
            gettext_lazy("Teruskan ke kepala dinas (terlambat lapor)"),
        ),
        Transition(
            "approve_late",
            (Status.AWAITING_DECISION,),
            Status.ACCEPTED,
            (Role.SIGNER,),
            gettext_lazy("Setujui pencatatan terlambat"),
        ),
        Transition(
            "reject_late",
            (Status.AWAITING_DECISION,),
            Status.REJECTED,
            (Role.SIGNER,),
            gettext_lazy("Tolak pencatatan terlambat"),
        ),
        Transition("return", (Status.SUBMITTED,), Status.RETURNED, _DESK, gettext_lazy("Kembalikan ke pemohon")),
        Transition("reject", (Status.SUBMITTED, Status.RETURNED), Status.REJECTED, _DESK, gettext_lazy("Tolak")),
        Transition("claim", (Status.ACCEPTED,), Status.IN_PROCESS, (Role.OPERATOR,), gettext_lazy("Ambil")),
        Transition(
            "release",
            (Status.IN_PROCESS,),
            Status.ACCEPTED,
            (Role.OPERATOR, Role.ADMIN),
            gettext_lazy("Lepaskan"),
            holder=Holder.HOLDER_OR_ADMIN,
        ),
        Transition("take_over", (Status.IN_PROCESS,), Status.IN_PROCESS, (Role.ADMIN,), gettext_lazy("Ambil alih")),
        Transition(
            "complete_siak",
            (Status.IN_PROCESS,),
            Status.AWAITING_VERIFICATION,
            (Role.OPERATOR,),
            gettext_lazy("Selesai input SIAK"),
            holder=Holder.HOLDER,
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
            without_staff=True,
        ),
        Transition("pick_up", (Status.READY,), Status.PICKED_UP, _DESK, gettext_lazy("Diambil")),
        Transition(
            "cancel",
            (Status.DRAFT, Status.SUBMITTED, Status.RETURNED),
            Status.CANCELLED,
            _DESK,
            gettext_lazy("Batalkan"),
            without_staff=True,
        ),
        Transition(
            "expire",
            (Status.DRAFT, Status.RETURNED),
            Status.EXPIRED,
            (),
            gettext_lazy("Kedaluwarsa"),
            without_staff=True,
        ),
    ]
}

_HOLDER_REFUSALS = {
    Holder.HOLDER: ("not_holder", gettext_lazy("Ambil permohonan ini terlebih dahulu sebelum mencatat hasil SIAK.")),
    Holder.HOLDER_OR_ADMIN: ("held_by_other", gettext_lazy("Permohonan ini sedang dipegang operator lain.")),
}

# Who attaches the output PDF that SIAK printed and the head of office signed electronically (TTE, BSrE): the
# service officer at the counter, the operator who keyed it in, the admin. Not the signer: the head of office
# signs in SIAK's TTE, he does not file documents, and keeping him out means the person who signs is never
# the one who decides which file the citizen receives. Attaching is possible once approved, because SIAK's
# signature often comes before the click on "Tanda tangani" here.
OUTPUT_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.ADMIN)
OUTPUT_STATUSES = (Status.AWAITING_SIGNATURE, Status.READY)

# Who writes to a citizen from the office's WhatsApp number: office staff, not village staff or leadership.
MESSAGE_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VERIFIER, Role.SIGNER, Role.ADMIN)

# Roles that work with the full NIK and KK number: the service officer compares them with the documents, the
# operator keys them into SIAK, the verifier checks SIAK's record, the admin supports all three. The signer,
# leadership and village staff decide or follow up without retyping the number, so they get it masked.
FULL_IDENTITY_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.VERIFIER, Role.ADMIN)

# Staff add a file to an application already in the office's hands (a page the citizen brought to the counter, a
# letter the village staff got later) until the SIAK result is recorded; after that the files are history. The
# desk and the operator file documents; village staff only answer a return of their own village's application.
STAFF_FILE_ROLES = (Role.SERVICE_OFFICER, Role.OPERATOR, Role.ADMIN, Role.VILLAGE_STAFF)
STAFF_FILE_STATUSES = (
    Status.SUBMITTED,
    Status.RETURNED,
    Status.AWAITING_DECISION,
    Status.ACCEPTED,
    Status.IN_PROCESS,
)
VILLAGE_STAFF_STATUSES = (Status.RETURNED,)

# Correcting the applicant's or the subject's data (a typo in a name, a wrong village): the desk, and village staff
# answering a return, before an operator keys it into SIAK. Later a wrong field is the verifier's "send back".
CORRECTION_ROLES = (Role.SERVICE_OFFICER, Role.ADMIN, Role.VILLAGE_STAFF)
CORRECTION_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.AWAITING_DECISION, Status.ACCEPTED)

# Applications registered by staff have no WhatsApp conversation that could send them back: staff resubmit them.
STAFF_CHANNELS = (Channel.STAFF_INTAKE, Channel.WALK_IN, Channel.VILLAGE_STAFF)


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: `code` is stable ("forbidden" for a question of who), `message` is shown."""

    code: str
    message: str

    @property
    def forbidden(self) -> bool:
        return self.code == "forbidden"


def _forbidden(message: str) -> Refusal:
    return Refusal("forbidden", message)


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


def _no_access() -> Refusal:
    return _forbidden(_("Anda tidak berwenang atas permohonan ini."))


def transition_refusal(*, application: Application, name: str, actor: User | None) -> Refusal | None:
    """Why `actor` (None: the citizen or the system) may not make transition `name` now, or None if they may.

    The office comes before the role, the status and the holder, so an outsider learns nothing about the
    application. Judge the holder on a locked row: a stale copy may name the operator who held it before.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        return Refusal("unknown", _("Tindakan tidak dikenal: %(name)s") % {"name": name})
    if actor is not None:
        if not application_can_access(application=application, user=actor):
            return _no_access()
        if not actor.has_role(*transition.roles):
            return _forbidden(_("Peran Anda tidak dapat melakukan '%(action)s'.") % {"action": transition.label})
    elif not transition.without_staff:
        return _forbidden(_("Tindakan ini hanya dapat dilakukan oleh petugas."))
    if application.status not in transition.sources:
        return Refusal(
            "wrong_status",
            _("Permohonan %(code)s berstatus '%(status)s'; '%(action)s' tidak dapat dilakukan.")
            % {
                "code": application.tracking_code,
                "status": application.get_status_display(),
                "action": transition.label,
            },
        )
    if actor is not None and not _holder_satisfied(transition.holder, application=application, actor=actor):
        code, message = _HOLDER_REFUSALS[transition.holder]
        return Refusal(code, str(message))
    if name == "resubmit" and actor is not None:
        if application.channel not in STAFF_CHANNELS:
            # The citizen sends the missing files on WhatsApp; the bot resubmits when they are all there.
            return Refusal("citizen_resubmits", _("Pemohon mengajukan ulang sendiri lewat WhatsApp."))
        if not actor.has_role(*STAFF_FILE_ROLES):
            # Resubmitting goes with adding the missing files: those who file documents do it.
            return _forbidden(_("Peran Anda tidak dapat melakukan '%(action)s'.") % {"action": transition.label})
    return _late_refusal(application=application, name=name)


def _late_refusal(*, application: Application, name: str) -> Refusal | None:
    """A late registration is accepted only once the head of office approved it; only a late one is referred."""
    if name == "accept" and late_decision_required(application=application):
        deadline = application_legal_deadline(application=application)
        return Refusal(
            "late_decision_required",
            _(
                "Pencatatan ini melewati batas waktu %(days)d hari (hari terakhir %(last_day)s); teruskan ke kepala "
                "dinas untuk keputusan terlambat lapor sebelum diterima."
            )
            % {"days": deadline.days, "last_day": deadline.last_day.strftime("%d-%m-%Y")},
        )
    if name == "refer_late" and not late_decision_required(application=application):
        return Refusal("not_late", _("Permohonan ini tidak terlambat dilaporkan."))
    return None


def _holder_satisfied(rule: Holder, *, application: Application, actor: User) -> bool:
    if rule == Holder.HOLDER:
        return application.claimed_by_id == actor.pk
    if rule == Holder.HOLDER_OR_ADMIN:
        return application.claimed_by_id in (None, actor.pk) or actor.has_role(Role.ADMIN)
    return True


def deliver_refusal(*, application: Application, actor: User | None) -> Refusal | None:
    """The transition's rule plus what sending needs before anything goes out: a delivery the applicant chose
    (not pickup) and at least one output document. A closed WhatsApp window or an SMTP failure are the
    moment's conditions; the delivery service answers those itself."""
    refusal = transition_refusal(application=application, name="deliver", actor=actor)
    if refusal is not None:
        return refusal
    if application.delivery_preference == DeliveryPreference.PICKUP:
        return Refusal(
            "pickup_preferred", _("Pemohon memilih ambil di kantor; catat pengambilan dengan tindakan 'Diambil'.")
        )
    # `outputs` is delivery's reverse relation: read by name, so cases never imports the layer above it.
    if not application.outputs.exists():
        return Refusal("no_output", _("Lampirkan dokumen hasil (PDF) terlebih dahulu."))
    if application.components.filter(outputs__isnull=True).exists():
        return Refusal("no_output", _("Setiap dokumen paket harus memiliki dokumen hasil (PDF)."))
    if application.components.exists() and not bundle_documents_to_send(application=application):
        # What is left of the bundle is a card (KIA, KTP-el): handed over at the counter, document by document.
        return Refusal("pickup_only", _("Dokumen paket yang tersisa diambil di kantor; serahkan per dokumen."))
    return None


def component_travels(*, component: Component, preference: str) -> bool:
    """Whether a bundle's document goes the way the citizen chose (e-mail, WhatsApp): a PDF does, a card (KIA,
    KTP-el: a service the catalogue has picked up only) is collected at the office whatever the choice."""
    return preference != DeliveryPreference.PICKUP and preference in (component.service.delivery_modes or [])


def bundle_documents_to_send(*, application: Application) -> list[Component]:
    """A bundle's documents still to be sent the way the citizen chose: signed, not yet delivered, and travelling."""
    ready = application.components.filter(state=ComponentState.READY).select_related("service")
    return [c for c in ready if component_travels(component=c, preference=application.delivery_preference)]


def output_refusal(*, application: Application, user: User) -> Refusal | None:
    """Why `user` may not attach (or take back) an output document of `application` now."""
    if not application_can_access(application=application, user=user):
        return _no_access()
    if not user.has_role(*OUTPUT_ROLES):
        return _forbidden(_("Peran Anda tidak dapat melampirkan dokumen hasil."))
    if application.status not in OUTPUT_STATUSES:
        return Refusal(
            "wrong_status",
            _("Dokumen hasil hanya dapat dilampirkan saat permohonan menunggu tanda tangan atau siap diserahkan."),
        )
    return None


def _staff_step_refusal(
    *, application: Application, user: User, roles: tuple[str, ...], statuses: tuple[str, ...], what: str
) -> Refusal | None:
    if not application_can_access(application=application, user=user):
        return _no_access()
    if not user.has_role(*roles):
        return _forbidden(_("Peran Anda tidak dapat %(what)s.") % {"what": what})
    village_only = user.roles == {Role.VILLAGE_STAFF}
    if application.status not in (VILLAGE_STAFF_STATUSES if village_only else statuses):
        return Refusal(
            "wrong_status",
            _("Permohonan %(code)s berstatus '%(status)s'; Anda tidak dapat %(what)s.")
            % {"code": application.tracking_code, "status": application.get_status_display(), "what": what},
        )
    return None


def attachment_refusal(*, application: Application, user: User) -> Refusal | None:
    """Why `user` may not add a file to `application` now (a draft's files are the bot's: cases.drafts)."""
    return _staff_step_refusal(
        application=application,
        user=user,
        roles=STAFF_FILE_ROLES,
        statuses=STAFF_FILE_STATUSES,
        what=_("menambahkan berkas"),
    )


def correction_refusal(*, application: Application, user: User) -> Refusal | None:
    """Why `user` may not correct the applicant's or the subject's data of `application` now."""
    return _staff_step_refusal(
        application=application,
        user=user,
        roles=CORRECTION_ROLES,
        statuses=CORRECTION_STATUSES,
        what=_("mengoreksi data permohonan"),
    )


def sign_refusal(*, application: Application, actor: User) -> Refusal | None:
    """The transition's rule plus what a real TTE needs: the document to be signed exists before the signature.

    The signer sees that very PDF on the confirmation page and the signature is applied to it
    (pencet.delivery.signing); there is nothing to sign without it.
    """
    refusal = transition_refusal(application=application, name="sign", actor=actor)
    if refusal is not None:
        return refusal
    if application.components.exists():
        return per_document_refusal()
    # `outputs` is delivery's reverse relation: read by name, so cases never imports the layer above it.
    if not application.outputs.exists():
        return Refusal(
            "no_output",
            _("Dokumen hasil (PDF) belum ada. Lampirkan atau buat dokumennya dulu, baru ditandatangani."),
        )
    return None


def per_document_refusal() -> Refusal:
    """A bundle's SIAK input, verification and signature are made document by document (pencet.cases.components)."""
    return Refusal("per_document", _("Permohonan paket diproses per dokumen: pilih dokumennya."))


# The application-level steps a bundle makes per document instead (pencet.cases.components).
PER_DOCUMENT_TRANSITIONS = ("complete_siak", "approve", "sign")


def user_may_message_citizens(*, user: User) -> bool:
    """Writing from the office's WhatsApp number, to an applicant or to a contact who asked for a person."""
    return user.has_role(*MESSAGE_ROLES)


def message_refusal(*, application: Application, user: User) -> Refusal | None:
    """Why `user` may not write to the applicant of `application` now."""
    if not application_can_access(application=application, user=user):
        return _no_access()
    if not user_may_message_citizens(user=user):
        return _forbidden(_("Peran Anda tidak dapat mengirim pesan WhatsApp atas nama kantor."))
    if application.status == Status.DRAFT:
        # The bot is still talking the citizen through the draft; an officer's message would cut across it.
        return Refusal("wrong_status", _("Permohonan masih berupa draf; pemohon sedang dilayani bot."))
    if not application.contact_id and not application.phone:
        return Refusal("no_contact", _("Pemohon tidak memiliki nomor WhatsApp."))
    return None


# The steps the console and the API both offer, in the order an application meets them. `submit` and `resubmit`
# are not among them: staff submit when they register (console intake and `POST /applications` create and
# submit at once) and a returned application goes back when the citizen has sent the missing files.
_OFFERED_TRANSITIONS = (
    "accept",
    "refer_late",
    "approve_late",
    "reject_late",
    "return",
    "reject",
    "cancel",
    "claim",
    "release",
    "take_over",
    "complete_siak",
    "approve",
    "send_back",
    "pick_up",
)
# Then, where they apply: sign (once the document exists), resubmit (staff-registered applications), deliver,
# output_add, output_remove, output_specimen (demo offices), attachment_add, correct, message.


def application_actions_for(*, application: Application, user: User) -> list[str]:
    """What `user` may do with `application` now: the console shows exactly these controls and the API
    answers them as `actions`; each is one the service then performs for this user."""
    if not application_can_access(application=application, user=user):
        return []
    per_document = application.components.exists()
    actions = [
        n
        for n in _OFFERED_TRANSITIONS
        if transition_refusal(application=application, name=n, actor=user) is None
        and not (per_document and n in PER_DOCUMENT_TRANSITIONS)
    ]
    if sign_refusal(application=application, actor=user) is None:
        actions.append("sign")
    if transition_refusal(application=application, name="resubmit", actor=user) is None:
        actions.append("resubmit")
    if deliver_refusal(application=application, actor=user) is None:
        actions.append("deliver")
    if output_refusal(application=application, user=user) is None:
        actions.append("output_add")
        if application.outputs.exists():
            actions.append("output_remove")
        if application.office.is_demo:
            actions.append("output_specimen")
    if attachment_refusal(application=application, user=user) is None:
        actions.append("attachment_add")
    if correction_refusal(application=application, user=user) is None:
        actions.append("correct")
    if message_refusal(application=application, user=user) is None:
        actions.append("message")
    return actions


@dataclass(frozen=True)
class PersonalDataView:
    """What of the applicant's personal data one user sees."""

    # The NIK and KK number in full; otherwise masked (7307••••••••0042).
    full_identity: bool
    # The citizen's WhatsApp conversation (messages both ways).
    chat: bool

    def nik(self, application: Application) -> str:
        return application.nik if self.full_identity else nik_mask(application.nik)

    def kk_number(self, application: Application) -> str:
        return application.kk_number if self.full_identity else nik_mask(application.kk_number)


def personal_data_policy_for(*, user: User, application: Application | None = None) -> PersonalDataView:
    """The personal-data policy for the console, the API and every export.

    Full NIK/KK: see FULL_IDENTITY_ROLES. The chat: the office's staff, leadership included; village staff work
    on their villages' files, while a citizen's conversation with the office is the office's business.
    With `application`, someone who may not see it gets nothing at all.
    """
    if application is not None and not application_can_access(application=application, user=user):
        return PersonalDataView(full_identity=False, chat=False)
    superuser = user.is_superuser
    return PersonalDataView(
        full_identity=superuser or user.has_role(*FULL_IDENTITY_ROLES),
        chat=superuser or bool(user.roles - {Role.VILLAGE_STAFF}),
    )
