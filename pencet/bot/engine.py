"""The conversation engine: steps register here; a turn parses the message, runs an anytime command or the
current step, moves the conversation to the step the answer leads to and asks its question.

A step (see `Step`) is declared once, in its flow's module (pencet.bot.flows.*): what it asks, what it accepts
and a function that reads the answer and returns where to go next. This module is the only place that sets
Conversation.state. It knows no flow: flows import it, never the other way round.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import translation

from pencet.accounts.models import Office, User
from pencet.cases.models import Status
from pencet.whatsapp.models import Contact, InboundMessage

from . import handoff, matching, outside, replies
from .commands import Command, command_parse, form_request_parse
from .conversation import ConvData, Ctx, MediaInfo, State
from .messages import common as m
from .messages import files as mf
from .models import Conversation

logger = logging.getLogger(__name__)

# Message types the bot reads; everything else the channel hands over gets a polite answer.
READ_TYPES = ("text", *replies.REPLY_TYPES, *replies.MEDIA_TYPES)
MAX_HOPS = 12


class Accept(StrEnum):
    """What a step takes from the citizen."""

    # A tap on an offered option, or its number or title typed (typo-tolerant commands stay available).
    CHOICE = "choice"
    # Free typed data (a name, a NIK, an address): anytime commands must then be typed exactly.
    TEXT = "text"
    # A photo or PDF; elsewhere a file is kept and offered for the next requirement.
    FILE = "file"


@dataclass(frozen=True)
class Quiet:
    """Go to `state` without asking its question: the citizen was just told what comes next."""

    state: State


# Where an answer leads: a state (its question is asked, the same state asks again), Quiet(state), or None
# (stay: the step already answered, e.g. with what was wrong in the typed NIK).
Next = State | Quiet | None


@dataclass(frozen=True)
class Step:
    state: State
    # Send the question; may return another state instead (e.g. a slot with one requirement skips the choice).
    ask: Callable[[Ctx], Next]
    # Read ctx.message (a choice, text or file) and return where to go.
    answer: Callable[[Ctx], Next]
    accepts: frozenset[Accept]
    # Part of an application in progress: `menu` offers to resume it and "halo" repeats the question.
    busy: bool = True


STEPS: dict[State, Step] = {}
COMMANDS: dict[str, Callable[[Ctx, Command], Next]] = {}
# Called first on every message; one that returns True has answered it (a survey answer, a complaint tap).
BEFORE: list[Callable[[Ctx], bool]] = []


def step(
    state: State,
    *,
    ask: Callable[[Ctx], Next],
    answer: Callable[[Ctx], Next],
    accepts: set[Accept],
    busy: bool = True,
) -> Step:
    """Declare and register the step for `state` (once, at import of its flow module)."""
    if state in STEPS:
        raise RuntimeError(f"step {state} is declared twice")
    declared = Step(state=state, ask=ask, answer=answer, accepts=frozenset(accepts), busy=busy)
    STEPS[state] = declared
    return declared


def command(name: str) -> Callable[[Callable[[Ctx, Command], Next]], Callable[[Ctx, Command], Next]]:
    """Register the handler of an anytime command (names from pencet.bot.commands)."""

    def register(handler: Callable[[Ctx, Command], Next]) -> Callable[[Ctx, Command], Next]:
        COMMANDS[name] = handler
        return handler

    return register


def before(handler: Callable[[Ctx], bool]) -> Callable[[Ctx], bool]:
    """Register a handler that sees every message before the steps (pencet.bot.flows.feedback)."""
    BEFORE.append(handler)
    return handler


def current(ctx: Ctx) -> Step:
    return STEPS.get(ctx.state) or STEPS[State.MENU]


def goto(ctx: Ctx, target: Next) -> None:
    """Move the conversation to `target` and ask its question, following the steps that pass the turn on."""
    hops = 0
    while target is not None:
        hops += 1
        if hops > MAX_HOPS:
            raise RuntimeError(f"the steps keep passing the turn on (last: {target})")
        state = target.state if isinstance(target, Quiet) else target
        if hops == 1:
            ctx.came_from = ctx.state
        ctx.conv.state = state
        # A new question: answers to the previous one's options no longer count.
        ctx.data.options, ctx.data.hints = [], {}
        if isinstance(target, Quiet):
            return
        target = STEPS[state].ask(ctx)


def is_busy(state: State | None) -> bool:
    return state in STEPS and STEPS[state].busy


def reask(ctx: Ctx) -> Next:
    return ctx.state if ctx.state in STEPS else State.MENU


def reask_if_busy(ctx: Ctx) -> Next:
    return reask(ctx) if current(ctx).busy else None


def pending_add(ctx: Ctx) -> None:
    ctx.data.pending.append(MediaInfo.from_message(ctx.message))


# --- A turn ---------------------------------------------------------------------------------------------


def turn_run(*, message: InboundMessage, staff_of: Callable[[bool], User | None]) -> None:
    """Answer one inbound message, in the caller's transaction; an unexpected error still gets an answer.
    `staff_of(created)`: the village staff member writing, given whether their conversation starts now."""
    contact = message.contact
    with translation.override(contact.language or "id"):
        conv, created = _conversation_lock(contact=contact)
        staff = staff_of(created)
        ctx = Ctx(
            conv=conv,
            contact=contact,
            office=message.office,
            message=message,
            staff=staff,
            data=ConvData.from_dict(conv.data),
        )
        try:
            with transaction.atomic():
                if not _declined(ctx):
                    _dispatch(ctx, first=created or conv.state == State.NEW)
                conversation_save(ctx)
        except Exception:
            # A bug must not leave the citizen without an answer or stuck in a broken step.
            logger.exception("bot failed on inbound message %s; conversation reset to the menu", message.pk)
            conv.refresh_from_db()
            # Fresh data and a state that is no step of an application: the menu offers no draft to resume.
            conv.state = State.MENU
            ctx = Ctx(conv=conv, contact=contact, office=message.office, message=message, staff=staff, data=ConvData())
            Contact.objects.filter(pk=contact.pk).update(needs_human=True)
            replies.text(ctx, m.sorry())
            goto(ctx, State.MENU)
            conversation_save(ctx)


def conversation_open(*, contact: Contact, office: Office, staff: User | None, quiet: bool) -> Ctx:
    """The locked conversation of `contact` for a turn an officer's action starts (no inbound message)."""
    conv, _created = _conversation_lock(contact=contact)
    return Ctx(
        conv=conv,
        contact=contact,
        office=office,
        message=None,
        staff=staff,
        data=ConvData.from_dict(conv.data),
        quiet=quiet,
    )


def _conversation_lock(*, contact: Contact) -> tuple[Conversation, bool]:
    """The contact's conversation, locked for the turn (and whether it was just created): one statement for a
    contact who wrote before, two for one who never did."""
    locked = Conversation.objects.select_for_update(of=("self",)).select_related("application")
    conv = locked.filter(contact=contact).first()
    if conv is not None:
        return conv, False
    try:
        with transaction.atomic():
            # A row this transaction inserted is held by it until the commit: no lock to take, nothing to re-read.
            return Conversation.objects.create(contact=contact), True
    except IntegrityError:  # another worker's turn created it first (and committed): wait for its lock
        return locked.get(contact=contact), False


def conversation_save(ctx: Ctx) -> None:
    ctx.conv.data = ctx.data.to_dict()
    ctx.conv.save()


def _declined(ctx: Ctx) -> bool:
    """Videos, stickers, locations, contact cards and unknown types get a polite answer only; a voice note goes
    to an officer (someone who cannot type should not be sent away)."""
    message = ctx.message
    kind = message.type
    unreadable = kind not in READ_TYPES or (kind in replies.REPLY_TYPES and not message.reply_id)
    if not unreadable:
        return False
    if outside.inbound_hooks_answered(ctx):
        # Another app of the bot's layer took it (a location shared for a planned home visit).
        return True
    reason = f"type_{kind if kind in ('audio', 'video', 'sticker', 'location', 'contacts') else 'unsupported'}"
    InboundMessage.objects.filter(pk=message.pk).update(declined_reason=reason)
    if kind == "audio":
        if not handoff.handoff_quiet(ctx):
            handoff.handoff_start(ctx, voice=True)
        return True
    replies.text(ctx, m.declined(kind=kind))
    return True


def _answers_question(ctx: Ctx, here: Step) -> bool:
    """Typed words that answer the open question are never read as a command ("lansia" is not "manusia")."""
    return Accept.CHOICE in here.accepts and bool(
        replies.choice(ctx) or matching.resembles_option(ctx.message.text, replies.offered(ctx))
    )


def _command_find(ctx: Ctx, here: Step) -> Command | None:
    """A command typed as a whole message. An option's own title, number or yes/no comes first ("kirim
    permohonan" at the summary submits); then exact command words; typo-tolerance only where the words are no
    answer to the open question and the citizen is not typing free data."""
    message = ctx.message
    if message.type != "text":
        return None
    if Accept.CHOICE in here.accepts and replies.choice(ctx, loose=False):
        return None
    # "formulirnya dimana?": a sentence asking for a blank form, at any step (no name or NIK holds those words).
    form = form_request_parse(text=message.text)
    if form is not None:
        return form
    exact = command_parse(text=message.text, fuzzy=False)
    if exact is not None or Accept.TEXT in here.accepts or _answers_question(ctx, here):
        return exact
    return command_parse(text=message.text, fuzzy=True)


def _dispatch(ctx: Ctx, *, first: bool) -> None:
    message = ctx.message
    is_file = replies.is_file(ctx)
    here = current(ctx)
    for handler in BEFORE:
        if handler(ctx):
            return
    # After the survey and complaints (whose "berhenti" comes first), before any step.
    if outside.inbound_hooks_answered(ctx):
        return
    parsed = _command_find(ctx, here)
    if handoff.handoff_quiet(ctx):
        tapped = message.type in replies.REPLY_TYPES and replies.choice(ctx)
        if not (parsed or tapped or (is_file and Accept.FILE in here.accepts)):
            # Left to the officer, who reads it in the console.
            return
        handoff.handoff_end(ctx)
    if first:
        ctx.greet = True
        if parsed and parsed.name in ("english", "indonesian"):
            language_set(ctx, parsed.name)
        elif parsed and parsed.name not in ("menu", "help"):
            goto(ctx, State.MENU)
            goto(ctx, _command_run(ctx, parsed))
            return
        if message.type == "text" and not parsed:
            # "Assalamualaikum, KTP saya hilang": a short greeting and straight to what was asked; the menu
            # (with the greeting) when nothing was.
            ctx.conv.state = State.MENU
            goto(ctx, STEPS[State.MENU].answer(ctx))
            return
        if is_file and hasattr(message, "media"):
            pending_add(ctx)
        goto(ctx, State.MENU)
        if is_file:
            replies.text(ctx, mf.media_kept())
        return
    if parsed:
        goto(ctx, _command_run(ctx, parsed))
        return
    if is_file and not hasattr(message, "media"):
        replies.text(ctx, mf.media_missing())
        return
    if is_file and Accept.FILE not in here.accepts:
        _file_unasked(ctx)
        goto(ctx, reask(ctx))
        return
    if message.type == "text" and matching.is_greeting(message.text) and here.busy:
        # Back after a pause: say where we were instead of treating "halo" as an answer.
        if ctx.application is not None:
            replies.text(ctx, m.resume(service=ctx.application.service.name))
        goto(ctx, reask(ctx))
        return
    target = here.answer(ctx)
    unclear = target == ctx.state and ctx.state != State.MENU and message.type == "text"
    if unclear and Accept.TEXT not in here.accepts and ctx.data.options:
        # Typed words that fit no option: say which buttons there are instead of asking silently again.
        replies.text(ctx, m.tap_hint(titles=[t for _i, t in ctx.data.options]))
    goto(ctx, target)


def _file_unasked(ctx: Ctx) -> None:
    """A file sent while no file is asked: kept when a requirement is still to come, otherwise said plainly
    that it is not needed (nothing is kept that nobody will see)."""
    data = ctx.data
    intake_ahead = data.mode in ("intake", "fix") and data.slot < len(data.slots)
    no_application = ctx.application is None or ctx.application.status not in (Status.DRAFT, Status.RETURNED)
    if intake_ahead or (no_application and not is_busy(ctx.state)):
        pending_add(ctx)
        replies.text(ctx, mf.media_kept())
        return
    replies.text(ctx, mf.media_not_needed(summary=ctx.state in (State.SUMMARY, State.EDIT_CHOOSE, State.EDIT_FILE)))


def _command_run(ctx: Ctx, parsed: Command) -> Next:
    if parsed.name in ("english", "indonesian"):
        language_set(ctx, parsed.name)
        return reask(ctx)
    return COMMANDS[parsed.name](ctx, parsed)


def language_set(ctx: Ctx, name: str) -> None:
    language = "en" if name == "english" else "id"
    if ctx.contact.language != language:
        ctx.contact.language = language
        ctx.contact.save(update_fields=["language"])
    translation.activate(language)
    replies.text(ctx, m.language_switched())
