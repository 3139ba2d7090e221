"""Intake of the requirement files, one slot at a time: choose among alternatives, use files sent early,
collect pages, and answer a poor photo at once. Also used to fix returned items (mode "fix")."""

from pencet.cases import drafts
from pencet.cases import services as cases
from pencet.cases.models import Application, Status
from pencet.catalog.models import Requirement, Service

from .. import matching, replies, selectors
from ..commands import normalize
from ..conversation import ConvData, Ctx, MediaInfo, State
from ..engine import Accept, Next, Quiet, pending_add, step
from ..messages import applications as ma
from ..messages import common as mc
from ..messages import files as m
from ..replies import choice, is_file
from . import fix

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


def intake_start(ctx: Ctx, service: Service) -> Next:
    """A new draft for `service` (a draft under way is cancelled) and its first requirement."""
    previous = ctx.application
    if previous is not None and previous.status == Status.DRAFT:
        cases.application_cancel(
            application=previous, actor=None, reason=ma.cancel_reason(), actor_label=ctx.actor_label, replaced=True
        )
        # Said here, before the new draft's first question; the cancellation's own notice would come after it.
        replies.text(ctx, ma.draft_replaced(code=previous.tracking_code, service=previous.service.name))
    fields: dict = {"contact": None if ctx.staff else ctx.contact}
    if ctx.staff is not None:
        fields["village"] = ctx.staff.villages.order_by("code").first()
    else:
        fields["phone"] = ctx.contact.phone or ""
        fields["applicant_name"] = ""
    try:
        application = cases.application_create(office=ctx.office, service=service, actor=ctx.staff, **fields)
    except cases.TransitionError as error:
        replies.text(ctx, mc.not_allowed(reason=error.message))
        return State.MENU
    ctx.conv.application = application
    slots = selectors.slots_for(service=service)
    ctx.data = ConvData(mode="intake", slots=slots, slot=0, pending=ctx.data.pending)
    replies.text(ctx, m.intake_start(service=service.name, steps=len(slots)), application=application)
    return State.CHOOSE_ALT


def _requirement(ctx: Ctx) -> Requirement | None:
    return Requirement.objects.filter(pk=ctx.data.req).first() if ctx.data.req else None


# --- Entering a slot: alternatives ----------------------------------------------------------------------


def _slot_ask(ctx: Ctx) -> Next:
    """Enter the current slot: a choice among alternatives, or straight on to its one requirement."""
    data = ctx.data
    if data.slot >= len(data.slots):
        return _slots_finished(ctx)
    requirements = selectors.slot_requirements(slot=data.slots[data.slot])
    data.pages, data.req = 0, None
    if len(requirements) > 1:
        prefix = f"({data.slot + 1}/{len(data.slots)}) "
        replies.rows_list(
            ctx,
            prefix + m.choose_alternative(names=[r.short_name for r in requirements]),
            [(f"alt:{r.pk}", r.short_name, r.name) for r in requirements],
        )
        return None
    data.req = requirements[0].pk
    return State.OFFER_PENDING


def _slot_answer(ctx: Ctx) -> Next:
    if is_file(ctx):
        # A photo sent before saying which of the alternatives it is: this requirement's, once one is picked.
        pending_add(ctx)
        replies.text(ctx, m.media_kept_choose())
        return State.CHOOSE_ALT
    picked = choice(ctx)
    slot = ctx.data.slots[ctx.data.slot]
    if picked.startswith("alt:") and int(picked[4:]) in slot:
        ctx.data.req = int(picked[4:])
        return State.OFFER_PENDING
    return State.CHOOSE_ALT


def _slot_next(ctx: Ctx) -> Next:
    if ctx.data.edit:
        return State.SUMMARY
    ctx.data.slot += 1
    return State.CHOOSE_ALT


def _slots_finished(ctx: Ctx) -> Next:
    if ctx.data.mode == "fix":
        try:
            cases.application_resubmit(application=ctx.application, actor=ctx.staff, actor_label=ctx.actor_label)
        except cases.TransitionError as error:
            replies.text(ctx, mc.not_allowed(reason=error.message))
        return fix.reset(ctx)
    return State.NAME


# --- Files sent before they were asked for --------------------------------------------------------------


def _offer_ask(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    if not ctx.data.pending:
        return State.COLLECT
    replies.buttons(
        ctx,
        m.pending_media_offer(count=len(ctx.data.pending), name=requirement.short_name),
        [("use", m.BTN_USE), ("no", m.BTN_NO)],
        application=ctx.application,
    )
    return None


def _offer_answer(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    if is_file(ctx):
        return _media_receive(ctx, requirement, MediaInfo.from_message(ctx.message)) or Quiet(State.COLLECT)
    picked = choice(ctx)
    if picked == "use" and ctx.data.pending:
        return _pending_use(ctx, requirement)
    if picked == "no":
        return State.COLLECT
    return State.OFFER_PENDING


def _pending_use(ctx: Ctx, requirement: Requirement) -> Next:
    """Files sent early get the checks of a file sent on time: the type, and a poor photo is answered before
    it counts (the others wait behind it for the next page or requirement)."""
    pending, ctx.data.pending = ctx.data.pending, []
    usable = [p for p in pending if _accepts(requirement, p.content_type)]
    if not usable:
        ctx.data.pending = pending
        replies.text(ctx, m.wrong_file_type(name=requirement.short_name, accepts=requirement.get_accepts_display()))
        return Quiet(State.COLLECT)
    poor = [p for p in usable if p.content_type.startswith("image/") and p.problems]
    for info in usable:
        if info not in poor:
            _attachment_add(ctx, requirement, info)
    ctx.data.pending = [p for p in pending if p not in usable] + poor[1:]
    if poor:
        return _media_receive(ctx, requirement, poor[0])
    return State.COLLECT


# --- Collecting pages -----------------------------------------------------------------------------------


def _collect_ask(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    if ctx.data.pages:
        replies.buttons(
            ctx,
            m.file_received(name=requirement.short_name, pages=ctx.data.pages),
            [("done", m.BTN_DONE), ("more", m.BTN_MORE)],
            application=ctx.application,
        )
        return None
    body = m.ask_file(
        name=requirement.name,
        instruction=requirement.instruction,
        optional=requirement.optional,
        condition=requirement.condition,
        step=ctx.data.slot + 1,
        steps=len(ctx.data.slots),
        form=requirement.form,
    )
    if requirement.optional:
        replies.buttons(ctx, body, [("skip", mc.BTN_SKIP)], application=ctx.application)
    else:
        replies.text(ctx, body, application=ctx.application)
    return None


def _collect_answer(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    if is_file(ctx):
        return _media_receive(ctx, requirement, MediaInfo.from_message(ctx.message))
    picked = choice(ctx)
    typed = normalize(ctx.message.text) if ctx.message.type == "text" else ""
    pages = ctx.data.pages
    if picked == "done" or (typed in DONE_WORDS and pages):
        if pages:
            return _slot_next(ctx)
        replies.text(ctx, m.file_required(name=requirement.short_name), application=ctx.application)
    elif picked == "more":
        replies.text(ctx, m.send_more(), application=ctx.application)
    elif picked == "skip" or (requirement.optional and (typed in ("lewati", "skip") or _says_none(typed))):
        if requirement.optional or pages:
            return _slot_next(ctx)
        replies.text(ctx, m.file_required(name=requirement.short_name), application=ctx.application)
    else:
        replies.text(ctx, m.file_expected(name=requirement.short_name), application=ctx.application)
    return None


def _says_none(typed: str) -> bool:
    """ "tidak ada", "gak punya", "belum ada": the citizen has no such document (only asked of optional ones)."""
    return matching.yes_or_no(typed) == "no"


def _accepts(requirement: Requirement, content_type: str) -> bool:
    if requirement.accepts == Requirement.Accepts.IMAGE:
        return content_type.startswith("image/")
    if requirement.accepts == Requirement.Accepts.PDF:
        return content_type == "application/pdf"
    return True


def _attachment_add(ctx: Ctx, requirement: Requirement, info: MediaInfo) -> int:
    # Fixing a returned item: the first new file supersedes the old ones (kept, no longer current).
    supersede = ctx.data.mode == "fix" and requirement.pk not in ctx.data.replaced
    attachment = drafts.attachment_add(
        application=ctx.application,
        requirement=requirement,
        file_name=info.storage_name,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        original_name=info.original_name,
        quality=info.quality,
        wamid=info.wamid,
        supersede=supersede,
        actor=ctx.staff,
        actor_label=ctx.actor_label,
    )
    if supersede:
        ctx.data.replaced.append(requirement.pk)
    ctx.data.pages += 1
    return attachment.pk


def _media_receive(ctx: Ctx, requirement: Requirement, info: MediaInfo) -> Next:
    if not _accepts(requirement, info.content_type):
        replies.text(ctx, m.wrong_file_type(name=requirement.short_name, accepts=requirement.get_accepts_display()))
        return None
    attachment_id = _attachment_add(ctx, requirement, info)
    if info.content_type.startswith("image/") and info.problems:
        ctx.data.flagged, ctx.data.problems = attachment_id, info.problems
        return State.QUALITY
    return State.COLLECT


# --- A poor photo ---------------------------------------------------------------------------------------


def _quality_ask(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    replies.buttons(
        ctx,
        m.file_quality_problem(name=requirement.short_name, problems=ctx.data.problems),
        [("replace", m.BTN_RESEND), ("keep", m.BTN_KEEP)],
        application=ctx.application,
    )
    return None


def _quality_answer(ctx: Ctx) -> Next:
    requirement = _requirement(ctx)
    if requirement is None:
        return State.CHOOSE_ALT
    if is_file(ctx):
        _flagged_drop(ctx)
        return _media_receive(ctx, requirement, MediaInfo.from_message(ctx.message))
    picked = choice(ctx)
    if picked == "replace":
        _flagged_drop(ctx)
        replies.text(ctx, m.send_again(name=requirement.short_name), application=ctx.application)
        return Quiet(State.COLLECT)
    if picked == "keep":
        ctx.data.flagged = None
        return State.COLLECT
    return State.QUALITY


def _flagged_drop(ctx: Ctx) -> None:
    flagged, ctx.data.flagged = ctx.data.flagged, None
    if flagged and ctx.application is not None:
        removed = drafts.attachments_remove(
            application=ctx.application, attachment_ids=[flagged], actor=ctx.staff, actor_label=ctx.actor_label
        )
        if removed:
            ctx.data.pages = max(0, ctx.data.pages - 1)


def slot_files_remove(ctx: Ctx, application: Application, index: int) -> Next:
    """Correcting a slot's files from the summary: its files go and the slot is asked again."""
    drafts.attachments_remove(
        application=application,
        requirement_ids=ctx.data.slots[index],
        actor=ctx.staff,
        actor_label=ctx.actor_label,
    )
    ctx.data.slot, ctx.data.edit = index, True
    return State.CHOOSE_ALT


FILES = {Accept.CHOICE, Accept.FILE}
CHOOSE_ALT = step(State.CHOOSE_ALT, ask=_slot_ask, answer=_slot_answer, accepts=FILES)
OFFER_PENDING = step(State.OFFER_PENDING, ask=_offer_ask, answer=_offer_answer, accepts=FILES)
COLLECT = step(State.COLLECT, ask=_collect_ask, answer=_collect_answer, accepts=FILES)
QUALITY = step(State.QUALITY, ask=_quality_ask, answer=_quality_answer, accepts=FILES)
