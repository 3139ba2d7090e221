"""The citizen's WhatsApp conversation: one persisted state per contact plus a handler per state.

Entry points:
    bot_handle_inbound(*, message)                     called by the channel layer, inside its transaction
    conversation_fix_start(*, application, contact, items)   called by notifications when an officer returns
    bot_drafts_expire(*, now=None) -> int              periodic: drafts untouched for PENCET_DRAFT_EXPIRY_DAYS

Every handler checks the state it expects; a stale or repeated tap only repeats the current question, so
duplicate or out-of-order messages never skip a step or create a second application.
"""

import difflib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from pencet.accounts.models import Office, Role, User
from pencet.cases import services as cases
from pencet.cases.models import OPEN_STATUSES, Application, Attachment, DeliveryPreference, Status
from pencet.catalog.models import Requirement, Service
from pencet.lib.nik import nik_parse
from pencet.lib.phone import phone_normalize, phone_variants
from pencet.regions.models import Region
from pencet.regions.selectors import region_names
from pencet.whatsapp.models import Contact, InboundMessage
from pencet.whatsapp.selectors import contact_window_open
from pencet.whatsapp.services import outbox_enqueue

from . import messages as m
from .commands import Command, command_parse, normalize
from .models import Conversation

logger = logging.getLogger(__name__)

MEDIA_TYPES = ("image", "document")
# States that take a file; anywhere else a file is kept and offered for the next requirement.
FILE_STATES = {"menu", "service_info", "choose_alt", "collect", "quality", "offer_pending"}
REPLY_TYPES = ("interactive", "button")
# States where the citizen types free data: commands must then be typed exactly (no typo guessing).
FREE_TEXT_STATES = {"name", "nik", "phone", "email", "event_date", "district", "village"}
ROWS_PER_PAGE = 9
GREETINGS = {
    "halo",
    "hallo",
    "hai",
    "hi",
    "hello",
    "p",
    "ping",
    "assalamualaikum",
    "assalamu alaikum",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "permisi",
    "pagi",
    "siang",
    "sore",
    "malam",
}
YES_WORDS = {"ya", "iya", "y", "yes", "ok", "oke", "benar", "betul", "setuju", "lanjut", "kirim", "pakai"}
NO_WORDS = {"tidak", "tdk", "gak", "nggak", "no", "salah", "bukan", "jangan"}
YES_IDS = {"apply", "use", "nik_ok", "continue", "cancel_yes", "submit", "done"}
NO_IDS = {"no", "nik_wrong", "cancel_no"}
DONE_WORDS = {
    "sdh",
    "udah",
    "sudah semuanya",
    "sudah",
    "selesai",
    "sudah semua",
    "cukup",
    "lanjut",
    "done",
    "ok",
    "oke",
}


@dataclass
class Ctx:
    conv: Conversation
    contact: Contact
    office: Office
    message: InboundMessage | None
    staff: User | None
    # Outside the 24-hour window free-form messages cannot go out; the template already said what is needed.
    quiet: bool = False

    @property
    def data(self) -> dict:
        return self.conv.data

    @property
    def application(self) -> Application | None:
        return self.conv.application


# --- Entry point -------------------------------------------------------------------------------------


@transaction.atomic
def bot_handle_inbound(*, message: InboundMessage) -> None:
    """Answer one new inbound message (text, reply, image or document) from a contact of a known office."""
    contact = message.contact
    conv, created = Conversation.objects.get_or_create(contact=contact)
    conv = Conversation.objects.select_for_update(of=("self",)).select_related("application").get(pk=conv.pk)
    ctx = Ctx(conv=conv, contact=contact, office=message.office, message=message, staff=_staff_link(contact=contact))
    with translation.override(contact.language or "id"):
        try:
            with transaction.atomic():
                _dispatch(ctx, first=created or conv.state == "new")
                conv.save()
        except Exception:
            # A bug must not leave the citizen without an answer or stuck in a broken step.
            logger.exception("bot failed on inbound message %s; conversation reset to the menu", message.pk)
            conv.refresh_from_db()
            conv.state, conv.data = "menu", {}
            ctx.conv = conv
            Contact.objects.filter(pk=contact.pk).update(needs_human=True)
            _text(ctx, m.sorry())
            _menu_send(ctx, greet=False)
            conv.save()


def _dispatch(ctx: Ctx, *, first: bool) -> None:
    message = ctx.message
    command = None
    if message.type == "text":
        command = command_parse(text=message.text, fuzzy=ctx.conv.state not in FREE_TEXT_STATES)
    if first:
        if command and command.name in ("english", "indonesian"):
            _language_set(ctx, command.name)
        elif command and command.name not in ("menu", "help"):
            _menu_send(ctx, greet=True)
            _command_run(ctx, command)
            return
        if message.type in MEDIA_TYPES and hasattr(message, "media"):
            _pending_add(ctx)
        _menu_send(ctx, greet=True)
        if message.type in MEDIA_TYPES:
            _text(ctx, m.media_kept())
        return
    if command:
        _command_run(ctx, command)
        return
    if message.type in MEDIA_TYPES and not hasattr(message, "media"):
        _text(ctx, m.media_missing())
        return
    if message.type in MEDIA_TYPES and ctx.conv.state not in FILE_STATES:
        _pending_add(ctx)
        _text(ctx, m.media_kept())
        _reprompt(ctx)
        return
    if message.type == "text" and normalize(message.text) in GREETINGS and ctx.conv.state in BUSY_STATES:
        # Back after a pause: say where we were instead of treating "halo" as an answer.
        if ctx.application is not None:
            _text(ctx, m.resume(service=ctx.application.service.name))
        _reprompt(ctx)
        return
    HANDLERS.get(ctx.conv.state, _on_menu)(ctx)


# --- Sending -----------------------------------------------------------------------------------------


def _text(ctx: Ctx, body: str, *, application: Application | None = None) -> None:
    if ctx.quiet:
        return
    outbox_enqueue(contact=ctx.contact, kind="text", payload={"body": body[:4096]}, application=application)


def _buttons(ctx: Ctx, body: str, buttons: list[tuple[str, str]], *, application: Application | None = None) -> None:
    """Reply buttons (≤ 3, titles ≤ 20); the ids are remembered so typing "1" or the title works too."""
    buttons = buttons[:3]
    ctx.data["options"] = [[i, str(t)] for i, t in buttons]
    if ctx.quiet:
        return
    if len(body) > 1024:
        _text(ctx, body, application=application)
        body = m.choose_from_options()
    outbox_enqueue(
        contact=ctx.contact,
        kind="buttons",
        payload={"body": body, "buttons": [{"id": i, "title": str(t)[:20]} for i, t in buttons]},
        application=application,
    )


def _list(
    ctx: Ctx,
    body: str,
    rows: list[tuple[str, str, str]],
    *,
    button: str = "",
    section: str = "",
    numbered: list[str] | None = None,
) -> None:
    """A list (≤ 10 rows, titles ≤ 24, descriptions ≤ 72) in one section."""
    rows = rows[:10]
    ctx.data["options"] = [[i, str(t)] for i, t, _d in rows]
    if numbered is not None:
        ctx.data["numbered"] = numbered
    else:
        ctx.data.pop("numbered", None)
    if ctx.quiet:
        return
    if len(body) > 1024:
        _text(ctx, body)
        body = m.choose_from_options()
    outbox_enqueue(
        contact=ctx.contact,
        kind="list",
        payload={
            "body": body,
            "button": str(button or m.BTN_CHOOSE)[:20],
            "sections": [
                {
                    "title": str(section or m.BTN_CHOOSE)[:24],
                    "rows": [
                        {"id": i, "title": str(t)[:24], **({"description": str(d)[:72]} if d else {})}
                        for i, t, d in rows
                    ],
                }
            ],
        },
    )


def _choice(ctx: Ctx) -> str:
    """The option the citizen picked: a tapped id still on offer, a typed number, or a typed title."""
    message = ctx.message
    options = ctx.data.get("options", [])
    ids = [o[0] for o in options]
    if message.type in REPLY_TYPES:
        return message.reply_id if message.reply_id in ids else ""
    if message.type != "text":
        return ""
    typed = normalize(message.text)
    numbered = ctx.data.get("numbered") or ids
    if typed.isdigit() and 1 <= int(typed) <= len(numbered):
        return numbered[int(typed) - 1]
    for option_id, title in options:
        if typed and typed == normalize(title):
            return option_id
    for words, wanted in ((YES_WORDS, YES_IDS), (NO_WORDS, NO_IDS)):
        found = next((i for i in ids if i in wanted), "") if typed in words else ""
        if found:
            return found
    if len(typed) >= 3:
        partial = [i for i, title in options if typed in normalize(title)]
        if len(partial) == 1:
            return partial[0]
    return ""


# --- Commands ----------------------------------------------------------------------------------------


def _command_run(ctx: Ctx, command: Command) -> None:
    if command.name == "menu":
        _menu_send(ctx, greet=False)
    elif command.name == "status":
        _status_send(ctx, code=command.code)
        _reprompt_if_busy(ctx)
    elif command.name == "cancel":
        _cancel_start(ctx, code=command.code)
    elif command.name == "help":
        _text(ctx, m.help_text())
        _reprompt_if_busy(ctx)
    elif command.name == "human":
        _human_request(ctx)
    elif command.name in ("english", "indonesian"):
        _language_set(ctx, command.name)
        _reprompt(ctx)


def _language_set(ctx: Ctx, name: str) -> None:
    language = "en" if name == "english" else "id"
    if ctx.contact.language != language:
        ctx.contact.language = language
        ctx.contact.save(update_fields=["language"])
    translation.activate(language)
    _text(ctx, m.language_switched())


def _human_request(ctx: Ctx) -> None:
    if not ctx.contact.needs_human:
        ctx.contact.needs_human = True
        ctx.contact.save(update_fields=["needs_human"])
    _text(
        ctx,
        m.human_requested(
            opens_at=ctx.office.opens_at.strftime("%H.%M"), closes_at=ctx.office.closes_at.strftime("%H.%M")
        ),
    )


BUSY_STATES = {
    "choose_alt",
    "collect",
    "quality",
    "offer_pending",
    "name",
    "nik",
    "nik_confirm",
    "phone",
    "district",
    "village",
    "email",
    "delivery",
    "priority",
    "event_date",
    "late_notice",
    "summary",
    "edit_choose",
    "edit_file",
}


def _reprompt_if_busy(ctx: Ctx) -> None:
    if ctx.conv.state in BUSY_STATES:
        _reprompt(ctx)


def _applications_of(ctx: Ctx):
    condition = Q(contact=ctx.contact)
    if ctx.staff is not None:
        condition |= Q(submitted_by=ctx.staff)
    return Application.objects.filter(condition, office=ctx.office).select_related("service")


def _status_send(ctx: Ctx, *, code: str) -> None:
    applications = _applications_of(ctx)
    if code:
        application = applications.filter(tracking_code=code).first()
        if application is None:
            _text(ctx, m.status_not_found(code=code))
            return
        due = ""
        if application.due_at and application.status in OPEN_STATUSES:
            due = m.format_datetime(application.due_at, tz=ctx.office.time_zone)
        extra = ""
        if application.status == Status.RETURNED:
            extra = "\n".join(f"• {line}" for line in _open_review_lines(application))
        elif application.status in (Status.REJECTED, Status.CANCELLED) and application.close_reason:
            extra = application.close_reason
        _text(
            ctx,
            m.status_detail(
                code=application.tracking_code,
                service=application.service.short_name,
                status=application.get_status_display(),
                due=due,
                extra=extra,
            ),
            application=application,
        )
        return
    recent = list(applications.order_by("-created_at")[:8])
    if not recent:
        _text(ctx, m.status_none())
        return
    lines = [
        m.status_line(
            code=a.tracking_code,
            service=a.service.short_name,
            name=a.applicant_name if ctx.staff else "",
            status=a.get_status_display(),
        )
        for a in recent
    ]
    _text(ctx, m.status_list(lines=lines))


def _open_review_lines(application: Application) -> list[str]:
    return [
        m.returned_item(name=r.requirement.short_name, verdict=r.get_verdict_display(), reason=r.reason)
        for r in application.review_items.filter(resolved=False).select_related("requirement")
    ]


def _cancel_candidates(ctx: Ctx) -> list[Application]:
    found = list(
        _applications_of(ctx).filter(status__in=(Status.SUBMITTED, Status.RETURNED)).order_by("-created_at")[:9]
    )
    draft = ctx.application
    if draft is not None and draft.status == Status.DRAFT:
        found.insert(0, draft)
    return found


def _cancel_start(ctx: Ctx, *, code: str) -> None:
    candidates = _cancel_candidates(ctx)
    if code:
        candidates = [a for a in candidates if a.tracking_code == code]
    if not candidates:
        _text(ctx, m.cancel_nothing())
        _reprompt_if_busy(ctx)
        return
    if ctx.conv.state not in ("cancel_confirm", "cancel_choose"):
        ctx.data["cancel_return"] = ctx.conv.state
    if len(candidates) == 1:
        _cancel_confirm_send(ctx, candidates[0])
        return
    ctx.conv.state = "cancel_choose"
    _list(
        ctx,
        m.cancel_choose(),
        [
            (f"cancelapp:{a.pk}", a.tracking_code, f"{a.service.short_name} – {a.get_status_display()}")
            for a in candidates
        ],
    )


def _cancel_confirm_send(ctx: Ctx, application: Application) -> None:
    ctx.conv.state = "cancel_confirm"
    ctx.data["cancel_app"] = application.pk
    _buttons(
        ctx,
        m.cancel_confirm(code=application.tracking_code, service=application.service.short_name),
        [("cancel_yes", m.BTN_CANCEL_YES), ("cancel_no", m.BTN_CANCEL_NO)],
        application=application,
    )


def _on_cancel_choose(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if not choice.startswith("cancelapp:"):
        _cancel_back(ctx)
        return
    application = next((a for a in _cancel_candidates(ctx) if f"cancelapp:{a.pk}" == choice), None)
    if application is None:
        _cancel_back(ctx)
        return
    _cancel_confirm_send(ctx, application)


def _on_cancel_confirm(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice != "cancel_yes":
        _text(ctx, m.cancel_kept())
        _cancel_back(ctx)
        return
    application = next((a for a in _cancel_candidates(ctx) if a.pk == ctx.data.get("cancel_app")), None)
    if application is None:
        _text(ctx, m.cancel_nothing())
        _cancel_back(ctx)
        return
    try:
        cases.application_cancel(
            application=application,
            actor=None,
            reason=m.cancel_reason(),
            actor_label=_actor_label(ctx),
        )
    except cases.TransitionError as error:
        _text(ctx, m.not_allowed(reason=error.message))
        _cancel_back(ctx)
        return
    if ctx.application is not None and ctx.application.pk == application.pk:
        _reset(ctx)
    else:
        _cancel_back(ctx, reprompt=False)


def _cancel_back(ctx: Ctx, *, reprompt: bool = True) -> None:
    ctx.conv.state = ctx.data.pop("cancel_return", "menu") or "menu"
    ctx.data.pop("cancel_app", None)
    if ctx.conv.state in BUSY_STATES and reprompt:
        _reprompt(ctx)


def _actor_label(ctx: Ctx) -> str:
    return "" if ctx.staff else "warga"


# --- Menu and service information --------------------------------------------------------------------


def _services() -> list[Service]:
    order = {g.value: i for i, g in enumerate(Service.Group)}
    services = Service.objects.filter(is_active=True)
    return sorted(services, key=lambda s: (order.get(s.group, 99), s.sort_order, s.name))


def _menu_send(ctx: Ctx, *, greet: bool) -> None:
    services = _services()
    numbered = [s.short_name for s in services]
    staff_village = ""
    if ctx.staff is not None:
        staff_village = ", ".join(ctx.staff.villages.values_list("name", flat=True))
    body = m.menu_body(numbered=numbered, staff_village=staff_village)
    if greet:
        body = m.greeting(office_name=ctx.office.name, profile_name=ctx.contact.profile_name) + "\n\n" + body
    rows = []
    for group in Service.Group:
        members = [s for s in services if s.group == group.value]
        if members:
            rows.append((f"grp:{group.value}", str(group.label), ", ".join(s.short_name for s in members)))
    draft = ctx.application
    unfinished = draft is not None and draft.status in (Status.DRAFT, Status.RETURNED)
    if unfinished and ctx.conv.state in BUSY_STATES:
        ctx.data["resume_state"] = ctx.conv.state
    if unfinished and ctx.data.get("resume_state"):
        rows.insert(0, ("cmd:resume", str(m.ROW_RESUME), draft.service.short_name))
    rows.append(("cmd:status", str(m.ROW_MINE if ctx.staff else m.ROW_STATUS), ""))
    rows.append(("cmd:human", str(m.ROW_HUMAN), ""))
    ctx.conv.state = "menu"
    _list(ctx, body, rows, button=m.menu_button(), numbered=[f"svc:{s.code}" for s in services])


def _on_menu(ctx: Ctx) -> None:
    message = ctx.message
    if message.type in MEDIA_TYPES:
        _pending_add(ctx)
        _text(ctx, m.media_kept())
        return
    choice = _choice(ctx)
    if not choice and message.type in REPLY_TYPES and message.reply_id.startswith(("svc:", "grp:", "cmd:")):
        # A tap on an older menu message is still a clear wish.
        choice = message.reply_id
    if choice.startswith("svc:"):
        service = Service.objects.filter(code=choice[4:], is_active=True).first()
        if service is not None:
            _service_info_send(ctx, service)
            return
    if choice.startswith("grp:"):
        _group_send(ctx, choice[4:])
        return
    if choice == "cmd:status":
        _status_send(ctx, code="")
        return
    if choice == "cmd:human":
        _human_request(ctx)
        return
    if choice == "cmd:resume" and ctx.data.get("resume_state") and ctx.application is not None:
        ctx.conv.state = ctx.data.pop("resume_state")
        _text(ctx, m.resume(service=ctx.application.service.name), application=ctx.application)
        _reprompt(ctx)
        return
    if choice == "apply" and ctx.conv.state == "service_info":
        service = Service.objects.filter(pk=ctx.data.get("service")).first()
        if service is not None:
            _intake_start(ctx, service)
            return
    if choice == "menu":
        _menu_send(ctx, greet=False)
        return
    text = normalize(message.text) if message.type == "text" else ""
    guess = _service_guess(text) if text and text not in GREETINGS else None
    if isinstance(guess, Service):
        _service_info_send(ctx, guess)
        return
    if guess:
        _group_send(ctx, guess)
        return
    if text and text not in GREETINGS:
        application = _open_application(ctx)
        if application is not None:
            cases.application_note_add(
                application=application,
                actor=None,
                note=message.text,
                kind="citizen_message",
                actor_label=_actor_label(ctx) or "aparat desa",
            )
            _text(ctx, m.note_attached(code=application.tracking_code), application=application)
            return
        if ctx.contact.needs_human:
            # The citizen is talking to an officer (console); the menu would only interrupt.
            return
        _text(ctx, m.unknown_text())
    _menu_send(ctx, greet=text in GREETINGS)


def _service_guess(typed: str) -> Service | str | None:
    """A service (or a group of services) named in what the citizen typed: "akta lahir", "KTP hilang", "kk"."""
    if len(typed) < 2 or len(typed) > 40:
        return None
    services = _services()
    names = {s.pk: [_words(s.short_name), _words(s.name)] for s in services}
    wanted = _words(typed)

    def named(words: list[str]) -> bool:
        return all(any(word.startswith(w) for word in words) for w in wanted)

    matching = [s for s in services if any(named(words) for words in names[s.pk])]
    leading = [s for s in matching if any(words[0].startswith(wanted[0]) for words in names[s.pk])]
    pool = leading or matching
    if len(pool) == 1:
        return pool[0]
    if pool and len({s.group for s in pool}) == 1:
        return pool[0].group
    by_name = {" ".join(words): s for s in services for words in names[s.pk]}
    close = difflib.get_close_matches(" ".join(wanted), list(by_name), n=1, cutoff=0.75)
    return by_name[close[0]] if close else None


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-/+:,()]+", normalize(text)) if w] or [""]


def _open_application(ctx: Ctx) -> Application | None:
    if ctx.application is not None and ctx.application.status in OPEN_STATUSES:
        return ctx.application
    return _applications_of(ctx).filter(status__in=OPEN_STATUSES).order_by("-created_at").first()


def _group_send(ctx: Ctx, group: str) -> None:
    services = [s for s in _services() if s.group == group]
    if not services:
        _menu_send(ctx, greet=False)
        return
    if len(services) == 1:
        _service_info_send(ctx, services[0])
        return
    label = dict(Service.Group.choices).get(group, group)
    ctx.conv.state = "menu"
    _list(
        ctx,
        m.group_body(group=str(label)),
        [(f"svc:{s.code}", s.short_name, s.description) for s in services],
        button=m.menu_button(),
        section=str(label),
    )


def _slots_for(service: Service) -> list[list[int]]:
    """Requirements in order; alternatives (same alternative_group) share one slot."""
    slots: list[list[int]] = []
    groups: dict[str, list[int]] = {}
    for requirement in service.requirements.order_by("order", "pk"):
        key = requirement.alternative_group
        if key and key in groups:
            groups[key].append(requirement.pk)
            continue
        slot = [requirement.pk]
        if key:
            groups[key] = slot
        slots.append(slot)
    return slots


def _slot_requirements(slot: list[int]) -> list[Requirement]:
    by_id = Requirement.objects.in_bulk(slot)
    return [by_id[i] for i in slot if i in by_id]


def _service_info_send(ctx: Ctx, service: Service) -> None:
    files = []
    for slot in _slots_for(service):
        requirements = _slot_requirements(slot)
        if len(requirements) > 1:
            files.append(m.file_alternatives([r.name for r in requirements]))
        elif requirements[0].optional:
            files.append(m.file_optional(requirements[0].name, requirements[0].condition))
        else:
            files.append(requirements[0].name)
    deadline = ""
    if service.legal_deadline_days:
        deadline = m.deadline_info(
            days=service.legal_deadline_days, event=service.event_label, basis=service.legal_basis
        )
    info = m.service_info(
        name=service.name,
        description=service.description,
        files=files,
        who_may_apply=service.who_may_apply,
        needs_biometric=service.needs_biometric,
        deadline=deadline,
        turnaround_hours=service.target_working_hours,
    )
    ctx.conv.state = "service_info"
    ctx.data["service"] = service.pk
    if len(info) + 20 > 1024:
        _text(ctx, info)
        info = m.apply_now()
    else:
        info = info + "\n\n" + m.apply_now()
    _buttons(ctx, info, [("apply", m.BTN_APPLY), ("menu", m.BTN_MENU)])


# --- Intake: files ------------------------------------------------------------------------------------


def _intake_start(ctx: Ctx, service: Service) -> None:
    previous = ctx.application
    if previous is not None and previous.status == Status.DRAFT:
        cases.application_cancel(
            application=previous, actor=None, reason=m.cancel_reason(), actor_label=_actor_label(ctx)
        )
    fields: dict = {"contact": None if ctx.staff else ctx.contact}
    if ctx.staff is not None:
        fields["village"] = ctx.staff.villages.order_by("code").first()
    else:
        fields["phone"] = ctx.contact.phone or ""
        fields["applicant_name"] = ""
    try:
        application = cases.application_create(office=ctx.office, service=service, actor=ctx.staff, **fields)
    except cases.TransitionError as error:
        _text(ctx, m.not_allowed(reason=error.message))
        _menu_send(ctx, greet=False)
        return
    pending = ctx.data.get("pending", [])
    ctx.conv.application = application
    ctx.conv.data = {"mode": "intake", "slots": _slots_for(service), "slot": 0, "pending": pending}
    _text(ctx, m.intake_start(service=service.name, steps=len(ctx.data["slots"])), application=application)
    _slot_enter(ctx)


def _slot_enter(ctx: Ctx) -> None:
    slots = ctx.data.get("slots", [])
    index = ctx.data.get("slot", 0)
    if index >= len(slots):
        _slots_finished(ctx)
        return
    requirements = _slot_requirements(slots[index])
    ctx.data["pages"] = 0
    ctx.data.pop("req", None)
    if len(requirements) > 1:
        ctx.conv.state = "choose_alt"
        _list(
            ctx,
            _step_prefix(ctx) + m.choose_alternative(names=[r.short_name for r in requirements]),
            [(f"alt:{r.pk}", r.short_name, r.name) for r in requirements],
        )
        return
    ctx.data["req"] = requirements[0].pk
    _requirement_enter(ctx)


def _step_prefix(ctx: Ctx) -> str:
    return f"({ctx.data.get('slot', 0) + 1}/{len(ctx.data.get('slots', []))}) "


def _requirement(ctx: Ctx) -> Requirement | None:
    return Requirement.objects.filter(pk=ctx.data.get("req")).first()


def _requirement_enter(ctx: Ctx) -> None:
    requirement = _requirement(ctx)
    pending = ctx.data.get("pending", [])
    if pending:
        ctx.conv.state = "offer_pending"
        _buttons(
            ctx,
            m.pending_media_offer(count=len(pending), name=requirement.short_name),
            [("use", m.BTN_USE), ("no", m.BTN_NO)],
            application=ctx.application,
        )
        return
    _file_ask(ctx, requirement)


def _file_ask(ctx: Ctx, requirement: Requirement) -> None:
    ctx.conv.state = "collect"
    body = m.ask_file(
        name=requirement.name,
        instruction=requirement.instruction,
        optional=requirement.optional,
        condition=requirement.condition,
        step=ctx.data.get("slot", 0) + 1,
        steps=len(ctx.data.get("slots", [])),
    )
    if requirement.optional:
        _buttons(ctx, body, [("skip", m.BTN_SKIP)], application=ctx.application)
    else:
        ctx.data["options"] = []
        _text(ctx, body, application=ctx.application)


def _on_choose_alt(ctx: Ctx) -> None:
    if ctx.message.type in MEDIA_TYPES:
        _pending_add(ctx)
        _text(ctx, m.media_kept())
        _slot_enter(ctx)
        return
    choice = _choice(ctx)
    slot = ctx.data["slots"][ctx.data.get("slot", 0)]
    if choice.startswith("alt:") and int(choice[4:]) in slot:
        ctx.data["req"] = int(choice[4:])
        _requirement_enter(ctx)
        return
    _slot_enter(ctx)


def _on_offer_pending(ctx: Ctx) -> None:
    requirement = _requirement(ctx)
    if ctx.message.type in MEDIA_TYPES:
        ctx.conv.state = "collect"
        _media_receive(ctx, requirement, _media_info(ctx.message))
        return
    choice = _choice(ctx)
    if choice == "use":
        pending = ctx.data.pop("pending", [])
        for info in pending[:-1]:
            _attachment_add(ctx, requirement, info)
        ctx.conv.state = "collect"
        _media_receive(ctx, requirement, pending[-1])
    elif choice == "no":
        _file_ask(ctx, requirement)
    else:
        _requirement_enter(ctx)


def _accepts(requirement: Requirement, content_type: str) -> bool:
    if requirement.accepts == Requirement.Accepts.IMAGE:
        return content_type.startswith("image/")
    if requirement.accepts == Requirement.Accepts.PDF:
        return content_type == "application/pdf"
    return True


def _media_info(message: InboundMessage) -> dict:
    media = message.media
    return {
        "storage_name": media.file.name,
        "content_type": media.content_type,
        "size": media.size,
        "sha256": media.sha256,
        "original_name": media.original_name,
        "quality": media.quality or {},
        "wamid": message.wamid,
    }


def _attachment_add(ctx: Ctx, requirement: Requirement, info: dict) -> Attachment:
    application = ctx.application
    if ctx.data.get("mode") == "fix" and requirement.pk not in ctx.data.setdefault("replaced", []):
        # The reviewer's verdict stands in the history; the old files are kept but no longer current.
        application.attachments.filter(requirement=requirement, is_current=True).update(is_current=False)
        ctx.data["replaced"].append(requirement.pk)
    attachment = Attachment.objects.create(
        application=application,
        requirement=requirement,
        file=info["storage_name"],
        content_type=info["content_type"],
        size=info["size"],
        sha256=info["sha256"],
        original_name=info.get("original_name", ""),
        quality=info.get("quality") or {},
        wamid=info.get("wamid", ""),
        uploaded_by=ctx.staff,
    )
    ctx.data["pages"] = ctx.data.get("pages", 0) + 1
    return attachment


def _media_receive(ctx: Ctx, requirement: Requirement, info: dict) -> None:
    if not _accepts(requirement, info["content_type"]):
        _text(ctx, m.wrong_file_type(name=requirement.short_name, accepts=requirement.get_accepts_display()))
        return
    attachment = _attachment_add(ctx, requirement, info)
    problems = (info.get("quality") or {}).get("problems") or []
    if info["content_type"].startswith("image/") and problems:
        ctx.conv.state = "quality"
        ctx.data["flagged"] = attachment.pk
        ctx.data["problems"] = problems
        _buttons(
            ctx,
            m.file_quality_problem(name=requirement.short_name, problems=problems),
            [("replace", m.BTN_RESEND), ("keep", m.BTN_KEEP)],
            application=ctx.application,
        )
        return
    _received_send(ctx, requirement)


def _received_send(ctx: Ctx, requirement: Requirement) -> None:
    ctx.conv.state = "collect"
    _buttons(
        ctx,
        m.file_received(name=requirement.short_name, pages=ctx.data.get("pages", 0)),
        [("done", m.BTN_DONE), ("more", m.BTN_MORE)],
        application=ctx.application,
    )


def _on_collect(ctx: Ctx) -> None:
    requirement = _requirement(ctx)
    if requirement is None:
        _slot_enter(ctx)
        return
    if ctx.message.type in MEDIA_TYPES:
        _media_receive(ctx, requirement, _media_info(ctx.message))
        return
    choice = _choice(ctx)
    typed = normalize(ctx.message.text) if ctx.message.type == "text" else ""
    if choice == "done" or (typed in DONE_WORDS and ctx.data.get("pages")):
        if ctx.data.get("pages"):
            _slot_next(ctx)
        else:
            _text(ctx, m.file_required(name=requirement.short_name), application=ctx.application)
    elif choice == "more":
        _text(ctx, m.send_more(), application=ctx.application)
    elif choice == "skip" or (typed in ("lewati", "skip") and requirement.optional):
        if requirement.optional or ctx.data.get("pages"):
            _slot_next(ctx)
        else:
            _text(ctx, m.file_required(name=requirement.short_name), application=ctx.application)
    else:
        _text(ctx, m.file_expected(name=requirement.short_name), application=ctx.application)


def _on_quality(ctx: Ctx) -> None:
    requirement = _requirement(ctx)
    if ctx.message.type in MEDIA_TYPES:
        _flagged_drop(ctx)
        _media_receive(ctx, requirement, _media_info(ctx.message))
        return
    choice = _choice(ctx)
    if choice == "replace":
        _flagged_drop(ctx)
        ctx.conv.state = "collect"
        ctx.data["options"] = []
        _text(ctx, m.send_again(name=requirement.short_name), application=ctx.application)
    elif choice == "keep":
        ctx.data.pop("flagged", None)
        _received_send(ctx, requirement)
    else:
        _reprompt(ctx)


def _flagged_drop(ctx: Ctx) -> None:
    flagged = ctx.data.pop("flagged", None)
    if flagged and ctx.application is not None:
        deleted, _rows = Attachment.objects.filter(pk=flagged, application=ctx.application).delete()
        if deleted:
            ctx.data["pages"] = max(0, ctx.data.get("pages", 0) - 1)


def _slot_next(ctx: Ctx) -> None:
    if ctx.data.get("edit"):
        _summary_send(ctx)
        return
    ctx.data["slot"] = ctx.data.get("slot", 0) + 1
    _slot_enter(ctx)


def _slots_finished(ctx: Ctx) -> None:
    if ctx.data.get("mode") == "fix":
        application = ctx.application
        try:
            cases.application_resubmit(application=application, actor=ctx.staff, actor_label=_actor_label(ctx))
        except cases.TransitionError as error:
            _text(ctx, m.not_allowed(reason=error.message))
        _reset(ctx)
        return
    _field_ask(ctx, _fields(ctx)[0])


def _pending_add(ctx: Ctx) -> None:
    ctx.data.setdefault("pending", []).append(_media_info(ctx.message))


# --- Intake: identity and preferences -----------------------------------------------------------------


def _fields(ctx: Ctx) -> list[str]:
    fields = ["name", "nik"]
    if ctx.staff is not None:
        fields.append("phone")
    fields += ["village", "email", "delivery", "priority"]
    if ctx.application is not None and ctx.application.service.legal_deadline_days:
        fields.append("event_date")
    return fields


def _field_next(ctx: Ctx, current: str) -> None:
    fields = _fields(ctx)
    if ctx.data.get("edit") or current not in fields or current == fields[-1]:
        _summary_send(ctx)
        return
    _field_ask(ctx, fields[fields.index(current) + 1])


def _field_ask(ctx: Ctx, field: str) -> None:
    application = ctx.application
    ctx.data["options"] = []
    ctx.conv.state = field
    if field == "name":
        _text(ctx, m.ask_name(for_other=ctx.staff is not None), application=application)
    elif field == "nik":
        _text(ctx, m.ask_nik(), application=application)
    elif field == "phone":
        _text(ctx, m.ask_phone(), application=application)
    elif field == "village":
        _village_ask(ctx)
    elif field == "email":
        _buttons(ctx, m.ask_email(), [("skip", m.BTN_SKIP)], application=application)
    elif field == "delivery":
        buttons = [("deliv:whatsapp", m.BTN_WHATSAPP), ("deliv:pickup", m.BTN_PICKUP)]
        if application.email:
            buttons.insert(0, ("deliv:email", m.BTN_EMAIL))
        _buttons(ctx, m.ask_delivery(), buttons, application=application)
    elif field == "priority":
        _list(
            ctx,
            m.ask_priority(),
            [
                ("prio:none", m.ROW_PRIO_NONE, ""),
                ("prio:elderly", m.ROW_PRIO_ELDERLY, ""),
                ("prio:disability", m.ROW_PRIO_DISABILITY, ""),
                ("prio:both", m.ROW_PRIO_BOTH, ""),
            ],
        )
    elif field == "event_date":
        _text(ctx, m.ask_event_date(event=application.service.event_label), application=application)


def _save(ctx: Ctx, **fields: object) -> None:
    application = ctx.application
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated_at"])


def _typed(ctx: Ctx) -> str:
    return (ctx.message.text or "").strip() if ctx.message.type == "text" else ""


def _on_name(ctx: Ctx) -> None:
    name = re.sub(r"\s+", " ", _typed(ctx))
    if len(name) < 2 or len(name) > 150 or not re.search(r"[^\W\d_]", name) or re.search(r"\d{3,}", name):
        _text(ctx, m.invalid_name())
        return
    _save(ctx, applicant_name=name)
    _field_next(ctx, "name")


def _on_nik(ctx: Ctx) -> None:
    typed = _typed(ctx)
    if not typed:
        _field_ask(ctx, "nik")
        return
    check = nik_parse(value=typed, region_names=region_names)
    if not check.valid:
        _text(ctx, m.invalid_nik(errors=[e.message for e in check.errors]))
        return
    ctx.data["nik"] = check.nik
    ctx.conv.state = "nik_confirm"
    _nik_confirm_send(ctx, check)


def _nik_confirm_send(ctx: Ctx, check: object) -> None:
    _buttons(
        ctx,
        m.confirm_nik(
            nik=check.nik,
            birth_date=m.format_date(check.birth_date) if check.birth_date else "?",
            sex=m.sex_label(check.sex),
            warnings=[w.message for w in check.warnings],
        ),
        [("nik_ok", m.BTN_CORRECT), ("nik_wrong", m.BTN_WRONG)],
        application=ctx.application,
    )


def _on_nik_confirm(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice == "nik_ok" and ctx.data.get("nik"):
        _save(ctx, nik=ctx.data.pop("nik"))
        _field_next(ctx, "nik")
    elif choice == "nik_wrong":
        ctx.data.pop("nik", None)
        _field_ask(ctx, "nik")
    elif re.search(r"\d{6,}", _typed(ctx)):
        ctx.conv.state = "nik"
        _on_nik(ctx)
    else:
        _reprompt(ctx)


def _on_phone(ctx: Ctx) -> None:
    typed = _typed(ctx)
    if typed in ("-", "tidak ada", "tidak", "none"):
        _save(ctx, phone="")
        _field_next(ctx, "phone")
        return
    digits = phone_normalize(typed)
    if digits is None:
        _text(ctx, m.invalid_phone())
        return
    _save(ctx, phone=digits)
    _field_next(ctx, "phone")


def _regency_villages(ctx: Ctx):
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=ctx.office.regency_id + ".")


def _village_ask(ctx: Ctx, *, page: int = 0) -> None:
    if ctx.staff is not None:
        villages = list(ctx.staff.villages.order_by("code"))
        if len(villages) <= 1:
            if villages:
                _save(ctx, village=villages[0])
            _field_next(ctx, "village")
            return
        ctx.conv.state = "village"
        _list(ctx, m.ask_staff_village(), [(f"vil:{v.code}", v.name, "") for v in villages[:10]])
        return
    districts = list(Region.objects.filter(parent_id=ctx.office.regency_id, level=Region.Level.DISTRICT))
    ctx.conv.state = "district"
    rows = _page_rows([(f"dist:{d.code}", d.name, "") for d in districts], page=page, prefix="dpage")
    _list(ctx, m.ask_district(), rows)


def _page_rows(rows: list[tuple[str, str, str]], *, page: int, prefix: str) -> list[tuple[str, str, str]]:
    """One page of at most 10 rows; a "Berikutnya" row leads on, the last page wraps to the first."""
    if len(rows) <= 10:
        return rows
    start = page * ROWS_PER_PAGE
    chunk = rows[start : start + ROWS_PER_PAGE]
    more = start + ROWS_PER_PAGE < len(rows)
    next_page = page + 1 if more else 0
    total = (len(rows) + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE
    return [*chunk, (f"{prefix}:{next_page}", str(m.ROW_NEXT), f"{page + 1}/{total}")]


def _village_list_send(ctx: Ctx, district: Region, *, page: int = 0) -> None:
    villages = Region.objects.filter(parent=district, level=Region.Level.VILLAGE)
    ctx.conv.state = "village"
    ctx.data["district"] = district.code
    rows = _page_rows([(f"vil:{v.code}", v.name, "") for v in villages], page=page, prefix="vpage")
    _list(ctx, m.ask_village(district=district.name), rows)


def _village_search(ctx: Ctx, text: str) -> None:
    query = normalize(text)
    for prefix in ("desa ", "kelurahan ", "kel ", "ds "):
        query = query.removeprefix(prefix)
    villages = list(_regency_villages(ctx).select_related("parent"))
    scored = []
    for village in villages:
        name = normalize(village.name)
        ratio = difflib.SequenceMatcher(None, query, name).ratio()
        if query and (query in name or name in query):
            ratio = max(ratio, 0.9)
        scored.append((ratio, village))
    scored.sort(key=lambda pair: -pair[0])
    matches = [v for ratio, v in scored if ratio >= 0.6][:9]
    if not matches:
        _text(ctx, m.village_not_found(text=text))
        _village_ask(ctx)
        return
    ctx.conv.state = "village"
    ctx.data["district"] = ""
    _list(
        ctx,
        m.village_matches(),
        [(f"vil:{v.code}", v.name, f"Kec. {v.parent.name}" if v.parent else "") for v in matches],
    )


def _on_district(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice.startswith("dist:"):
        district = Region.objects.filter(
            code=choice[5:], parent_id=ctx.office.regency_id, level=Region.Level.DISTRICT
        ).first()
        if district is not None:
            _village_list_send(ctx, district)
            return
    if choice.startswith("dpage:"):
        _village_ask(ctx, page=int(choice[6:]))
        return
    typed = _typed(ctx)
    if typed:
        _village_search(ctx, typed)
        return
    _village_ask(ctx)


def _on_village(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice.startswith("vil:"):
        village = _regency_villages(ctx).filter(code=choice[4:]).first()
        if ctx.staff is not None:
            village = ctx.staff.villages.filter(code=choice[4:]).first()
        if village is not None:
            _save(ctx, village=village)
            _field_next(ctx, "village")
            return
    if choice.startswith("vpage:") and ctx.data.get("district"):
        district = Region.objects.filter(code=ctx.data["district"]).first()
        if district is not None:
            _village_list_send(ctx, district, page=int(choice[6:]))
            return
    typed = _typed(ctx)
    if typed and ctx.staff is None:
        _village_search(ctx, typed)
        return
    _reprompt(ctx)


def _on_email(ctx: Ctx) -> None:
    choice = _choice(ctx)
    typed = _typed(ctx)
    if choice == "skip" or normalize(typed) in ("-", "tidak", "tidak ada", "lewati", "skip", "no"):
        _save(ctx, email="")
        if ctx.application.delivery_preference == DeliveryPreference.EMAIL:
            _save(ctx, delivery_preference=DeliveryPreference.WHATSAPP)
        _field_next(ctx, "email")
        return
    email = typed.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        _text(ctx, m.invalid_email())
        return
    _save(ctx, email=email)
    _field_next(ctx, "email")


def _on_delivery(ctx: Ctx) -> None:
    choice = _choice(ctx)
    values = {
        "deliv:email": DeliveryPreference.EMAIL,
        "deliv:whatsapp": DeliveryPreference.WHATSAPP,
        "deliv:pickup": DeliveryPreference.PICKUP,
    }
    if choice in values:
        _save(ctx, delivery_preference=values[choice])
        _field_next(ctx, "delivery")
        return
    _reprompt(ctx)


def _on_priority(ctx: Ctx) -> None:
    choice = _choice(ctx)
    values = {
        "prio:none": (False, False),
        "prio:elderly": (True, False),
        "prio:disability": (False, True),
        "prio:both": (True, True),
    }
    if choice in values:
        elderly, disability = values[choice]
        _save(ctx, priority_elderly=elderly, priority_disability=disability)
        _field_next(ctx, "priority")
        return
    _reprompt(ctx)


MONTH_NAMES = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
    "december": 12,
    "dec": 12,
}


def date_parse(text: str, *, today: date) -> date | None:
    """17-08-2026, 17/8/26, 17.08.2026, 17 Agustus 2026, 2026-08-17; None if unreadable or in the future."""
    clean = normalize(text).replace("/", "-").replace(".", "-")
    parts = re.split(r"[\s-]+", clean)
    if len(parts) != 3:
        return None
    try:
        if len(parts[0]) == 4 and parts[0].isdigit():
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
        else:
            day = int(parts[0])
            month = int(parts[1]) if parts[1].isdigit() else MONTH_NAMES.get(parts[1], 0)
            year = int(parts[2])
        if year < 100:
            year += 2000 if 2000 + year <= today.year else 1900
        value = date(year, month, day)
    except ValueError:
        return None
    if value > today or value.year < 1900:
        return None
    return value


def _late_days(application: Application) -> int:
    service = application.service
    if not service.legal_deadline_days or application.event_date is None:
        return 0
    today = timezone.localdate()
    return max(0, (today - application.event_date).days - service.legal_deadline_days)


def _on_event_date(ctx: Ctx) -> None:
    value = date_parse(_typed(ctx), today=timezone.localdate())
    if value is None:
        _text(ctx, m.invalid_date())
        return
    _save(ctx, event_date=value)
    if _late_days(ctx.application):
        _late_notice_send(ctx)
        return
    _field_next(ctx, "event_date")


def _late_notice_send(ctx: Ctx) -> None:
    service = ctx.application.service
    ctx.conv.state = "late_notice"
    _buttons(
        ctx,
        m.late_notice(
            event=service.event_label,
            days=service.legal_deadline_days,
            basis=service.legal_basis,
            late_days=_late_days(ctx.application),
        ),
        [("continue", m.BTN_CONTINUE), ("cancel", m.BTN_CANCEL)],
        application=ctx.application,
    )


def _on_late_notice(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice == "continue":
        _field_next(ctx, "event_date")
    elif choice == "cancel":
        _cancel_start(ctx, code="")
    else:
        _reprompt(ctx)


# --- Summary, corrections and submission --------------------------------------------------------------


def _summary_send(ctx: Ctx) -> None:
    ctx.data.pop("edit", None)
    application = ctx.application
    application.refresh_from_db()
    empty = m.not_filled()
    lines = [(str(m.FIELD_TITLES["name"]), application.applicant_name or empty)]
    lines.insert(0, (str(m.FIELD_TITLES["service"]), application.service.name))
    lines.append((str(m.FIELD_TITLES["nik"]), application.nik or empty))
    if ctx.staff is not None:
        lines.append((str(m.FIELD_TITLES["phone"]), application.phone or empty))
    village = application.village
    lines.append(
        (
            str(m.FIELD_TITLES["village"]),
            f"{village.name}, Kec. {village.parent.name}" if village and village.parent else empty,
        )
    )
    lines.append((str(m.FIELD_TITLES["email"]), application.email or empty))
    lines.append((str(m.FIELD_TITLES["delivery"]), application.get_delivery_preference_display()))
    priority = [
        str(label)
        for flag, label in (
            (application.priority_elderly, m.ROW_PRIO_ELDERLY),
            (application.priority_disability, m.ROW_PRIO_DISABILITY),
        )
        if flag
    ]
    lines.append((str(m.FIELD_TITLES["priority"]), ", ".join(priority) or str(m.ROW_PRIO_NONE)))
    if application.service.legal_deadline_days:
        lines.append(
            (
                str(m.FIELD_TITLES["event_date"]),
                m.format_date(application.event_date) if application.event_date else empty,
            )
        )
    files = []
    counts: dict[int, int] = {}
    for attachment in application.attachments.filter(is_current=True):
        counts[attachment.requirement_id] = counts.get(attachment.requirement_id, 0) + 1
    for slot in ctx.data.get("slots", []):
        requirements = _slot_requirements(slot)
        sent = [r for r in requirements if counts.get(r.pk)]
        if sent:
            files.extend(f"{r.short_name}: {m.pages(counts[r.pk])}" for r in sent)
        else:
            files.append(f"{' / '.join(r.short_name for r in requirements)}: {m.skipped()}")
    late = m.summary_late_line() if _late_days(application) else ""
    ctx.conv.state = "summary"
    _buttons(
        ctx,
        m.summary(lines=lines, files=files, late=late),
        [("submit", m.BTN_SUBMIT), ("edit", m.BTN_EDIT), ("cancel", m.BTN_CANCEL)],
        application=application,
    )


def _on_summary(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice == "submit":
        _submit(ctx)
    elif choice == "edit":
        _edit_choose_send(ctx)
    elif choice == "cancel":
        _cancel_start(ctx, code="")
    else:
        _reprompt(ctx)


def _submit(ctx: Ctx) -> None:
    application = ctx.application
    missing = [f for f in ("applicant_name", "nik", "village") if not getattr(application, f)]
    if missing:
        _field_ask(ctx, {"applicant_name": "name", "nik": "nik", "village": "village"}[missing[0]])
        return
    try:
        cases.application_submit(application=application, actor=ctx.staff, actor_label=_actor_label(ctx))
    except cases.TransitionError as error:
        _text(ctx, m.not_allowed(reason=error.message))
        return
    _reset(ctx)


def _edit_choose_send(ctx: Ctx) -> None:
    ctx.conv.state = "edit_choose"
    fields = [f for f in _fields(ctx) if not (f == "village" and ctx.staff and ctx.staff.villages.count() <= 1)]
    rows = [(f"edit:{f}", str(m.FIELD_TITLES[f]), "") for f in fields]
    rows.append(("edit:files", str(m.FIELD_TITLES["files"]), ""))
    _list(ctx, m.ask_edit(), rows)


def _on_edit_choose(ctx: Ctx) -> None:
    choice = _choice(ctx)
    if choice == "edit:files":
        ctx.conv.state = "edit_file"
        rows = []
        for index, slot in enumerate(ctx.data.get("slots", [])):
            names = [r.short_name for r in _slot_requirements(slot)]
            rows.append((f"eslot:{index}", " / ".join(names), ""))
        _list(ctx, m.ask_edit_file(), rows[:10])
        return
    if choice.startswith("edit:") and choice[5:] in _fields(ctx):
        ctx.data["edit"] = True
        _field_ask(ctx, choice[5:])
        return
    _summary_send(ctx)


def _on_edit_file(ctx: Ctx) -> None:
    choice = _choice(ctx)
    slots = ctx.data.get("slots", [])
    if choice.startswith("eslot:") and int(choice[6:]) < len(slots):
        index = int(choice[6:])
        ctx.application.attachments.filter(requirement_id__in=slots[index]).delete()
        ctx.data["slot"] = index
        ctx.data["edit"] = True
        _slot_enter(ctx)
        return
    _summary_send(ctx)


def _reset(ctx: Ctx) -> None:
    """Back to the menu after a submission, cancellation or resubmission; keeps unused media."""
    pending = ctx.data.get("pending", [])
    queued = ctx.data.get("queued_fix")
    ctx.conv.state = "menu"
    ctx.conv.data = {"pending": pending} if pending else {}
    if queued:
        application = Application.objects.filter(pk=queued, status=Status.RETURNED).first()
        if application is not None:
            _fix_begin(ctx, application)


# --- Returned applications ---------------------------------------------------------------------------


def conversation_fix_start(*, application: Application, contact: Contact) -> None:
    """Called when an officer returned `application`: ask the contact for the flagged items only."""
    conv, _created = Conversation.objects.get_or_create(contact=contact)
    conv = Conversation.objects.select_for_update(of=("self",)).select_related("application").get(pk=conv.pk)
    ctx = Ctx(
        conv=conv,
        contact=contact,
        office=application.office,
        message=None,
        staff=_staff_link(contact=contact),
        quiet=not contact_window_open(contact=contact),
    )
    current = conv.application
    if conv.state in BUSY_STATES and current is not None and current.pk != application.pk:
        # Mid-way through another draft: finish that first, then the bot asks for these items.
        conv.data["queued_fix"] = application.pk
    else:
        _fix_begin(ctx, application)
    conv.save()


def _fix_begin(ctx: Ctx, application: Application) -> None:
    flagged = list(
        application.review_items.filter(resolved=False)
        .exclude(verdict="ok")
        .order_by("requirement__order")
        .values_list("requirement_id", flat=True)
        .distinct()
    )
    if not flagged:
        return
    pending = ctx.data.get("pending", [])
    ctx.conv.application = application
    ctx.conv.data = {"mode": "fix", "slots": [[r] for r in dict.fromkeys(flagged)], "slot": 0, "pending": pending}
    _slot_enter(ctx)


# --- Reprompt: the current question again -------------------------------------------------------------


def _reprompt(ctx: Ctx) -> None:
    state = ctx.conv.state
    if state in ("choose_alt",):
        _slot_enter(ctx)
    elif state == "collect":
        requirement = _requirement(ctx)
        if requirement is None:
            _slot_enter(ctx)
        elif ctx.data.get("pages"):
            _received_send(ctx, requirement)
        else:
            _file_ask(ctx, requirement)
    elif state == "offer_pending":
        _requirement_enter(ctx)
    elif state == "quality":
        requirement = _requirement(ctx)
        _buttons(
            ctx,
            m.file_quality_problem(name=requirement.short_name, problems=ctx.data.get("problems", [])),
            [("replace", m.BTN_RESEND), ("keep", m.BTN_KEEP)],
            application=ctx.application,
        )
    elif state == "nik_confirm":
        nik = ctx.data.get("nik")
        if nik:
            _nik_confirm_send(ctx, nik_parse(value=nik, region_names=region_names))
        else:
            _field_ask(ctx, "nik")
    elif state in ("name", "nik", "phone", "email", "delivery", "priority", "event_date"):
        _field_ask(ctx, state)
    elif state == "district":
        _village_ask(ctx)
    elif state == "village":
        district = Region.objects.filter(code=ctx.data.get("district") or "").first()
        if district is not None and ctx.staff is None:
            _village_list_send(ctx, district)
        else:
            _village_ask(ctx)
    elif state == "late_notice":
        _late_notice_send(ctx)
    elif state == "summary":
        _summary_send(ctx)
    elif state in ("edit_choose", "edit_file"):
        _edit_choose_send(ctx)
    elif state == "service_info":
        service = Service.objects.filter(pk=ctx.data.get("service")).first()
        if service is not None:
            _service_info_send(ctx, service)
        else:
            _menu_send(ctx, greet=False)
    elif state in ("cancel_confirm", "cancel_choose"):
        _cancel_back(ctx)
    else:
        _menu_send(ctx, greet=False)


HANDLERS = {
    "menu": _on_menu,
    "service_info": _on_menu,
    "choose_alt": _on_choose_alt,
    "offer_pending": _on_offer_pending,
    "collect": _on_collect,
    "quality": _on_quality,
    "name": _on_name,
    "nik": _on_nik,
    "nik_confirm": _on_nik_confirm,
    "phone": _on_phone,
    "district": _on_district,
    "village": _on_village,
    "email": _on_email,
    "delivery": _on_delivery,
    "priority": _on_priority,
    "event_date": _on_event_date,
    "late_notice": _on_late_notice,
    "summary": _on_summary,
    "edit_choose": _on_edit_choose,
    "edit_file": _on_edit_file,
    "cancel_confirm": _on_cancel_confirm,
    "cancel_choose": _on_cancel_choose,
}


# --- Village staff --------------------------------------------------------------------------------------


def _staff_link(*, contact: Contact) -> User | None:
    """The village staff member behind this WhatsApp number, linked on first sight."""
    user = contact.staff_user
    if user is None and contact.phone:
        user = (
            User.objects.filter(
                whatsapp_number__in=phone_variants(contact.phone),
                office_id=contact.office_id,
                is_active=True,
                role_grants__role=Role.VILLAGE_STAFF,
            )
            .distinct()
            .first()
        )
        if user is not None:
            contact.staff_user = user
            contact.save(update_fields=["staff_user"])
    if user is not None and user.is_active and user.has_role(Role.VILLAGE_STAFF):
        return user
    return None


# --- Draft expiry -------------------------------------------------------------------------------------


def bot_drafts_expire(*, now: datetime | None = None) -> int:
    """Expire drafts nobody touched for PENCET_DRAFT_EXPIRY_DAYS; the citizen gets a notice. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PENCET_DRAFT_EXPIRY_DAYS)
    stale = Application.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff).exclude(
        conversations__updated_at__gte=cutoff
    )
    count = 0
    for application in stale.iterator():
        with transaction.atomic():
            try:
                cases.application_expire(application=application)
            except cases.TransitionError:
                continue
            Conversation.objects.filter(application=application).update(state="menu", data={}, application=None)
        count += 1
    return count
