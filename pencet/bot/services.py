"""The citizen's WhatsApp conversation: the entry points other apps call. The conversation itself is a
package of steps: pencet.bot.engine runs a turn, pencet.bot.flows.* declare the steps.

    bot_handle_inbound(*, message)                    the channel's inbound handler, inside its transaction
    conversation_fix_start(*, application, contact)   an officer returned `application`: ask for the items
    bot_drafts_expire(*, now=None) -> int             periodic: drafts untouched for PENCET_DRAFT_EXPIRY_DAYS
"""

from datetime import datetime

from django.db import transaction
from django.utils import translation

from pencet.cases.models import Application
from pencet.whatsapp.models import Contact, InboundMessage
from pencet.whatsapp.selectors import contact_window_open

from . import engine, expiry
from .dates import date_parse
from .flows import fix, staff

__all__ = ["bot_drafts_expire", "bot_handle_inbound", "conversation_fix_start", "date_parse"]


@transaction.atomic
def bot_handle_inbound(*, message: InboundMessage) -> None:
    """Answer one new inbound message from a contact of a known office (any type the channel hands over)."""
    engine.turn_run(message=message, staff_of=lambda created: staff.staff_link(contact=message.contact, look=created))


@transaction.atomic
def conversation_fix_start(*, application: Application, contact: Contact) -> None:
    """Ask `contact` for the items an officer flagged on `application` (after the draft under way, if any)."""
    ctx = engine.conversation_open(
        contact=contact,
        office=application.office,
        staff=staff.staff_link(contact=contact),
        quiet=not contact_window_open(contact=contact),
    )
    with translation.override(contact.language or "id"):
        engine.goto(ctx, fix.fix_queue_or_begin(ctx, application))
    engine.conversation_save(ctx)


def bot_drafts_expire(*, now: datetime | None = None) -> int:
    """Expire drafts nobody touched for PENCET_DRAFT_EXPIRY_DAYS; the citizen gets a notice. Returns how many."""
    return expiry.drafts_expire(now=now)
