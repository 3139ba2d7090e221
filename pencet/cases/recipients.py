"""Who hears about an application on WhatsApp: one rule for citizen notifications and service-clock notices."""

from django.db import IntegrityError, transaction

from pencet.lib.phone import phone_normalize, phone_variants
from pencet.whatsapp.models import Contact

from .models import Application


def application_recipient(*, application: Application) -> Contact | None:
    """The citizen's contact; for a village-staff application the staff member's own WhatsApp contact; otherwise
    (registered in the console, at the counter) the applicant's phone, found or made a contact by its normalised
    number."""
    if application.contact_id:
        return application.contact
    if application.submitted_by_id:
        staff_contact = (
            Contact.objects.filter(staff_user_id=application.submitted_by_id, office_id=application.office_id)
            .order_by("-last_inbound_at", "-pk")
            .first()
        )
        if staff_contact is not None:
            return staff_contact
    return application_phone_contact(application=application)


def application_phone_contact(*, application: Application) -> Contact | None:
    """The contact of the phone number typed on the application (at the counter, in the console), found under any of
    its written forms or made by its normalised number; None when there is no usable number."""
    phone = phone_normalize(application.phone)
    if phone is None:
        return None
    found = Contact.objects.filter(office_id=application.office_id, phone__in=phone_variants(phone)).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Contact.objects.create(office_id=application.office_id, phone=phone)
    except IntegrityError:  # made by an inbound message or another subscriber at the same moment
        return Contact.objects.filter(office_id=application.office_id, phone=phone).first()
