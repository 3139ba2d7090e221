"""Complaints beside the IKM: opened, closed and answered late per period (pencet.surveys complaints).

- opened: filed in the period;
- closed: closed in the period (whenever filed);
- late: whose first answer fell due in the period and came after it, or has not come though the moment has passed;
- open now: not closed yet, of them past their answer's due moment.
Periods are the office's local dates.
"""

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.surveys.models import Complaint

from .services import office_day_bounds, office_zone


def complaint_figures(*, offices: list[Office], date_from: date, date_to: date, now: datetime | None = None) -> dict:
    """One counting query over the offices of each time zone (a province's offices share one), not six per office."""
    now = now or timezone.now()
    figures = {"opened": 0, "closed": 0, "late": 0, "answered_in_time": 0, "open_now": 0, "open_late_now": 0}
    zones: dict[str, list[Office]] = defaultdict(list)
    for office in offices:
        zones[office_zone(office=office).key].append(office)
    for same_zone in zones.values():
        start, _end = office_day_bounds(office=same_zone[0], day=date_from)
        _start, end = office_day_bounds(office=same_zone[0], day=date_to)
        due = Q(due_at__gte=start, due_at__lt=min(end, now))
        still_open = ~Q(status=Complaint.Status.CLOSED)
        counts = Complaint.objects.filter(office__in=same_zone).aggregate(
            opened=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
            closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
            late=Count("id", filter=due & (Q(answered_at__isnull=True) | Q(answered_at__gt=F("due_at")))),
            answered_in_time=Count("id", filter=due & Q(answered_at__lte=F("due_at"))),
            open_now=Count("id", filter=still_open),
            open_late_now=Count("id", filter=still_open & Q(answered_at__isnull=True, due_at__lt=now)),
        )
        for name, value in counts.items():
            figures[name] += value
    return figures
