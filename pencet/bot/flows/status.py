"""`status` and `status KODE`: the contact's applications (a village staff member's submissions too)."""

from pencet.cases.models import OPEN_STATUSES, Application, Status

from .. import replies, selectors
from ..commands import Command
from ..conversation import Ctx
from ..engine import Next, command, reask_if_busy
from ..messages import applications as m
from ..messages import common as mc


def status_send(ctx: Ctx, *, code: str) -> None:
    applications = selectors.applications_of(contact=ctx.contact, office=ctx.office, staff=ctx.staff)
    if code:
        application = applications.filter(tracking_code=code).first()
        if application is None:
            replies.text(ctx, m.status_not_found(code=code))
            return
        _detail_send(ctx, application)
        return
    recent = list(applications.order_by("-created_at")[:8])
    if not recent:
        replies.text(ctx, m.status_none())
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
    replies.text(ctx, m.status_list(lines=lines))


def _detail_send(ctx: Ctx, application: Application) -> None:
    due = ""
    if application.due_at and application.status in OPEN_STATUSES:
        due = mc.format_datetime(application.due_at, tz=ctx.office.time_zone)
    extra = ""
    if application.status == Status.RETURNED:
        extra = "\n".join(f"• {line}" for line in open_review_lines(application))
    elif application.status in (Status.REJECTED, Status.CANCELLED) and application.close_reason:
        extra = application.close_reason
    replies.text(
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


def open_review_lines(application: Application) -> list[str]:
    return [
        mc.returned_item(name=r.requirement.short_name, verdict=r.get_verdict_display(), reason=r.reason)
        for r in application.review_items.filter(resolved=False).select_related("requirement")
    ]


@command("status")
def _status_command(ctx: Ctx, parsed: Command) -> Next:
    status_send(ctx, code=parsed.code)
    return reask_if_busy(ctx)
