"""Event subscriber: a document ready for pickup offers the citizen the pickup desk's hours."""

from pencet.cases.models import DeliveryPreference, Event, EventKind, Status
from pencet.whatsapp.selectors import contact_window_open

from .conversation import pickup_offer
from .sending import contact_language


def pickup_offer_on_ready(*, event: Event) -> None:
    application = event.application
    if event.kind != EventKind.SIGN or application.status != Status.READY:
        return
    if application.delivery_preference != DeliveryPreference.PICKUP or application.contact is None:
        return
    if application.bookings.exists() or not contact_window_open(contact=application.contact):
        # A list cannot go out as a template: outside the window the "ready" template asks the citizen to reply.
        return
    with contact_language(application.contact):
        pickup_offer(application=application)
