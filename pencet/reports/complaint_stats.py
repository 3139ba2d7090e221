"""Complaints beside the IKM: opened, closed and answered late per period (pencet.surveys complaints).

- opened: filed in the period;
- closed: closed in the period (whenever filed);
- late: whose first answer fell due in the period and came after it, or has not come though the moment has passed;
- open now: not closed yet, of them past their answer's due moment.
Periods are the office's local dates.
"""

from datetime import date, datetime

from django.db.models import F, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.surveys.models import Complaint

from .services import office_day_bounds


def complaint_figures(*, offices: list[Office], date_from: date, date_to: date, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    figures = {"opened": 0, "closed": 0, "late": 0, "answered_in_time": 0, "open_now": 0, "open_late_now": 0}
    for office in offices:
        start, _end = office_day_bounds(office=office, day=date_from)
        _start, end = office_day_bounds(office=office, day=date_to)
        complaints = Complaint.objects.filter(office=office)
        figures["opened"] += complaints.filter(created_at__gte=start, created_at__lt=end).count()
        figures["closed"] += complaints.filter(closed_at__gte=start, closed_at__lt=end).count()
        due = complaints.filter(due_at__gte=start, due_at__lt=min(end, now))
        figures["late"] += due.filter(Q(answered_at__isnull=True) | Q(answered_at__gt=F("due_at"))).count()
        figures["answered_in_time"] += due.filter(answered_at__lte=F("due_at")).count()
        still_open = complaints.exclude(status=Complaint.Status.CLOSED)
        figures["open_now"] += still_open.count()
        figures["open_late_now"] += still_open.filter(answered_at__isnull=True, due_at__lt=now).count()
    return figures
