"""Real WhatsApp Cloud API webhook payloads (framework-free): used by the simulator and by tests (tests/wa.py).

Every builder returns a complete webhook body {"object": "whatsapp_business_account", "entry": [...]}.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from typing import Any

PHONE_NUMBER_ID = "100000000000001"
DISPLAY_PHONE = "6282188880001"
WABA_ID = "200000000000001"
USER_ID = "ID.1234567890123456"
PHONE = "6281234567890"
NAME = "Sari Wahyuni"
WEBHOOK_URL = "/whatsapp/webhook/"

_counter = itertools.count(1)


def new_wamid() -> str:
    raw = f"{time.time_ns()}-{next(_counter)}".encode()
    return "wamid." + base64.b64encode(b"HBgM" + raw).decode().rstrip("=")


def media_sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _envelope(value: dict, phone_number_id: str) -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_PHONE, "phone_number_id": phone_number_id},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": value}]}],
    }


def wa_message(
    *,
    type: str,
    body: dict | None = None,
    user_id: str | None = USER_ID,
    phone: str | None = PHONE,
    name: str = NAME,
    wamid: str | None = None,
    phone_number_id: str = PHONE_NUMBER_ID,
    timestamp: int | None = None,
    context_wamid: str | None = None,
) -> dict:
    """One inbound message of any type; `body` is the type's object, e.g. {"body": "halo"} for text."""
    contact: dict[str, Any] = {"profile": {"name": name}}
    message: dict[str, Any] = {}
    if phone:
        contact["wa_id"] = phone
        message["from"] = phone
    if user_id:
        contact["user_id"] = user_id
        message["from_user_id"] = user_id
    message.update(
        {
            "id": wamid or new_wamid(),
            "timestamp": str(int(timestamp if timestamp is not None else time.time())),
            "type": type,
        }
    )
    if context_wamid:
        message["context"] = {"from": DISPLAY_PHONE, "id": context_wamid}
    if body is not None:
        message[type] = body
    return _envelope({"contacts": [contact], "messages": [message]}, phone_number_id)


def wa_text(*, text: str, **common: Any) -> dict:
    return wa_message(type="text", body={"body": text}, **common)


def wa_image(
    *, media_id: str, sha256: str | None = None, mime: str = "image/jpeg", caption: str = "", **common: Any
) -> dict:
    body: dict[str, Any] = {"mime_type": mime, "id": media_id}
    if sha256:
        body["sha256"] = sha256
    if caption:
        body["caption"] = caption
    return wa_message(type="image", body=body, **common)


def wa_document(
    *,
    media_id: str,
    sha256: str | None = None,
    mime: str = "application/pdf",
    filename: str = "dokumen.pdf",
    caption: str = "",
    **common: Any,
) -> dict:
    body: dict[str, Any] = {"filename": filename, "mime_type": mime, "id": media_id}
    if sha256:
        body["sha256"] = sha256
    if caption:
        body["caption"] = caption
    return wa_message(type="document", body=body, **common)


def wa_button_reply(*, reply_id: str, title: str, **common: Any) -> dict:
    common.setdefault("context_wamid", new_wamid())
    body = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return wa_message(type="interactive", body=body, **common)


def wa_list_reply(*, reply_id: str, title: str, description: str = "", **common: Any) -> dict:
    common.setdefault("context_wamid", new_wamid())
    row = {"id": reply_id, "title": title}
    if description:
        row["description"] = description
    return wa_message(type="interactive", body={"type": "list_reply", "list_reply": row}, **common)


def wa_template_button(*, payload: str, text: str, **common: Any) -> dict:
    common.setdefault("context_wamid", new_wamid())
    return wa_message(type="button", body={"payload": payload, "text": text}, **common)


def wa_status(
    *,
    wamid: str,
    status: str = "delivered",
    phone: str | None = PHONE,
    user_id: str | None = USER_ID,
    timestamp: int | None = None,
    error_code: int | None = None,
    error_title: str = "Message undeliverable.",
    biz_opaque_callback_data: str | None = None,
    phone_number_id: str = PHONE_NUMBER_ID,
) -> dict:
    item: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(timestamp if timestamp is not None else time.time())),
    }
    if phone:
        item["recipient_id"] = phone
    if user_id:
        item["recipient_user_id"] = user_id
    if biz_opaque_callback_data:
        item["biz_opaque_callback_data"] = biz_opaque_callback_data
    if status in ("sent", "delivered", "read"):
        item["pricing"] = {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        }
    if error_code is not None:
        item["errors"] = [
            {
                "code": error_code,
                "title": error_title,
                "message": error_title,
                "error_data": {"details": error_title},
            }
        ]
    return _envelope({"statuses": [item]}, phone_number_id)


def wa_batch(*payloads: dict, messages_per_change: int = 1, changes_per_entry: int = 1) -> dict:
    """Many updates in one POST: each payload's change becomes part of a change (up to messages_per_change
    updates merged into one change when they share a phone number id), grouped into entries of
    changes_per_entry changes."""
    values = [change["value"] for p in payloads for entry in p["entry"] for change in entry["changes"]]
    changes: list[dict] = []
    for value in values:
        last = changes[-1]["value"] if changes else None
        if (
            last is not None
            and last["metadata"]["phone_number_id"] == value["metadata"]["phone_number_id"]
            and last.get("_n", 1) < messages_per_change
        ):
            for key in ("contacts", "messages", "statuses"):
                if key in value:
                    last.setdefault(key, []).extend(value[key])
            last["_n"] = last.get("_n", 1) + 1
        else:
            changes.append({"field": "messages", "value": json.loads(json.dumps(value))})
    for change in changes:
        change["value"].pop("_n", None)
    entries = [
        {"id": WABA_ID, "changes": changes[i : i + changes_per_entry]}
        for i in range(0, len(changes), changes_per_entry)
    ]
    return {"object": "whatsapp_business_account", "entry": entries}


def signature_header(raw: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 value Meta sends: sha256=HMAC_SHA256(app secret, raw body)."""
    import hmac

    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
