"""Every aggregate of an office rebuilt from source (`pencet reports-rebuild`): the application, officer and return
aggregates (services) and the sections' closures and stage results (section_stats), over the same days."""

from datetime import date

from django.db.models import Min
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.models import Application

from .section_stats import section_stats_rebuild_range
from .services import office_local_date, report_stats_rebuild_range


def reports_rebuild_office(*, office: Office, date_from: date | None = None, date_to: date | None = None) -> int:
    """From the office's first application (or date_from) to today (or date_to); returns the days rebuilt."""
    today = office_local_date(office=office, moment=timezone.now())
    if date_from is None:
        first = Application.objects.filter(office=office, submitted_at__isnull=False).aggregate(m=Min("submitted_at"))
        date_from = office_local_date(office=office, moment=first["m"]) if first["m"] else today
    date_to = date_to or today
    report_stats_rebuild_range(office=office, date_from=date_from, date_to=date_to)
    # Closures and stage ends happen after the submission: up to the last day asked for, whatever was received.
    section_stats_rebuild_range(office=office, date_from=date_from, date_to=date_to)
    return max(0, (date_to - date_from).days + 1)
