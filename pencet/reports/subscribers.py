"""Event subscriber: an application's change recomputes the aggregates it touches.

The day the application was received (its counts and durations), the day the officer did the work (their
throughput and review times) and, for a return, the day's return reasons. Recomputing from source makes a retried or
repeated event harmless (idempotent).
"""

from pencet.cases.events import event_subscriber
from pencet.cases.models import Event, EventKind

from .services import (
    OFFICER_KINDS,
    REVIEW_ENDS,
    daily_stats_rebuild,
    office_local_date,
    officer_stats_rebuild,
    return_reason_stats_rebuild,
)


def _touches_figures(event: Event) -> bool:
    return bool(
        event.to_status
        or event.kind in (EventKind.RETURN, EventKind.SIGN)
        or (event.actor_id and (event.kind in OFFICER_KINDS or event.kind in REVIEW_ENDS))
    )


@event_subscriber(when=_touches_figures)
def report_event_record(*, event: Event) -> None:
    application = event.application
    office = application.office
    if (event.to_status or event.kind in (EventKind.RETURN, EventKind.SIGN)) and application.submitted_at:
        daily_stats_rebuild(office=office, day=office_local_date(office=office, moment=application.submitted_at))
    done_on = office_local_date(office=office, moment=event.created_at)
    if event.actor_id and (event.kind in OFFICER_KINDS or event.kind in REVIEW_ENDS):
        officer_stats_rebuild(office=office, day=done_on, actor_id=event.actor_id)
    if event.kind == EventKind.RETURN:
        return_reason_stats_rebuild(office=office, day=done_on)
