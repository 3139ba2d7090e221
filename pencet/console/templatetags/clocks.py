from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pencet.cases.clocks import application_stage_clocks
from pencet.cases.deadlines import application_legal_deadline
from pencet.cases.models import OPEN_STATUSES, Application, Status

register = template.Library()

# The office's part is running: not the citizen's turn (returned), not done (ready or closed).
_RUNNING = frozenset(OPEN_STATUSES) - {Status.RETURNED, Status.READY}


@register.inclusion_tag("console/clocks/_application_clock.html")
def application_clock(application: Application) -> dict:
    """The legal deadline and every stage's times, for the application page."""
    return {
        "application": application,
        "legal": application_legal_deadline(application=application),
        "stages": application_stage_clocks(application=application),
    }


def duration_short(span: timedelta) -> str:
    """2 hr 3 j / 1 j 20 mnt / 35 mnt: the two largest units, wall-clock time."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d hr %(hours)d j") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d j %(minutes)d mnt") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d mnt") % {"minutes": minutes}


@register.filter
def due_left(application: Application, now: datetime | None = None) -> SafeString | str:
    """Time left until the service's due moment, or time over it, for a queue row ("—" when no clock runs)."""
    if application.due_at is None or application.status not in _RUNNING:
        return "—"
    now = now or timezone.now()
    if application.due_at >= now:
        return format_html(
            '<span data-due="left">{}</span>', _("sisa %(time)s") % {"time": duration_short(application.due_at - now)}
        )
    over = _("lewat %(time)s") % {"time": duration_short(now - application.due_at)}
    return format_html('<span class="badge bad" data-due="over">{}</span>', over)
