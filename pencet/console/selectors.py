"""Console reads that cross apps (WhatsApp contacts and conversations), scoped to the user's office."""

from django.db.models import QuerySet

from pencet.accounts.models import Role, User
from pencet.cases.policies import personal_data_policy_for
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage


def is_read_only(*, user: User) -> bool:
    """Leadership (pimpinan) watches; it never acts."""
    return bool(user.roles) and user.roles <= {Role.LEADERSHIP}


def _contacts_for_user(*, user: User) -> QuerySet[Contact]:
    if not user.is_authenticated or user.office_id is None or not personal_data_policy_for(user=user).chat:
        return Contact.objects.none()
    return Contact.objects.filter(office_id=user.office_id)


def contacts_needing_human(*, user: User, limit: int = 20) -> list[Contact]:
    """Citizens who asked for a person ("petugas"), longest waiting first."""
    qs = _contacts_for_user(user=user).filter(needs_human=True).order_by("last_inbound_at", "pk")
    return list(qs[:limit])


def contact_for_user(*, user: User, pk: int) -> Contact | None:
    return _contacts_for_user(user=user).filter(pk=pk).first()


def contact_conversation(*, contact: Contact, limit: int = 200) -> list[tuple[str, object]]:
    """Inbound and outbound messages of one contact, oldest first: ("inbound"|"outbound", message)."""
    inbound = InboundMessage.objects.filter(contact=contact).order_by("-sent_at")[:limit]
    outbound = OutboundMessage.objects.filter(contact=contact).select_related("sent_by").order_by("-created_at")[:limit]
    items = [(m.sent_at, "inbound", m) for m in inbound] + [(m.created_at, "outbound", m) for m in outbound]
    items.sort(key=lambda item: item[0])
    return [(kind, message) for _at, kind, message in items]
