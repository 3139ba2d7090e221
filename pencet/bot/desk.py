"""The officers' side of a chat handed to a person (pencet.bot.handoff starts one): who takes it, who it is passed
to, the answers and the close. Every step writes a HandoffEntry in the same transaction.

    chat_claim(*, contact, actor)                  the officer takes the chat (also from a colleague)
    chat_assign(*, contact, actor, assignee)       passes it to a colleague of the office
    chat_release(*, contact, actor)                gives it back to the office (its holder or an admin)
    chat_reply(*, contact, actor, body, canned_reply=None) -> OutboundMessage
                                                   answers on WhatsApp (an unheld chat becomes the replier's)
    chat_close(*, contact, actor)                  the citizen was served: the bot may answer again
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import Role, User
from pencet.cases.policies import user_may_message_citizens
from pencet.cases.services import ApplicationPermissionError, TransitionError
from pencet.catalog.models import CannedReply
from pencet.whatsapp.models import Contact, OutboundMessage
from pencet.whatsapp.services import outbox_enqueue

from .models import Conversation, HandoffEntry

Action = HandoffEntry.Action


def _may_handle(*, user: User, contact: Contact) -> bool:
    return user.is_active and user.office_id == contact.office_id and user_may_message_citizens(user=user)


def _locked(*, contact: Contact, actor: User) -> Conversation:
    if not _may_handle(user=actor, contact=contact):
        raise ApplicationPermissionError(_("Anda tidak berwenang atas kontak ini."))
    conversation, _created = Conversation.objects.get_or_create(contact=contact)
    return Conversation.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=conversation.pk)


def _assign(conversation: Conversation, *, user: User | None) -> None:
    conversation.assigned_to = user
    conversation.assigned_at = timezone.now() if user else None
    conversation.save(update_fields=["assigned_to", "assigned_at", "updated_at"])


@transaction.atomic
def chat_claim(*, contact: Contact, actor: User) -> Conversation:
    conversation = _locked(contact=contact, actor=actor)
    if conversation.assigned_to_id != actor.pk:
        _assign(conversation, user=actor)
        HandoffEntry.objects.create(conversation=conversation, action=Action.CLAIMED, actor=actor, assignee=actor)
    return conversation


@transaction.atomic
def chat_assign(*, contact: Contact, actor: User, assignee: User) -> Conversation:
    conversation = _locked(contact=contact, actor=actor)
    if not _may_handle(user=assignee, contact=contact):
        raise TransitionError(_("%(name)s tidak dapat melayani chat warga.") % {"name": _name(assignee)})
    if conversation.assigned_to_id != assignee.pk:
        _assign(conversation, user=assignee)
        HandoffEntry.objects.create(conversation=conversation, action=Action.ASSIGNED, actor=actor, assignee=assignee)
    return conversation


@transaction.atomic
def chat_release(*, contact: Contact, actor: User) -> Conversation:
    conversation = _locked(contact=contact, actor=actor)
    holder = conversation.assigned_to
    if holder is None:
        return conversation
    if holder.pk != actor.pk and not actor.has_role(Role.ADMIN):
        raise TransitionError(
            _("Chat ini ditangani %(name)s; hanya dia atau admin yang dapat melepasnya.") % {"name": _name(holder)}
        )
    _assign(conversation, user=None)
    HandoffEntry.objects.create(conversation=conversation, action=Action.RELEASED, actor=actor, assignee=holder)
    return conversation


@transaction.atomic
def chat_reply(*, contact: Contact, actor: User, body: str, canned_reply: CannedReply | None = None) -> OutboundMessage:
    conversation = _locked(contact=contact, actor=actor)
    body = body.strip()
    if not body:
        raise TransitionError(_("Pesan tidak boleh kosong."), code="empty")
    if canned_reply is not None and canned_reply.office_id != contact.office_id:
        canned_reply = None
    message = outbox_enqueue(
        contact=contact,
        kind="text",
        payload={"body": body},
        sent_by=actor,
        template_event="officer_message",
        template_params=[contact.profile_name or "-", "-", body],
    )
    if conversation.assigned_to_id is None and contact.needs_human:
        _assign(conversation, user=actor)
        HandoffEntry.objects.create(conversation=conversation, action=Action.CLAIMED, actor=actor, assignee=actor)
    HandoffEntry.objects.create(
        conversation=conversation, action=Action.REPLIED, actor=actor, canned_reply=canned_reply
    )
    return message


@transaction.atomic
def chat_close(*, contact: Contact, actor: User) -> None:
    if actor.office_id != contact.office_id:
        raise ApplicationPermissionError(_("Anda tidak berwenang atas kontak ini."))
    conversation, _created = Conversation.objects.get_or_create(contact=contact)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    Contact.objects.filter(pk=contact.pk).update(needs_human=False)
    holder = conversation.assigned_to_id
    _assign(conversation, user=None)
    HandoffEntry.objects.create(conversation=conversation, action=Action.CLOSED, actor=actor, assignee_id=holder)


def _name(user: User) -> str:
    return user.get_full_name() or user.username
