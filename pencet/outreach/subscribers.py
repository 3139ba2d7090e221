"""Event subscribers: a submitted application that needs the citizen in person offers the service days near their
village and the recording desk; a document ready for pickup offers the pickup desk's hours."""

from pencet.cases.events import event_subscriber
from pencet.cases.models import DeliveryPreference, Event, EventKind, Status
from pencet.whatsapp.selectors import contact_window_open

from .conversation import in_person_offer, pickup_offer
from .sending import contact_language


@event_subscriber(when=lambda event: event.kind == EventKind.SIGN)
def pickup_offer_on_ready(*, event: Event) -> None:
    application = event.application
    if event.kind != EventKind.SIGN or application.status != Status.READY:
        return
    # A bundle's card (KIA, KTP-el) is picked up even when its PDFs travel (pencet.cases.components).
    cards = application.components.filter(service__delivery_modes=["pickup"]).exists()
    if (application.delivery_preference != DeliveryPreference.PICKUP and not cards) or application.contact is None:
        return
    if application.bookings.exists() or not contact_window_open(contact=application.contact):
        # A list cannot go out as a template: outside the window the "ready" template asks the citizen to reply.
        return
    with contact_language(application.contact):
        pickup_offer(application=application)


@event_subscriber(when=lambda event: event.kind == EventKind.SUBMIT)
def in_person_offer_on_submit(*, event: Event) -> None:
    """Now that the village is known, the days near it (the service's information may have come before it was)."""
    application = event.application
    contact = application.contact
    if event.kind != EventKind.SUBMIT or not application.service.in_person or contact is None:
        return
    if contact.bookings.filter(status="booked").exists() or not contact_window_open(contact=contact):
        return
    with contact_language(contact):
        in_person_offer(contact=contact, office=application.office, service=application.service)
