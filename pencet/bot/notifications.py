"""What the citizen is told when their application changes state (called by pencet.cases.services)."""

from pencet.cases.models import Application, Event


def application_notify(*, application: Application, event: Event) -> None:
    """Enqueue the WhatsApp message(s) an event causes, in the caller's transaction."""
