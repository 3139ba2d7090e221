"""Returned applications: the bot asks for the items an officer flagged, then resubmits the same application.

Also the way back to the menu after an application is finished (submitted, cancelled, resubmitted), which
starts a fix that was queued while the contact was busy with another draft.
"""

from pencet.cases.models import Application, ReviewItem, Status

from .. import replies
from ..conversation import ConvData, Ctx, State
from ..engine import Next, Quiet, is_busy
from ..messages import applications as m


def fix_queue_or_begin(ctx: Ctx, application: Application) -> Next:
    """An officer returned `application`: ask for the flagged items now, or after the draft under way."""
    current = ctx.application
    if is_busy(ctx.state) and current is not None and current.pk != application.pk:
        ctx.data.queued_fix = application.pk
        replies.text(ctx, m.fix_queued(code=application.tracking_code, service=current.service.short_name))
        return None
    return fix_begin(ctx, application)


def fix_begin(ctx: Ctx, application: Application) -> Next:
    flagged = list(
        application.review_items.filter(resolved=False)
        .exclude(verdict=ReviewItem.Verdict.OK)
        .order_by("requirement__order")
        .values_list("requirement_id", flat=True)
        .distinct()
    )
    if not flagged:
        return None
    ctx.conv.application = application
    ctx.data = ConvData(mode="fix", slots=[[r] for r in dict.fromkeys(flagged)], slot=0, pending=ctx.data.pending)
    return State.CHOOSE_ALT


def reset(ctx: Ctx) -> Next:
    """Back to the menu after a submission, cancellation or resubmission; keeps unused media."""
    queued = ctx.data.queued_fix
    ctx.data = ConvData(pending=ctx.data.pending)
    if queued:
        application = Application.objects.filter(pk=queued, status=Status.RETURNED).first()
        if application is not None:
            started = fix_begin(ctx, application)
            if started is not None:
                return started
    return Quiet(State.MENU)
