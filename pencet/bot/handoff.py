"""Handing a conversation to an officer ("petugas", a voice note): Contact.needs_human shows it in the console, and
the bot keeps quiet in that conversation until the officer closes the hand-off (needs_human cleared) or
PENCET_HANDOFF_QUIET_HOURS working hours pass; a tap or a typed command before that brings the bot back."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from pencet.cases.services import office_working_time_add

from . import replies
from .conversation import Ctx
from .messages import menu as m
from .models import HandoffEntry


def quiet_hours() -> float:
    return settings.PENCET_HANDOFF_QUIET_HOURS


def handoff_start(ctx: Ctx, *, voice: bool = False) -> None:
    """Flag the contact for an officer and tell the citizen the bot will wait for them. A new hand-off remembers the
    message that asked (the console highlights it) and is nobody's until an officer takes it (pencet.bot.desk)."""
    if not ctx.contact.needs_human:
        ctx.contact.needs_human = True
        ctx.contact.save(update_fields=["needs_human"])
        conv = ctx.conv
        conv.handoff_message = ctx.message
        conv.assigned_to, conv.assigned_at = None, None
        if conv.pk is not None:
            HandoffEntry.objects.create(conversation=conv, action=HandoffEntry.Action.REQUESTED)
    ctx.data.handoff_at = timezone.now().isoformat()
    hours = {
        "opens_at": ctx.office.opens_at.strftime("%H.%M"),
        "closes_at": ctx.office.closes_at.strftime("%H.%M"),
        "quiet_hours": _hours_text(quiet_hours()),
    }
    replies.text(ctx, m.voice_to_officer(**hours) if voice else m.human_requested(**hours))


def _hours_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def handoff_until(ctx: Ctx) -> datetime | None:
    if not ctx.data.handoff_at:
        return None
    started = datetime.fromisoformat(ctx.data.handoff_at)
    return office_working_time_add(office=ctx.office, start=started, hours=quiet_hours())


def handoff_quiet(ctx: Ctx) -> bool:
    """Whether the bot should leave this message to the officer. Ends the quiet when the officer closed the
    hand-off (silently: the officer has answered) or the time-out passed (telling the citizen)."""
    if not ctx.data.handoff_at:
        return False
    ctx.contact.refresh_from_db(fields=["needs_human"])
    if not ctx.contact.needs_human:
        ctx.data.handoff_at = ""
        return False
    until = handoff_until(ctx)
    if until is not None and timezone.now() >= until:
        ctx.data.handoff_at = ""
        replies.text(ctx, m.human_timed_out())
        return False
    return True


def handoff_end(ctx: Ctx) -> None:
    """The citizen came back to the bot (a tap, a command): answer them again; the console flag stays."""
    ctx.data.handoff_at = ""
