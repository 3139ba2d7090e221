"""Event subscriber: an application's change recomputes the day bucket it was received in."""

from pencet.cases.models import Event

from .services import daily_stats_rebuild, office_local_date


def report_event_record(*, event: Event) -> None:
    # Recomputing the whole bucket from source makes a retried or repeated event harmless (idempotent).
    if not event.to_status and event.kind not in ("return", "sign"):
        return
    application = event.application
    if application.submitted_at is None:
        return
    office = application.office
    daily_stats_rebuild(office=office, day=office_local_date(office=office, moment=application.submitted_at))
