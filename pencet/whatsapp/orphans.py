"""Sends a worker left in the middle of the Graph call (SIGKILL, a crash, a lost machine): settled by Meta's
status, or sent once more when Meta never saw them.

The outbox claims a row (status `sending`, committed) before the HTTP call, so a worker that dies inside the call
leaves a row whose fate nobody knows: Meta may have accepted the message, or never received it. Every send carries
biz_opaque_callback_data = the row id, and Meta echoes it in the sent/delivered/read/failed statuses, which
statuses.py matches to the row even without a wamid. So, run by the outbox sweep:

1. A row `sending` for longer than WHATSAPP_SENDING_STALE_SECONDS has lost its worker (one attempt is a file read,
   an upload and a send, each within WHATSAPP_HTTP_TIMEOUT). It becomes `unknown` ("Belum pasti", error code
   awaiting_status) and waits for Meta's status until claimed_at + stale + WHATSAPP_STATUS_GRACE_SECONDS
   (next_attempt_at). The person's later messages wait behind it (outbox._outbox_claim_next): order is kept.
2. A status with its callback data settles it: sent/delivered/read record the wamid and it is never sent again;
   failed fails it. The later messages then go (statuses.py flushes the contact).
3. No status by then, and every webhook we received since the claim is processed (a backlog of our own is not
   silence from Meta): the message never reached Meta. It is queued again, first in its person's line, and goes
   out through the normal claim: a token of the pair-rate bucket, the same callback data. A late status of the
   first attempt still settles the row while it waits or is being sent again (no second send, or no third);
   once the second attempt has its own wamid such a status changes nothing and is logged as a duplicate.
4. A row already at WHATSAPP_MAX_ATTEMPTS stays `unknown` (error code unknown) for staff (admin › Pesan keluar).

The trade-off: if Meta did accept the first attempt but its status reaches us only after the grace window, the
citizen gets the message twice. Meta sends `sent` within seconds of accepting a message and step 3 waits out our
own backlog, so that takes Meta's webhooks running minutes late (an incident at Meta) or our webhook endpoint
being unreachable in those minutes, at the same time as a worker dying mid-call. A longer window makes that rarer
but keeps the citizen, and the rest of the conversation, waiting longer for a message that was lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from .hooks import status_listeners_notify
from .models import OutboundMessage, WebhookDelivery

logger = logging.getLogger(__name__)

AWAITING_STATUS = "awaiting_status"


def orphans_stale_after() -> timedelta:
    return timedelta(seconds=settings.WHATSAPP_SENDING_STALE_SECONDS)


def orphans_mark(*, now: datetime | None = None) -> datetime | None:
    """Step 1 (and 4): rows whose worker died mid-call become unknown. Returns the earliest moment one of them may
    be sent again (None when there is none), so the caller can look again right then."""
    now = now or timezone.now()
    stale = orphans_stale_after()
    wait = stale + timedelta(seconds=settings.WHATSAPP_STATUS_GRACE_SECONDS)
    orphans = OutboundMessage.objects.filter(status=OutboundMessage.Status.SENDING, claimed_at__lt=now - stale)
    spent = list(orphans.filter(attempts__gte=settings.WHATSAPP_MAX_ATTEMPTS).values_list("pk", flat=True))
    if spent:
        OutboundMessage.objects.filter(pk__in=spent, status=OutboundMessage.Status.SENDING).update(
            status=OutboundMessage.Status.UNKNOWN,
            next_attempt_at=None,
            error_code="unknown",
            error_message=_(
                "Pengirim berhenti saat mengirim pada percobaan terakhir; tidak dikirim ulang. "
                "Status dari WhatsApp akan memperbaruinya."
            ),
            updated_at=now,
        )
        for pk in spent:
            status_listeners_notify(message_id=pk)
    waiting = orphans.filter(attempts__lt=settings.WHATSAPP_MAX_ATTEMPTS)
    first = waiting.aggregate(first=Min("claimed_at"))["first"]
    if first is None:
        return None
    marked = waiting.update(
        status=OutboundMessage.Status.UNKNOWN,
        next_attempt_at=F("claimed_at") + wait,
        error_code=AWAITING_STATUS,
        error_message=_(
            "Pengirim berhenti saat mengirim. Menunggu status dari WhatsApp; bila tidak ada, pesan dikirim "
            "ulang satu kali."
        ),
        updated_at=now,
    )
    if marked:
        logger.warning("whatsapp outbox: %d message(s) left mid-call by a dead worker wait for a status", marked)
    return first + wait


def orphans_requeue(*, now: datetime | None = None) -> set[int]:
    """Step 3: rows whose wait passed with no status from Meta are queued again. Returns their contacts' ids."""
    now = now or timezone.now()
    due = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.UNKNOWN, next_attempt_at__isnull=False, next_attempt_at__lte=now, wamid=""
    ).values_list("pk", "contact_id", "claimed_at", "next_attempt_at")
    contacts = set()
    for pk, contact_id, claimed_at, until in due:
        if _statuses_pending(since=claimed_at or until, until=until):
            continue  # Meta's status may be among the webhooks not processed yet
        requeued = OutboundMessage.objects.filter(pk=pk, status=OutboundMessage.Status.UNKNOWN, wamid="").update(
            status=OutboundMessage.Status.QUEUED,
            next_attempt_at=None,
            error_code="resent",
            error_message=_("Tidak ada status dari WhatsApp setelah pengirim berhenti: dikirim ulang satu kali."),
            updated_at=now,
        )
        if requeued:
            logger.warning("whatsapp outbound %s: no status from Meta since its worker stopped; sending again", pk)
            contacts.add(contact_id)
    return contacts


def _statuses_pending(*, since: datetime, until: datetime) -> bool:
    """Whether a webhook received in [since, until] still waits to be processed (it may hold the status)."""
    return WebhookDelivery.objects.filter(
        processed_at__isnull=True, dead_at__isnull=True, received_at__gte=since, received_at__lte=until
    ).exists()
