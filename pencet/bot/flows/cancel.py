"""`batal` / `batal KODE`: cancel the draft, or a submitted or returned application not yet accepted, after
confirmation; withdrawing goes back to the step the citizen was at (outside an intake, words that are neither
button are read there as a wish)."""

from pencet.cases import services as cases
from pencet.cases.models import Application, Status

from .. import replies, selectors
from ..commands import Command
from ..conversation import Ctx, State
from ..engine import Accept, Next, Quiet, command, current, goto, is_busy, reask_if_busy, step
from ..messages import applications as m
from ..messages import common as mc
from ..replies import choice
from . import fix

CANCEL_STATES = (State.CANCEL_CONFIRM, State.CANCEL_CHOOSE)


def _candidates(ctx: Ctx) -> list[Application]:
    mine = selectors.applications_of(contact=ctx.contact, office=ctx.office, staff=ctx.staff)
    found = list(mine.filter(status__in=(Status.SUBMITTED, Status.RETURNED)).order_by("-created_at")[:9])
    draft = ctx.application
    if draft is not None and draft.status == Status.DRAFT:
        found.insert(0, draft)
    return found


def cancel_start(ctx: Ctx, *, code: str) -> Next:
    candidates = _candidates(ctx)
    if code:
        candidates = [a for a in candidates if a.tracking_code == code]
    if not candidates:
        replies.text(ctx, m.cancel_nothing())
        return reask_if_busy(ctx)
    if ctx.state not in CANCEL_STATES:
        ctx.data.cancel_return = ctx.state
    if len(candidates) == 1:
        ctx.data.cancel_app = candidates[0].pk
        return State.CANCEL_CONFIRM
    return State.CANCEL_CHOOSE


def _back(ctx: Ctx, *, reask: bool = True) -> Next:
    target = State.parse(ctx.data.cancel_return)
    ctx.data.cancel_return, ctx.data.cancel_app = "", None
    return target if reask and is_busy(target) else Quiet(target)


def _choose_ask(ctx: Ctx) -> Next:
    candidates = _candidates(ctx)
    if not candidates:
        return _back(ctx)
    rows = [
        (f"cancelapp:{a.pk}", a.tracking_code, f"{a.service.short_name} – {a.get_status_display()}") for a in candidates
    ]
    replies.rows_list(ctx, m.cancel_choose(), rows)
    return None


def _choose_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    application = next((a for a in _candidates(ctx) if f"cancelapp:{a.pk}" == picked), None)
    if application is None:
        return _back(ctx)
    ctx.data.cancel_app = application.pk
    return State.CANCEL_CONFIRM


def _chosen(ctx: Ctx) -> Application | None:
    return next((a for a in _candidates(ctx) if a.pk == ctx.data.cancel_app), None)


def _confirm_ask(ctx: Ctx) -> Next:
    application = _chosen(ctx)
    if application is None:
        return _back(ctx)
    replies.buttons(
        ctx,
        m.cancel_confirm(code=application.tracking_code, service=application.service.short_name),
        [("cancel_yes", m.BTN_CANCEL_YES), ("cancel_no", m.BTN_CANCEL_NO)],
        application=application,
    )
    return None


def _confirm_answer(ctx: Ctx) -> Next:
    picked = choice(ctx)
    if picked != "cancel_yes":
        replies.text(ctx, m.cancel_kept())
        back = _back(ctx)
        if not picked and isinstance(back, Quiet) and ctx.message.type == "text":
            # Words that are neither button ("mau urus akta lahir") outside an intake are a wish: read them where
            # the citizen was, as if the question had not been asked. (In an intake they might pass for an answer.)
            goto(ctx, back)
            return current(ctx).answer(ctx)
        return back
    application = _chosen(ctx)
    if application is None:
        replies.text(ctx, m.cancel_nothing())
        return _back(ctx)
    try:
        cases.application_cancel(
            application=application, actor=None, reason=m.cancel_reason(), actor_label=ctx.actor_label
        )
    except cases.TransitionError as error:
        replies.text(ctx, mc.not_allowed(reason=error.message))
        return _back(ctx)
    if ctx.application is not None and ctx.application.pk == application.pk:
        return fix.reset(ctx)
    return _back(ctx, reask=False)


@command("cancel")
def _cancel_command(ctx: Ctx, parsed: Command) -> Next:
    return cancel_start(ctx, code=parsed.code)


CHOSEN = {Accept.CHOICE}
CANCEL_CONFIRM = step(State.CANCEL_CONFIRM, ask=_confirm_ask, answer=_confirm_answer, accepts=CHOSEN, busy=False)
CANCEL_CHOOSE = step(State.CANCEL_CHOOSE, ask=_choose_ask, answer=_choose_answer, accepts=CHOSEN, busy=False)
