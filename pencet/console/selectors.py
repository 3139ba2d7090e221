"""Console reads that cross apps (WhatsApp contacts and conversations), scoped to the user's office."""

from django.db.models import Q, QuerySet

from pencet.accounts.models import Role, User
from pencet.bot.models import Conversation
from pencet.cases.policies import MESSAGE_ROLES, personal_data_policy_for
from pencet.catalog.models import CannedReply
from pencet.whatsapp.models import Contact, InboundMessage, OutboundMessage


def is_read_only(*, user: User) -> bool:
    """Leadership (pimpinan) watches; it never acts."""
    return bool(user.roles) and user.roles <= {Role.LEADERSHIP}


def _contacts_for_user(*, user: User) -> QuerySet[Contact]:
    if not user.is_authenticated or user.office_id is None or not personal_data_policy_for(user=user).chat:
        return Contact.objects.none()
    return Contact.objects.filter(office_id=user.office_id)


def contacts_needing_human(*, user: User, limit: int = 20, mine: bool = False) -> list[Contact]:
    """Citizens who asked for a person ("petugas"), longest waiting first, with who holds each chat
    (`contact.conversation.assigned_to`) and the message that asked; `mine`: only the chats `user` holds."""
    qs = (
        _contacts_for_user(user=user)
        .filter(needs_human=True)
        .select_related("conversation__assigned_to", "conversation__handoff_message")
        .order_by("last_inbound_at", "pk")
    )
    if mine:
        qs = qs.filter(conversation__assigned_to=user)
    return list(qs[:limit])


def handoff_counts(*, user: User) -> dict[str, int]:
    """How many chats wait for a person: all, held by `user`, held by nobody."""
    qs = _contacts_for_user(user=user).filter(needs_human=True)
    return {
        "all": qs.count(),
        "mine": qs.filter(conversation__assigned_to=user).count(),
        "open": qs.filter(Q(conversation__isnull=True) | Q(conversation__assigned_to__isnull=True)).count(),
    }


def contact_handoff(*, contact: Contact) -> Conversation | None:
    """The contact's conversation with its hand-off: holder, asking message, history (newest last)."""
    return (
        Conversation.objects.filter(contact=contact)
        .select_related("assigned_to", "handoff_message")
        .prefetch_related("handoff_entries__actor", "handoff_entries__assignee")
        .first()
    )


def colleagues_for_chats(*, user: User) -> list[User]:
    """The office's officers a chat can be passed to (those who may write to citizens)."""
    if user.office_id is None:
        return []
    staff = User.objects.filter(office_id=user.office_id, is_active=True, role_grants__role__in=MESSAGE_ROLES)
    return list(staff.distinct().order_by("first_name", "username"))


def canned_replies_for(*, user: User) -> list[CannedReply]:
    """The office's ready answers, in the admin's order (a short list)."""
    if user.office_id is None:
        return []
    return list(CannedReply.objects.filter(office_id=user.office_id, is_active=True).order_by("order", "title")[:30])


def contact_for_user(*, user: User, pk: int) -> Contact | None:
    return _contacts_for_user(user=user).filter(pk=pk).first()


def contact_conversation(*, contact: Contact, limit: int = 200) -> list[tuple[str, object]]:
    """Inbound and outbound messages of one contact, oldest first: ("inbound"|"outbound", message)."""
    inbound = InboundMessage.objects.filter(contact=contact).order_by("-sent_at")[:limit]
    outbound = OutboundMessage.objects.filter(contact=contact).select_related("sent_by").order_by("-created_at")[:limit]
    items = [(m.sent_at, "inbound", m) for m in inbound] + [(m.created_at, "outbound", m) for m in outbound]
    items.sort(key=lambda item: item[0])
    return [(kind, message) for _at, kind, message in items]
