"""Who wrote: contacts keyed per office by the business-scoped user id and/or the phone, merged once linked."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from pencet.accounts.models import Office

from .models import Contact

logger = logging.getLogger(__name__)


def contact_identify(*, office: Office, user_id: str | None, phone: str | None, name: str = "") -> Contact:
    """The contact for a business-scoped user id and/or a phone; merges two rows once an update links them."""
    for attempt in range(3):
        try:
            return _contact_identify(office=office, user_id=user_id, phone=phone, name=name)
        except IntegrityError:
            # Another worker created the same contact at the same moment; the next look finds it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _contact_identify(*, office: Office, user_id: str | None, phone: str | None, name: str) -> Contact:
    user_id = user_id or None
    phone = phone or None
    name = name[:120]
    if not user_id and not phone:
        raise ValueError("a message without sender")
    known = _contact_known(office=office, user_id=user_id, phone=phone, name=name)
    if known is not None:
        return known
    with transaction.atomic():
        by_user = Contact.objects.filter(office=office, wa_user_id=user_id).first() if user_id else None
        by_phone = Contact.objects.filter(office=office, phone=phone).first() if phone else None
        if by_user and by_phone and by_user.pk != by_phone.pk:
            if by_phone.wa_user_id and by_phone.wa_user_id != user_id:
                # The number now belongs to another WhatsApp account: the old contact loses it.
                Contact.objects.filter(pk=by_phone.pk).update(phone=None)
                contact = by_user
            else:
                contact = _contact_merge(
                    keep=min(by_user, by_phone, key=lambda c: c.pk), drop=max(by_user, by_phone, key=lambda c: c.pk)
                )
        elif by_user:
            contact = by_user
        elif by_phone:
            if by_phone.wa_user_id and user_id and by_phone.wa_user_id != user_id:
                Contact.objects.filter(pk=by_phone.pk).update(phone=None)
                contact = Contact.objects.create(office=office, wa_user_id=user_id, phone=phone, profile_name=name)
            else:
                contact = by_phone
        else:
            contact = Contact.objects.create(office=office, wa_user_id=user_id, phone=phone, profile_name=name)
        updates = {}
        if user_id and contact.wa_user_id != user_id:
            updates["wa_user_id"] = user_id
        if phone and contact.phone != phone:
            updates["phone"] = phone
        if name and contact.profile_name != name:
            updates["profile_name"] = name
        if updates:
            Contact.objects.filter(pk=contact.pk).update(**updates)
            for key, value in updates.items():
                setattr(contact, key, value)
    return contact


def _contact_known(*, office: Office, user_id: str | None, phone: str | None, name: str) -> Contact | None:
    """A citizen who wrote before, with nothing to link, merge or change: one read and no transaction (on SQLite
    a transaction takes the write lock even when it only reads); None when the full look below is needed."""
    match = (Q(wa_user_id=user_id) if user_id else Q()) | (Q(phone=phone) if phone else Q())
    found = list(Contact.objects.filter(match, office=office)[:2])
    if len(found) != 1:
        return None
    contact = found[0]
    same = (not user_id or contact.wa_user_id == user_id) and (not phone or contact.phone == phone)
    return contact if same and (not name or contact.profile_name == name) else None


def _contact_merge(*, keep: Contact, drop: Contact) -> Contact:
    """Move everything that points at `drop` to `keep` (messages, applications, conversation), then delete it."""
    for relation in Contact._meta.related_objects:
        model = relation.related_model
        field = relation.field.name
        if relation.one_to_one:
            if not model.objects.filter(**{field: keep}).exists():
                model.objects.filter(**{field: drop}).update(**{field: keep})
        elif relation.one_to_many:
            model.objects.filter(**{field: drop}).update(**{field: keep})
    updates = {
        "wa_user_id": keep.wa_user_id or drop.wa_user_id,
        "phone": keep.phone or drop.phone,
        "profile_name": keep.profile_name or drop.profile_name,
        "needs_human": keep.needs_human or drop.needs_human,
        "staff_user_id": keep.staff_user_id or drop.staff_user_id,
    }
    last = [t for t in (keep.last_inbound_at, drop.last_inbound_at) if t]
    updates["last_inbound_at"] = max(last) if last else None
    drop.delete()
    Contact.objects.filter(pk=keep.pk).update(**updates)
    keep.refresh_from_db()
    logger.info("whatsapp contacts merged: %s into %s", drop.pk, keep.pk)
    return keep
