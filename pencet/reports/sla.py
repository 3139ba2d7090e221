"""SLA compliance from the service clocks: per stage, the share finished within its target in the period, and what
runs past its target right now.

A stage counts in the period it ended (the office's local dates); "within target" is the clock's own verdict
(StageTimer.target_met: working time, interruptions of SIAK stages excluded), summed from the daily StageStat rows.
Stages without a target (waiting for the citizen, a pickup) are not counted.

Overdue now = an open application's running stage whose due moment (StageTimer.due_at, set when the stage starts and
pushed when an interruption ends) has passed: one indexed query, whatever the volume. While an interruption is still
open the SIAK stages' due moments have not been pushed yet: those are listed as paused.
"""

from datetime import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from pencet.accounts.models import Office
from pencet.cases.clocks import SIAK_STAGES, office_calendar, office_interruption_open
from pencet.cases.clocks_alerts import stage_timers_overdue
from pencet.catalog.models import Stage
from pencet.lib.calendar import calendar_between

from .models_sections import StageStat

# Every stage the office's staff work, in the order of the path.
SLA_STAGES = tuple(stage for stage in Stage.values if stage != Stage.WAITING_CITIZEN)
# Shown even when nothing ended in the period: the stages the seed's promise is made of.
ALWAYS_SHOWN = (Stage.REVIEW, Stage.SIAK, Stage.VERIFICATION, Stage.SIGNATURE, Stage.DELIVERY)
OVERDUE_LIST_LIMIT = 50


def sla_compliance(*, offices: list[Office], date_from, date_to) -> list[dict]:
    """Per stage: how many with a target ended in the period, how many within it, and the share."""
    sums = {
        row["stage"]: row
        for row in StageStat.objects.filter(office__in=offices, day__gte=date_from, day__lte=date_to)
        .values("stage")
        .annotate(total=Sum("total"), met=Sum("met"))
    }
    rows = []
    for stage in SLA_STAGES:
        total = sums.get(stage, {}).get("total") or 0
        met = sums.get(stage, {}).get("met") or 0
        if total or stage in ALWAYS_SHOWN:
            rows.append(
                {
                    "stage": stage,
                    "label": str(Stage(stage).label),
                    "total": total,
                    "met": met,
                    "late": total - met,
                    "share": met / total if total else None,
                }
            )
    return rows


def sla_overdue_now(*, offices: list[Office], now: datetime | None = None) -> dict:
    """What is past its stage's due moment now: the count per stage and the longest overdue first (50 listed, with
    how many working minutes past it)."""
    now = now or timezone.now()
    overdue = stage_timers_overdue(offices=offices, now=now)
    per_stage = dict(overdue.values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    listed = overdue.select_related("application__office", "application__service", "application__claimed_by").order_by(
        "due_at", "pk"
    )[:OVERDUE_LIST_LIMIT]
    calendars, interrupted, items = {}, {}, []
    for timer in listed:
        application = timer.application
        office = application.office
        if office.pk not in calendars:
            calendars[office.pk] = office_calendar(office=office)
            interrupted[office.pk] = office_interruption_open(office=office) is not None
        over = calendar_between(calendar=calendars[office.pk], start=timer.due_at, end=now)
        holder = application.claimed_by
        items.append(
            {
                "office": office.code,
                "tracking_code": application.tracking_code,
                "service": application.service.name,
                "stage": timer.stage,
                "stage_label": str(Stage(timer.stage).label),
                "started_at": timer.started_at,
                "due_at": timer.due_at,
                "over_minutes": round(over.total_seconds() / 60),
                "holder": (holder.get_full_name() or holder.username) if holder else "",
                "paused": interrupted[office.pk] and timer.stage in SIAK_STAGES,
            }
        )
    return {
        "count": sum(per_stage.values()),
        "per_stage": [
            {"stage": stage, "label": str(Stage(stage).label), "count": per_stage[stage]}
            for stage in SLA_STAGES
            if per_stage.get(stage)
        ],
        "items": items,
    }
