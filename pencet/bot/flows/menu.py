"""The service menu, a group of services, a service's information; `menu`, `bantuan` and `petugas`."""

import difflib
import re

from pencet.cases import services as cases
from pencet.cases.models import OPEN_STATUSES, Status
from pencet.catalog.models import Service

from .. import handoff, matching, outside, replies, selectors
from ..commands import Command, normalize
from ..conversation import Ctx, State
from ..engine import Accept, Next, command, is_busy, pending_add, reask_if_busy, step
from ..messages import common as mc
from ..messages import files as mf
from ..messages import menu as m
from ..replies import choice, is_file
from . import files, status


def _services(ctx: Ctx) -> list[Service]:
    if ctx.services is None:
        ctx.services = selectors.services_active()
    return ctx.services


def _menu_ask(ctx: Ctx) -> Next:
    services = _services(ctx)
    staff_village = ""
    if ctx.staff is not None:
        staff_village = ", ".join(ctx.staff.villages.values_list("name", flat=True))
    body = m.menu_body(numbered=[s.short_name for s in services], staff_village=staff_village)
    if ctx.brief:
        ctx.brief = False
        body = m.menu_brief(profile_name=ctx.contact.profile_name)
    elif ctx.greet:
        ctx.greet = False
        body = m.greeting(office_name=ctx.office.name, profile_name=ctx.contact.profile_name) + "\n\n" + body
    rows = []
    for group in Service.Group:
        members = [s for s in services if s.group == group.value]
        if members:
            rows.append((f"grp:{group.value}", str(group.label), ", ".join(s.short_name for s in members)))
    draft = ctx.application
    unfinished = draft is not None and draft.status in (Status.DRAFT, Status.RETURNED)
    if unfinished and is_busy(ctx.came_from):
        ctx.data.resume_state = ctx.came_from
    if unfinished and ctx.data.resume_state:
        rows.insert(0, ("cmd:resume", str(m.ROW_RESUME), draft.service.short_name))
    rows.append(("cmd:status", str(m.ROW_MINE if ctx.staff else m.ROW_STATUS), ""))
    rows.append(("cmd:human", str(m.ROW_HUMAN), ""))
    replies.rows_list(ctx, body, rows, button=m.menu_button(), numbered=[f"svc:{s.code}" for s in services])
    return None


def _menu_answer(ctx: Ctx) -> Next:
    message = ctx.message
    if is_file(ctx):
        pending_add(ctx)
        replies.text(ctx, mf.media_kept())
        return None
    picked = choice(ctx, loose=False)
    if not picked and message.type in replies.REPLY_TYPES and message.reply_id.startswith(("svc:", "grp:", "cmd:")):
        # A tap on an older menu message is still a clear wish.
        picked = message.reply_id
    if picked:
        return _picked_go(ctx, picked)
    typed = message.text if message.type == "text" else ""
    if not typed.strip():
        return State.MENU
    return _understand(ctx, typed)


def _service_shown(ctx: Ctx) -> Service | None:
    """The service whose description the citizen was shown (and may apply for)."""
    return Service.objects.filter(pk=ctx.data.service).first() if ctx.data.service else None


def _picked_go(ctx: Ctx, picked: str) -> Next:
    if picked.startswith("svc:"):
        service = Service.objects.filter(code=picked[4:], is_active=True).first()
        if service is not None:
            ctx.data.service = service.pk
            return State.SERVICE_INFO
    if picked.startswith("grp:"):
        return _group_go(ctx, picked[4:])
    if picked == "cmd:status":
        status.status_send(ctx, code="")
        return None
    if picked == "cmd:human":
        human_request(ctx)
        return None
    if picked == "cmd:resume" and ctx.data.resume_state and ctx.application is not None:
        resumed = State.parse(ctx.data.resume_state)
        ctx.data.resume_state = ""
        replies.text(ctx, mc.resume(service=ctx.application.service.name), application=ctx.application)
        return resumed
    if picked == "apply" and ctx.state == State.SERVICE_INFO:
        service = _service_shown(ctx)
        draft = ctx.application
        if service is not None and draft is not None and draft.status == Status.DRAFT and draft.attachments.exists():
            # One draft per conversation: a new one closes the old, and photos already sent are not lost unasked.
            return State.REPLACE_CONFIRM
        if service is not None:
            return files.intake_start(ctx, service)
    if picked == "menu":
        return State.MENU
    return State.MENU


def _understand(ctx: Ctx, typed: str) -> Next:
    """Free words at the menu: thanks, a greeting, a sentence naming a service, or a note for the officers."""
    if matching.is_thanks(typed):
        replies.text(ctx, m.thanks_reply())
        return None
    if matching.is_greeting(typed):
        # The first time the greeting and the whole menu; afterwards a short hello and the list of groups.
        ctx.brief = not ctx.greet
        return State.MENU
    request = matching.greeting_strip(typed)
    # Someone whose application is being processed and who tells (not asks) is telling us about it.
    if _is_news(request) and _note_attach(ctx):
        return None
    target = _service_named(ctx, request)
    if target is not None:
        if ctx.greet:
            ctx.greet = False
            replies.text(ctx, m.greeting(office_name=ctx.office.name, profile_name=ctx.contact.profile_name))
        return target
    picked = choice(ctx)
    if picked:
        return _picked_go(ctx, picked)
    if _note_attach(ctx):
        return None
    if ctx.greet:
        return State.MENU
    if ctx.state == State.SERVICE_INFO and (service := _service_shown(ctx)):
        # The two buttons under a long list of files are out of sight by now: ask the question again, short.
        replies.buttons(ctx, m.unknown_at_service(service=service.name), [("apply", m.BTN_APPLY), ("menu", m.BTN_MENU)])
        return None
    replies.text(ctx, m.unknown_text())
    return None


def _is_news(request: str) -> bool:
    """A sentence that tells rather than asks ("KTP saya hilang waktu banjir kemarin", not "mau urus KTP")."""
    said = matching.words(request)
    return len(said) > 3 and not any(w in REQUEST_WORDS for w in said)


REQUEST_WORDS = {"mau", "ingin", "pengen", "bikin", "buat", "membuat", "urus", "mengurus", "ngurus", "daftar"}
REQUEST_WORDS |= {"ajukan", "mengajukan", "cara", "bagaimana", "gimana", "syarat", "persyaratan", "minta", "perlu"}


def _service_named(ctx: Ctx, request: str) -> Next:
    """The service, the likely services or the group a sentence names; None when it names none."""
    services = _services(ctx)
    named = matching.services_named(request, [s.code for s in services])
    if len(named) == 1:
        ctx.data.service = next(s.pk for s in services if s.code == named[0])
        return State.SERVICE_INFO
    if named:
        ctx.data.group, ctx.data.likely = "", named
        return State.GROUP
    group = matching.document_group_named(request)
    if group:
        return _group_go(ctx, group)
    guess = service_guess(normalize(request))
    if isinstance(guess, Service):
        ctx.data.service = guess.pk
        return State.SERVICE_INFO
    if guess:
        return _group_go(ctx, guess)
    return None


def _note_attach(ctx: Ctx) -> bool:
    """Free text while an application is being processed goes to the officers as a note on it."""
    application = ctx.application
    if application is None or application.status not in OPEN_STATUSES:
        application = selectors.application_open_latest(contact=ctx.contact, office=ctx.office, staff=ctx.staff)
    if application is None:
        return False
    cases.application_note_add(
        application=application,
        actor=None,
        note=ctx.message.text,
        kind="citizen_message",
        actor_label=ctx.actor_label or "aparat desa",
    )
    replies.text(ctx, m.note_attached(code=application.tracking_code), application=application)
    return True


def service_guess(typed: str) -> Service | str | None:
    """A service (or a group of services) named in what the citizen typed: "akta lahir", "KTP hilang", "kk"."""
    if len(typed) < 2 or len(typed) > 40:
        return None
    services = selectors.services_active()
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


def _group_go(ctx: Ctx, group: str) -> Next:
    services = [s for s in _services(ctx) if s.group == group]
    if not services:
        return State.MENU
    if len(services) == 1:
        ctx.data.service = services[0].pk
        return State.SERVICE_INFO
    ctx.data.group, ctx.data.likely = group, []
    return State.GROUP


def _group_ask(ctx: Ctx) -> Next:
    group = ctx.data.group
    if ctx.data.likely:
        services = [s for s in _services(ctx) if s.code in ctx.data.likely]
        label, body = str(m.LIKELY_SECTION), m.likely_body()
    else:
        services = [s for s in _services(ctx) if s.group == group]
        label = str(dict(Service.Group.choices).get(group, group))
        body = m.group_body(group=label)
    if not services:
        return State.MENU
    replies.rows_list(
        ctx,
        body,
        [(f"svc:{s.code}", s.short_name, s.description) for s in services],
        button=m.menu_button(),
        section=label,
    )
    return None


def _service_info_ask(ctx: Ctx) -> Next:
    service = _service_shown(ctx)
    if service is None:
        return State.MENU
    listed = []
    for slot in selectors.slots_for(service=service):
        requirements = selectors.slot_requirements(slot=slot)
        if len(requirements) > 1:
            listed.append(mf.file_alternatives([r.name for r in requirements]))
        elif requirements[0].optional:
            listed.append(m.file_optional(requirements[0].name, requirements[0].condition))
        else:
            listed.append(requirements[0].name)
    deadline = ""
    if service.legal_deadline_days:
        deadline = m.deadline_info(
            days=service.legal_deadline_days, event=service.event_label, basis=service.legal_basis
        )
    info = m.service_info(
        name=service.name,
        description=service.description,
        files=listed,
        who_may_apply=service.who_may_apply,
        needs_biometric=service.needs_biometric,
        deadline=deadline,
        turnaround_hours=service.target_working_hours,
        forms=selectors.service_form_codes(service=service),
    )
    question = m.apply_now()
    if len(info) + len(question) + 2 > replies.client.MAX_INTERACTIVE_BODY:
        replies.text(ctx, info)
        info = question
    else:
        info = info + "\n\n" + question
    replies.buttons(ctx, info, [("apply", m.BTN_APPLY), ("menu", m.BTN_MENU)])
    outside.service_info_hooks_run(ctx, service)
    return None


def _replace_ask(ctx: Ctx) -> Next:
    service = _service_shown(ctx)
    draft = ctx.application
    if service is None or draft is None or draft.status != Status.DRAFT:
        return State.SERVICE_INFO if service is not None else State.MENU
    replies.buttons(
        ctx,
        m.replace_confirm(
            old=draft.service.name, code=draft.tracking_code, files=draft.attachments.count(), new=service.name
        ),
        [("replace_yes", m.BTN_REPLACE), ("cmd:resume", m.ROW_RESUME)],
        application=draft,
    )
    return None


def _replace_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked == "replace_yes":
        service = _service_shown(ctx)
        return files.intake_start(ctx, service) if service is not None else State.MENU
    if picked == "cmd:resume":
        return _picked_go(ctx, picked)  # back where the draft was, or the menu when that is not known
    return State.REPLACE_CONFIRM


def human_request(ctx: Ctx) -> None:
    handoff.handoff_start(ctx)


@command("menu")
def _menu_command(ctx: Ctx, parsed: Command) -> Next:
    return State.MENU


@command("help")
def _help_command(ctx: Ctx, parsed: Command) -> Next:
    replies.text(ctx, m.help_text())
    return reask_if_busy(ctx)


@command("human")
def _human_command(ctx: Ctx, parsed: Command) -> Next:
    human_request(ctx)
    return None


ANSWERS = {Accept.CHOICE, Accept.FILE}
MENU = step(State.MENU, ask=_menu_ask, answer=_menu_answer, accepts=ANSWERS, busy=False)
GROUP = step(State.GROUP, ask=_group_ask, answer=_menu_answer, accepts=ANSWERS, busy=False)
SERVICE_INFO = step(State.SERVICE_INFO, ask=_service_info_ask, answer=_menu_answer, accepts=ANSWERS, busy=False)
REPLACE_CONFIRM = step(
    State.REPLACE_CONFIRM, ask=_replace_ask, answer=_replace_answer, accepts={Accept.CHOICE}, busy=False
)
