from datetime import timedelta

from django.utils import timezone

from .models import ChannelAlert, Contact

# Meta's customer-service window; a minute of margin so a message never arrives just after it closed.
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=1)


def contact_window_open(*, contact: Contact) -> bool:
    """Whether a free-form message may be sent now (the citizen wrote within the last 24 hours)."""
    if contact.last_inbound_at is None:
        return False
    return timezone.now() < contact.last_inbound_at + WINDOW - WINDOW_MARGIN


def channel_alerts_open(*, office_id: int | None = None) -> list[ChannelAlert]:
    """Open alerts that concern an office (its own and channel-wide ones), newest first."""
    alerts = ChannelAlert.objects.filter(cleared_at__isnull=True)
    if office_id is not None:
        alerts = alerts.filter(office_id__in=[office_id]) | alerts.filter(office__isnull=True)
    return list(alerts.order_by("-created_at"))


def channel_sending_stopped() -> bool:
    return ChannelAlert.objects.filter(cleared_at__isnull=True, stops_sending=True).exists()
