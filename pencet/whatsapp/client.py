"""A thin client for the WhatsApp Cloud API (Graph): builds Cloud API JSON and makes the HTTP calls.

Base URL and version come from settings (WHATSAPP_API_URL, WHATSAPP_API_VERSION), so tests, benchmarks and the
simulator point it at a stand-in. No retries here: the outbox decides what to do with a GraphError.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from django.conf import settings

# Meta's limits (DESIGN §5); checked when a message is enqueued, so the bot can never produce a refused body.
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_LIST_SECTIONS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_SECTION_TITLE = 24
MAX_LIST_BUTTON = 20
MAX_BODY = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_HEADER = 60
MAX_FOOTER = 60
MAX_CAPTION = 1024
MAX_REPLY_ID = 256
MAX_ROW_ID = 200

# Codes worth another try later (rate limits, throttling, temporary errors on Meta's side).
RETRYABLE_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004}
TOKEN_CODES = {190}
WINDOW_CLOSED_CODES = {131047}


# No message on the Cloud API is older than the API itself (2022); an earlier timestamp is no real one.
META_TIME_EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)


def meta_time(value: object, *, now: datetime | None = None) -> datetime:
    """A webhook timestamp (Unix seconds, as a string) as an aware datetime, never later than `now` (when the
    POST arrived): a future timestamp would otherwise hold the 24-hour window open. Missing, unreadable or
    absurd (before META_TIME_EARLIEST) values are taken as `now`."""
    now = now or datetime.now(tz=UTC)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return now
    try:
        moment = datetime.fromtimestamp(int(str(value).strip()[:20]), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now
    if moment > now or moment < META_TIME_EARLIEST:
        return now
    return moment


class MessageLimitError(ValueError):
    """A message breaks one of Meta's limits: a programming error in the caller, raised at enqueue time."""


@dataclass
class GraphError(Exception):
    status: int
    code: int | None
    message: str
    subcode: int | None = None
    fbtrace_id: str = ""
    network: bool = False

    def __str__(self) -> str:
        return f"Graph API error {self.code} (HTTP {self.status}): {self.message}"

    @property
    def retryable(self) -> bool:
        return self.network or self.status >= 500 or self.status == 429 or self.code in RETRYABLE_CODES


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise MessageLimitError(problem)


def payload_check(*, kind: str, payload: dict) -> None:
    """Raise MessageLimitError when an outbox payload (our own shape, see services.outbox_enqueue) breaks a limit."""
    if kind == "text":
        body = payload.get("body", "")
        _check(isinstance(body, str) and 0 < len(body) <= MAX_BODY, f"text body must have 1..{MAX_BODY} characters")
        return
    if kind in ("buttons", "list"):
        body = payload.get("body", "")
        _check(0 < len(body) <= MAX_INTERACTIVE_BODY, f"interactive body must have 1..{MAX_INTERACTIVE_BODY} chars")
        _check(len(payload.get("header", "")) <= MAX_HEADER, f"header longer than {MAX_HEADER}")
        _check(len(payload.get("footer", "")) <= MAX_FOOTER, f"footer longer than {MAX_FOOTER}")
    if kind == "buttons":
        buttons = payload.get("buttons", [])
        _check(1 <= len(buttons) <= MAX_BUTTONS, f"1..{MAX_BUTTONS} reply buttons, got {len(buttons)}")
        for button in buttons:
            _check(
                0 < len(button.get("title", "")) <= MAX_BUTTON_TITLE,
                f"button title {button.get('title')!r} must have 1..{MAX_BUTTON_TITLE} characters",
            )
            _check(0 < len(button.get("id", "")) <= MAX_REPLY_ID, "button id must have 1..256 characters")
        titles = [b["title"] for b in buttons]
        _check(len(set(titles)) == len(titles), "button titles must be unique")
        return
    if kind == "list":
        sections = payload.get("sections", [])
        rows = [row for section in sections for row in section.get("rows", [])]
        _check(1 <= len(sections) <= MAX_LIST_SECTIONS, "a list needs 1..10 sections")
        _check(1 <= len(rows) <= MAX_LIST_ROWS, f"a list needs 1..{MAX_LIST_ROWS} rows in total, got {len(rows)}")
        _check(
            0 < len(payload.get("button", "")) <= MAX_LIST_BUTTON, f"list button must have 1..{MAX_LIST_BUTTON} chars"
        )
        for section in sections:
            _check(len(section.get("title", "")) <= MAX_SECTION_TITLE, f"section title longer than {MAX_SECTION_TITLE}")
            if len(sections) > 1:
                _check(bool(section.get("title")), "every section needs a title when there are several")
        for row in rows:
            _check(
                0 < len(row.get("title", "")) <= MAX_ROW_TITLE,
                f"row title {row.get('title')!r} must have 1..{MAX_ROW_TITLE} characters",
            )
            _check(
                len(row.get("description", "")) <= MAX_ROW_DESCRIPTION,
                f"row description longer than {MAX_ROW_DESCRIPTION}",
            )
            _check(0 < len(row.get("id", "")) <= MAX_ROW_ID, "row id must have 1..200 characters")
        ids = [row["id"] for row in rows]
        _check(len(set(ids)) == len(ids), "row ids must be unique")
        return
    if kind == "document":
        _check(bool(payload.get("storage_name")), "document needs storage_name")
        _check(bool(payload.get("filename")), "document needs filename")
        _check(len(payload.get("caption", "")) <= MAX_CAPTION, f"caption longer than {MAX_CAPTION}")
        return
    if kind == "template":
        _check(bool(payload.get("name")) and bool(payload.get("language")), "template needs name and language")
        return
    raise MessageLimitError(f"unknown message kind {kind!r}")


def message_body(
    *,
    kind: str,
    payload: dict,
    phone: str | None = None,
    user_id: str | None = None,
    media_id: str | None = None,
    callback_data: str = "",
) -> dict:
    """Cloud API JSON for POST /{phone-number-id}/messages. Sends to the phone when known, else to the user id."""
    body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    if phone:
        body["to"] = phone
    elif user_id:
        body["recipient"] = user_id
    else:
        raise MessageLimitError("a message needs a phone number or a user id")
    if kind == "text":
        body["type"] = "text"
        body["text"] = {"body": payload["body"], "preview_url": False}
    elif kind in ("buttons", "list"):
        interactive: dict = {"type": "button" if kind == "buttons" else "list", "body": {"text": payload["body"]}}
        if payload.get("header"):
            interactive["header"] = {"type": "text", "text": payload["header"]}
        if payload.get("footer"):
            interactive["footer"] = {"text": payload["footer"]}
        if kind == "buttons":
            interactive["action"] = {
                "buttons": [
                    {"type": "reply", "reply": {"id": b["id"], "title": b["title"]}} for b in payload["buttons"]
                ]
            }
        else:
            sections = []
            for section in payload["sections"]:
                rows = []
                for row in section["rows"]:
                    item = {"id": row["id"], "title": row["title"]}
                    if row.get("description"):
                        item["description"] = row["description"]
                    rows.append(item)
                built: dict = {"rows": rows}
                if section.get("title"):
                    built["title"] = section["title"]
                sections.append(built)
            interactive["action"] = {"button": payload["button"], "sections": sections}
        body["type"] = "interactive"
        body["interactive"] = interactive
    elif kind == "document":
        if not media_id:
            raise MessageLimitError("a document is sent by media id after upload")
        document = {"id": media_id, "filename": payload["filename"]}
        if payload.get("caption"):
            document["caption"] = payload["caption"]
        body["type"] = "document"
        body["document"] = document
    elif kind == "template":
        template: dict = {"name": payload["name"], "language": {"policy": "deterministic", "code": payload["language"]}}
        params = payload.get("params") or []
        if params:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
            ]
        body["type"] = "template"
        body["template"] = template
    else:
        raise MessageLimitError(f"unknown message kind {kind!r}")
    if callback_data:
        body["biz_opaque_callback_data"] = callback_data
    return body


def _base() -> str:
    return f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_API_VERSION}"


def _headers() -> dict:
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    raise GraphError(
        status=response.status_code,
        code=error.get("code"),
        message=error.get("message") or response.text[:300] or response.reason_phrase,
        subcode=error.get("error_subcode"),
        fbtrace_id=error.get("fbtrace_id", ""),
    )


_http_lock = threading.Lock()
_http: tuple[int, httpx.Client] | None = None


def _http_client() -> httpx.Client:
    """One pooled client per process: `httpx.request` builds a client, its TLS context and a new connection for every
    call (about 45 ms of CPU and a handshake with Meta per message); a pooled client reuses both. Made again after
    a fork, whose copy of the pool belongs to the parent."""
    global _http
    with _http_lock:
        if _http is None or _http[0] != os.getpid():
            _http = (os.getpid(), httpx.Client())
        return _http[1]


def _request(method: str, url: str, **kwargs: object) -> httpx.Response:
    try:
        response = _http_client().request(
            method, url, headers=_headers(), timeout=settings.WHATSAPP_HTTP_TIMEOUT, **kwargs
        )
    except httpx.TransportError as exc:
        raise GraphError(status=0, code=None, message=f"network error: {exc!r}", network=True) from exc
    _raise_for(response)
    return response


def graph_send(*, phone_number_id: str, body: dict) -> dict:
    """POST a message; returns Meta's answer ({"messages": [{"id": wamid}], …}). Raises GraphError."""
    return _request("POST", f"{_base()}/{phone_number_id}/messages", json=body).json()


def graph_media_upload(*, phone_number_id: str, data: bytes, filename: str, content_type: str) -> str:
    response = _request(
        "POST",
        f"{_base()}/{phone_number_id}/media",
        data={"messaging_product": "whatsapp", "type": content_type},
        files={"file": (filename, data, content_type)},
    )
    return response.json()["id"]


def graph_get(*, path: str, params: dict | None = None) -> dict:
    """GET a Graph object or edge, e.g. "{waba-id}/message_templates"; `path` may also be a full `paging.next` URL."""
    url = path if path.startswith(("http://", "https://")) else f"{_base()}/{path.lstrip('/')}"
    return _request("GET", url, params=params).json()


def graph_media_info(*, media_id: str) -> dict:
    """{"url", "mime_type", "sha256" (hex), "file_size", "id", "messaging_product"}; the URL lives 5 minutes."""
    return _request("GET", f"{_base()}/{media_id}").json()


class MediaTooBig(Exception):
    pass


def graph_media_download(*, url: str, max_bytes: int) -> tuple[bytes, str]:
    """Download a media URL with the bearer token, refusing more than max_bytes; returns (data, sha256 hex)."""
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    size = 0
    try:
        with _http_client().stream("GET", url, headers=_headers(), timeout=settings.WHATSAPP_HTTP_TIMEOUT) as response:
            if response.status_code >= 400:
                response.read()
                _raise_for(response)
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise MediaTooBig(f"more than {max_bytes} bytes")
                digest.update(chunk)
                chunks.append(chunk)
    except httpx.TransportError as exc:
        raise GraphError(status=0, code=None, message=f"network error: {exc!r}", network=True) from exc
    return b"".join(chunks), digest.hexdigest()
