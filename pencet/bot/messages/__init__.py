"""Every text the citizen reads from the bot, as gettext source strings (Bahasa Indonesia; English via locale/en).

One module per flow (menu, files, identity, summary, applications, notify) plus `common`. Functions return
finished strings; call them inside translation.override(contact.language). Titles are cut to Meta's limits
(pencet.whatsapp.client) where they are sent, in pencet.bot.replies.

The names below are re-exported for `pencet.bot.notifications` (`from . import messages as m`).
"""

from .common import format_date, format_datetime, returned_item
from .notify import (
    notify_accepted,
    notify_cancelled,
    notify_cards_pickup,
    notify_delivered,
    notify_document_handed_over,
    notify_document_signed,
    notify_due_changed,
    notify_expired,
    notify_in_process,
    notify_picked_up,
    notify_ready_pickup,
    notify_ready_sent,
    notify_rejected,
    notify_resubmitted,
    notify_returned,
    notify_submitted,
    receipt_caption,
)

__all__ = [
    "format_date",
    "format_datetime",
    "notify_accepted",
    "notify_cancelled",
    "notify_delivered",
    "notify_due_changed",
    "notify_expired",
    "notify_in_process",
    "notify_picked_up",
    "notify_ready_pickup",
    "notify_cards_pickup",
    "notify_document_handed_over",
    "notify_document_signed",
    "notify_ready_sent",
    "notify_rejected",
    "notify_resubmitted",
    "notify_returned",
    "notify_submitted",
    "receipt_caption",
    "returned_item",
]
