"""SLA compliance from the service clocks: per stage, the share finished within its target in the period, and what
runs past its target right now.

A stage counts in the period it ended (the office's local dates); "within target" is the clock's own verdict
(StageTimer.target_met: working time, interruptions of SIAK stages excluded). Stages without a target (waiting for
the citizen, a pickup) are not counted. Overdue now is read the way the console's overdue list reads it
(cases.clocks_alerts.running_stages), so both always agree.
"""

from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.clocks_alerts import running_stages
from pencet.cases.models_clocks import StageTimer
from pencet.catalog.models import Stage

from .services import office_day_bounds

# Every stage the office's staff work, in the order of the path.
SLA_STAGES = tuple(stage for stage in Stage.values if stage != Stage.WAITING_CITIZEN)
OVERDUE_LIST_LIMIT = 50


def sla_compliance(*, offices: list[Office], date_from: date, date_to: date) -> list[dict]:
    """Per stage: how many with a target ended in the period, how many within it, and the share."""
    counts = {stage: {"total": 0, "met": 0} for stage in SLA_STAGES}
    for office in offices:
        start, _end = office_day_bounds(office=office, day=date_from)
        _start, end = office_day_bounds(office=office, day=date_to)
        found = (
            StageTimer.objects.filter(
                application__office=office,
                ended_at__gte=start,
                ended_at__lt=end,
                target_minutes__isnull=False,
                target_met__isnull=False,
                stage__in=SLA_STAGES,
            )
            .values("stage")
            .annotate(total=Count("id"), met=Count("id", filter=Q(target_met=True)))
        )
        for row in found:
            counts[row["stage"]]["total"] += row["total"]
            counts[row["stage"]]["met"] += row["met"]
    return [
        {
            "stage": stage,
            "label": str(Stage(stage).label),
            "total": c["total"],
            "met": c["met"],
            "late": c["total"] - c["met"],
            "share": c["met"] / c["total"] if c["total"] else None,
        }
        for stage, c in counts.items()
        if c["total"] or stage in (Stage.REVIEW, Stage.SIAK, Stage.VERIFICATION, Stage.SIGNATURE, Stage.DELIVERY)
    ]


def sla_overdue_now(*, offices: list[Office], now: datetime | None = None) -> dict:
    """What is past its stage's target now: the count per stage and the oldest first (at most 50 listed)."""
    now = now or timezone.now()
    items = []
    for office in offices:
        for row in running_stages(office=office, now=now):
            clock = row.clock
            if not clock.overdue:
                continue
            holder = row.application.claimed_by
            items.append(
                {
                    "office": office.code,
                    "tracking_code": row.application.tracking_code,
                    "service": row.application.service.name,
                    "stage": clock.stage,
                    "stage_label": clock.label,
                    "started_at": clock.started_at,
                    "due_at": clock.due_at,
                    "over_minutes": round(clock.working_seconds / 60) - (clock.target_minutes or 0),
                    "holder": (holder.get_full_name() or holder.username) if holder else "",
                    "paused": clock.paused,
                }
            )
    items.sort(key=lambda item: (-item["over_minutes"], item["tracking_code"]))
    per_stage = {stage: 0 for stage in SLA_STAGES}
    for item in items:
        per_stage[item["stage"]] += 1
    return {
        "count": len(items),
        "per_stage": [
            {"stage": stage, "label": str(Stage(stage).label), "count": count}
            for stage, count in per_stage.items()
            if count
        ],
        "items": items[:OVERDUE_LIST_LIMIT],
    }
