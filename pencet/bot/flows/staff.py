"""Village staff: a WhatsApp number equal to an aparat desa's `whatsapp_number` is linked to that user, who then
applies on residents' behalf (the other flows ask the resident's name, NIK and phone, and offer their villages).

The link is made where it can first be seen, not looked for on every message: when a conversation starts (a
number that never wrote before), and when an officer's account gets the number or the role (`staff_contacts_link`,
called on saving a User or a RoleGrant, see apps.py). A citizen's turn then asks the database nothing about staff.
"""

from pencet.accounts.models import Role, RoleGrant, User
from pencet.lib.phone import phone_variants
from pencet.whatsapp.models import Contact


def staff_link(*, contact: Contact, look: bool = True) -> User | None:
    """The village staff member behind this WhatsApp number; `look`: link one not linked yet (a new conversation,
    an officer's action)."""
    user = contact.staff_user if contact.staff_user_id else None
    if user is None and look and contact.phone:
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


def staff_contacts_link(*, user: User) -> int:
    """Link the contacts of the office that write from this officer's WhatsApp number (and are linked to nobody)
    to them, once their account has the number and the village-staff role; returns how many."""
    if not (user.is_active and user.whatsapp_number and user.office_id):
        return 0
    # Read here, not through user.roles: that caches the roles on the instance, and a user saved before their
    # grants would keep an empty set.
    if not RoleGrant.objects.filter(user_id=user.pk, role=Role.VILLAGE_STAFF).exists():
        return 0
    return Contact.objects.filter(
        office_id=user.office_id, phone__in=phone_variants(user.whatsapp_number), staff_user__isnull=True
    ).update(staff_user=user)


def staff_user_saved(*, instance: User, raw: bool = False, **kwargs: object) -> None:
    """post_save receiver for User."""
    if not raw:
        staff_contacts_link(user=instance)


def staff_role_saved(*, instance: object, raw: bool = False, **kwargs: object) -> None:
    """post_save receiver for RoleGrant."""
    if not raw:
        staff_contacts_link(user=User.objects.get(pk=instance.user_id))
