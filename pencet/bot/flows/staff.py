"""Village staff: a WhatsApp number equal to an aparat desa's `whatsapp_number` is linked to that user, who then
applies on residents' behalf (the other flows ask the resident's name, NIK and phone, and offer their villages)."""

from pencet.accounts.models import Role, User
from pencet.lib.phone import phone_variants
from pencet.whatsapp.models import Contact


def staff_link(*, contact: Contact) -> User | None:
    """The village staff member behind this WhatsApp number, linked on first sight."""
    user = contact.staff_user
    if user is None and contact.phone:
        user = (
            User.objects.filter(
                whatsapp_number__in=phone_variants(contact.phone),
                office_id=contact.office_id,
                is_active=True,
                role_grants__role=Role.VILLAGE_STAFF,
            )
            .distinct()
            .first()
        )
        if user is not None:
            contact.staff_user = user
            contact.save(update_fields=["staff_user"])
    if user is not None and user.is_active and user.has_role(Role.VILLAGE_STAFF):
        return user
    return None
