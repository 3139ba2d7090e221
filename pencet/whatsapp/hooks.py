"""Where the channel hands over: the one inbound handler and the status listeners, both named in settings.

    settings.WHATSAPP_INBOUND_HANDLER = "pencet.bot.services.bot_handle_inbound"     fn(*, message: InboundMessage)
    settings.WHATSAPP_STATUS_LISTENERS = ["pencet.delivery.services.delivery_outbound_update"]
                                                                                       fn(*, message: OutboundMessage)

A listener may carry `outbound_kinds` (a set of OutboundMessage.Kind values): it is then called only for rows of
those kinds. Resolved with import_string at each call, as Django does with EMAIL_BACKEND, so the channel imports
nothing of the conversation or the delivery and a test can point either setting at a recorder of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from .models import InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)


def inbound_handler() -> Callable[..., None]:
    """The function that answers an inbound message (raises ImportError when the setting names none)."""
    return import_string(settings.WHATSAPP_INBOUND_HANDLER)


def inbound_handle(*, message: InboundMessage) -> None:
    inbound_handler()(message=message)


def status_listeners_notify(*, message_id: int, message: OutboundMessage | None = None) -> None:
    """Tell every listener that an outbound row was sent, failed or got a status from Meta.

    `message`: the row as just written, when the caller has it (the outbox after a send), so it is not read again.
    Each listener runs in a savepoint and its failure is logged, not raised: the outbox row's outcome is already
    true, and listeners keep their own periodic catch-up (e.g. delivery's deliveries_whatsapp_sync).
    """
    paths = list(settings.WHATSAPP_STATUS_LISTENERS)
    if not paths:
        return
    if message is None:
        message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    for path in paths:
        listener = import_string(path)
        kinds = getattr(listener, "outbound_kinds", None)
        if kinds is not None and message.kind not in kinds:
            continue  # the listener said which kinds of row it follows: no savepoint (a transaction on SQLite)
        try:
            with transaction.atomic():
                listener(message=message)
        except Exception:
            logger.exception("whatsapp status listener %s failed on outbound %s", path, message_id)
