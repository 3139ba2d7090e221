"""The edge of the channel: a webhook body read into updates whose shapes and values the rest can trust.

    json_too_deep(value, *, limit=MAX_DEPTH) -> bool
    storable(value) -> value                          (lone surrogates and NUL replaced, in keys and strings)
    updates_parse(*, data, offices, received_at) -> Updates

Every entry, change, contact, message and status is judged on its own: one of the wrong shape or with an
impossible value is refused with a note (never retried, it can only fail again) and the others go on. Nothing
here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pencet.accounts.models import Office

from . import client

# Meta's deepest payload (a shared contact card inside a message) is about 12 levels; anything far deeper is
# crafted, and Python's json and Django's JSONField recurse on it.
MAX_DEPTH = 32
# Column limits of InboundMessage, Contact and MessageStatus: longer values would fail on PostgreSQL.
MAX_WAMID = 255
MAX_USER_ID = 64
MAX_PHONE = 20
MAX_NAME = 120
MAX_STATUS = 20
MAX_NOTES = 50

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_REPLACEMENT = "\ufffd"


def json_too_deep(value: object, *, limit: int = MAX_DEPTH) -> bool:
    """Whether parsed JSON nests deeper than `limit` (walked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _storable_text(text: str) -> str:
    # Lone surrogates cannot be encoded as UTF-8 (SQLite, files) nor stored by PostgreSQL, nor can NUL.
    return _UNSTORABLE.sub(_REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def storable(value: Any) -> Any:
    """A copy of parsed JSON in which every string, keys included, can be stored as text anywhere."""
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable_text(str(key)): storable(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class MessageUpdate:
    office: Office
    message: dict
    user_id: str | None
    phone: str | None
    name: str
    sent_at: datetime


@dataclass(frozen=True)
class StatusUpdate:
    office: Office
    item: dict
    sent_at: datetime


@dataclass
class Updates:
    messages: list[MessageUpdate] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    # Phone number ids of no office here: stored, not processed.
    unknown: set[str] = field(default_factory=set)
    # Why an update was refused, one line each (bounded).
    refused: list[str] = field(default_factory=list)

    def refuse(self, where: str, why: str) -> None:
        if len(self.refused) < MAX_NOTES:
            self.refused.append(f"{where}: {why}")


def _identifier(value: object, *, limit: int, digits: bool = False) -> str | None:
    """A user id or phone as Meta sends it (a short string, digits for a phone), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > limit or (digits and not value.isdigit()):
        return None
    return value


def _dicts(value: object) -> list[dict] | None:
    """The dicts of a list (others left out), [] when absent, None when it is no list at all."""
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, dict)]


def _profiles(contacts: list[dict]) -> dict[str, dict]:
    profiles: dict[str, dict] = {}
    for contact in contacts:
        for key in (contact.get("user_id"), contact.get("wa_id")):
            key = _identifier(key, limit=MAX_USER_ID)
            if key:
                profiles[key] = contact
    return profiles


def _message_clean(message: dict) -> dict:
    """The message with the parts the channel reads in the shape it reads them (a type's body is an object)."""
    kind = message.get("type")
    kind = kind[:20] if isinstance(kind, str) and kind else "unsupported"
    clean = {**message, "type": kind}
    if kind in clean and not isinstance(clean[kind], dict):
        clean[kind] = {}
    if kind == "interactive":
        inner = clean.get("interactive") or {}
        reply_type = inner.get("type")
        if not isinstance(reply_type, str) or not isinstance(inner.get(reply_type), dict):
            clean["interactive"] = {"type": reply_type if isinstance(reply_type, str) else ""}
    return clean


def _message_read(
    *, updates: Updates, where: str, office: Office, message: dict, profiles: dict[str, dict], received_at: datetime
) -> None:
    wamid = message.get("id")
    if not isinstance(wamid, str) or not wamid.strip() or len(wamid) > MAX_WAMID:
        updates.refuse(where, "message without a usable id")
        return
    by_user = _identifier(message.get("from_user_id"), limit=MAX_USER_ID)
    by_phone = _identifier(message.get("from"), limit=MAX_PHONE, digits=True)
    sender = (by_user and profiles.get(by_user)) or (by_phone and profiles.get(by_phone)) or {}
    user_id = by_user or _identifier(sender.get("user_id"), limit=MAX_USER_ID)
    phone = by_phone or _identifier(sender.get("wa_id"), limit=MAX_PHONE, digits=True)
    if not user_id and not phone:
        updates.refuse(where, f"message {wamid} without a sender (from / wa_id / user_id)")
        return
    profile = sender.get("profile")
    name = profile.get("name") if isinstance(profile, dict) else ""
    updates.messages.append(
        MessageUpdate(
            office=office,
            message=_message_clean(message),
            user_id=user_id,
            phone=phone,
            name=name[:MAX_NAME] if isinstance(name, str) else "",
            sent_at=client.meta_time(message.get("timestamp"), now=received_at),
        )
    )


def _status_read(*, updates: Updates, where: str, office: Office, item: dict, received_at: datetime) -> None:
    wamid, status = item.get("id"), item.get("status")
    if not isinstance(wamid, str) or not wamid or len(wamid) > MAX_WAMID:
        updates.refuse(where, "status without a usable message id")
        return
    if not isinstance(status, str) or not status or len(status) > MAX_STATUS:
        updates.refuse(where, f"status of {wamid} without a usable status")
        return
    errors = _dicts(item.get("errors")) or []
    clean = {**item, "errors": errors}
    for error in errors:
        if not isinstance(error.get("error_data"), dict | None):
            error["error_data"] = {}
    updates.statuses.append(
        StatusUpdate(office=office, item=clean, sent_at=client.meta_time(item.get("timestamp"), now=received_at))
    )


def updates_parse(*, data: object, offices: dict[str, Office], received_at: datetime) -> Updates:
    """Every message and status of one webhook body that can be handled, and a note for each that cannot."""
    updates = Updates()
    if not isinstance(data, dict):
        updates.refuse("body", "not a JSON object")
        return updates
    entries = _dicts(data.get("entry"))
    if entries is None:
        updates.refuse("body", "entry is not a list")
        return updates
    if len(entries) != len(data.get("entry") or []):
        updates.refuse("body", "an entry is not an object")
    for e, entry in enumerate(entries):
        changes = _dicts(entry.get("changes"))
        if changes is None:
            updates.refuse(f"entry {e}", "changes is not a list")
            continue
        if len(changes) != len(entry.get("changes") or []):
            updates.refuse(f"entry {e}", "a change is not an object")
        for c, change in enumerate(changes):
            if change.get("field", "messages") != "messages":
                continue
            _change_read(updates=updates, where=f"entry {e} change {c}", change=change, offices=offices,
                         received_at=received_at)  # fmt: skip
    return updates


def _change_read(
    *, updates: Updates, where: str, change: dict, offices: dict[str, Office], received_at: datetime
) -> None:
    value = change.get("value")
    if not isinstance(value, dict):
        updates.refuse(where, "value is not an object")
        return
    metadata = value.get("metadata")
    phone_number_id = _identifier(metadata.get("phone_number_id"), limit=64) if isinstance(metadata, dict) else None
    if phone_number_id is None:
        updates.refuse(where, "no phone_number_id")
        return
    office = offices.get(phone_number_id)
    if office is None:
        updates.unknown.add(phone_number_id)
        return
    contacts, messages, statuses = (_dicts(value.get(key)) for key in ("contacts", "messages", "statuses"))
    for key, items in (("contacts", contacts), ("messages", messages), ("statuses", statuses)):
        if items is None:
            updates.refuse(where, f"{key} is not a list")
        elif len(items) != len(value.get(key) or []):
            updates.refuse(where, f"an item of {key} is not an object")
    profiles = _profiles(contacts or [])
    for m, message in enumerate(messages or []):
        _message_read(updates=updates, where=f"{where} message {m}", office=office, message=message,
                      profiles=profiles, received_at=received_at)  # fmt: skip
    for s, item in enumerate(statuses or []):
        _status_read(updates=updates, where=f"{where} status {s}", office=office, item=item, received_at=received_at)
