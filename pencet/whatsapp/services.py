"""The WhatsApp channel's public services, one import for the apps built on it (bot, console, delivery, admin).

The channel knows no domain: inbound messages go to settings.WHATSAPP_INBOUND_HANDLER, outbound outcomes to
settings.WHATSAPP_STATUS_LISTENERS (hooks.py). The work lives in one module per concern:

    updates.py   the edge: a body read into updates of trusted shapes; crafted ones refused one by one
    webhook.py   signature, storing the raw POST (the row is the queue), the wake-up, processing, the sweep
    inbound.py   one inbound message: stored once, in order, handed to the handler; a refused file answered
    media.py     fetching, checking (pencet.lib.files) and storing an inbound photo or document
    contacts.py  who wrote: contacts by user id and/or phone, merged once linked
    outbox.py    outbox_enqueue and the sender (Huey task outbox_send_task): order, pacing, retries, templates
    statuses.py  sent/delivered/read/failed statuses from Meta
"""

from .contacts import contact_identify
from .inbound import inbound_message_receive
from .media import media_receive
from .outbox import (
    channel_alert_clear,
    channel_alert_raise,
    outbox_contact_flush,
    outbox_enqueue,
    outbox_send,
    outbox_sweep,
)
from .statuses import message_status_receive
from .webhook import (
    WebhookBodyInvalid,
    webhook_body_load,
    webhook_delivery_process,
    webhook_delivery_retry,
    webhook_delivery_run,
    webhook_delivery_store,
    webhook_signature_valid,
    webhook_sweep,
)

__all__ = [
    "WebhookBodyInvalid",
    "channel_alert_clear",
    "channel_alert_raise",
    "contact_identify",
    "inbound_message_receive",
    "media_receive",
    "message_status_receive",
    "outbox_contact_flush",
    "outbox_enqueue",
    "outbox_send",
    "outbox_sweep",
    "webhook_body_load",
    "webhook_delivery_process",
    "webhook_delivery_retry",
    "webhook_delivery_run",
    "webhook_delivery_store",
    "webhook_signature_valid",
    "webhook_sweep",
]
