"""A local stand-in for Meta's Graph API (WhatsApp Cloud API), as a framework-free WSGI app.

It speaks the real wire format for what Pencet uses:

    POST /{version}/{phone-number-id}/messages   send; answers {"messaging_product", "contacts", "messages"}
    POST /{version}/{phone-number-id}/media      upload (multipart: file, type, messaging_product) -> {"id"}
    GET  /{version}/{media-id}                   media URL and metadata (the URL lives `url_ttl` seconds)
    GET  /download/{media-id}/{nonce}            the media bytes (bearer token required, like lookaside.fbsbx.com)
    GET  /{version}/{waba-id}/message_templates  the account's templates, cursor-paginated (fakegraph_templates)

Every request needs `Authorization: Bearer <token>`; errors use Meta's envelope
{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}. Tests inject failures with
`fail_next(...)`. The same class serves `pencet fake-graph --port N`, the `fake_graph` pytest fixture and
the simulator (mounted under /simulator/graph/ when PENCET_SIMULATOR=1).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .fakegraph_templates import templates_page

ERROR_TYPES = {190: "OAuthException", 100: "OAuthException"}
ERROR_MESSAGES = {
    190: "Invalid OAuth access token - Cannot parse access token",
    131047: "Re-engagement message",
    131026: "Message undeliverable",
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131000: "Something went wrong",
    131009: "Parameter value is not valid",
    100: "Invalid parameter",
    80007: "Rate limit issue",
    4: "(#4) Application request limit reached",
    131062: "Business-scoped User ID recipients are not supported for this message.",
}
# HTTP status Meta uses with each error code (most Graph errors come back as 400).
ERROR_STATUS = {190: 401, 131000: 500, 130429: 400, 131056: 400, 4: 400, 80007: 400}

MESSAGE_TYPES = {
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "template",
    "reaction",
}


@dataclass
class StoredMedia:
    media_id: str
    data: bytes
    mime_type: str
    filename: str = ""
    nonce: str = ""
    url_expires: float = 0.0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Failure:
    code: int
    status: int
    message: str
    subcode: int | None
    path: str  # "messages", "media_info", "download", "upload" or "" for any request
    times: int


@dataclass
class FakeGraph:
    """The Graph API stand-in. Thread-safe; all state lives in memory."""

    token: str = "test-access-token"
    url_ttl: float = 300.0
    # Called with (phone_number_id, body, wamid) after each accepted send (the simulator uses it).
    on_send: Callable[[str, dict, str], None] | None = None
    messages: list[dict] = field(default_factory=list)  # {"phone_number_id", "body", "wamid", "at"}
    media: dict[str, StoredMedia] = field(default_factory=dict)
    uploads: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request
    # The WhatsApp Business Account's templates as Meta lists them (name, language, status, category, components).
    message_templates: list[dict] = field(default_factory=list)
    # More templates, read at each listing (the simulator: every template an office registered, as Meta approved).
    templates_source: Callable[[], list[dict]] | None = None
    _failures: deque = field(default_factory=deque)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # ----- test helpers -------------------------------------------------------------------------

    def add_media(self, data: bytes, mime_type: str, filename: str = "") -> str:
        """Keep `data` as if a WhatsApp user had uploaded it; returns the media id for a webhook."""
        media_id = str(10**15 + secrets.randbelow(9 * 10**15))
        with self._lock:
            self.media[media_id] = StoredMedia(media_id=media_id, data=data, mime_type=mime_type, filename=filename)
        return media_id

    def template_add(
        self, name: str, language: str = "id", *, status: str = "APPROVED", category: str = "UTILITY", body: str = ""
    ) -> None:
        """Meta's review of a submitted template; the same name and language again changes its status."""
        with self._lock:
            for template in self.message_templates:
                if (template["name"], template["language"]) == (name, language):
                    template["status"] = status
                    return
            self.message_templates.append(
                {
                    "name": name,
                    "language": language,
                    "status": status,
                    "category": category,
                    "components": [{"type": "BODY", "text": body or name}],
                    "id": str(10**15 + secrets.randbelow(9 * 10**15)),
                }
            )

    def fail_next(
        self,
        code: int = 131047,
        *,
        times: int = 1,
        status: int | None = None,
        message: str = "",
        subcode: int | None = None,
        path: str = "messages",
    ) -> None:
        """Answer the next `times` matching requests with Meta's error envelope (code 131000/5xx etc.).

        path: "messages" (sends), "upload", "media_info", "download", or "" for any request.
        code 0 with status 5xx gives a bare server error without Meta's envelope.
        """
        with self._lock:
            self._failures.append(
                Failure(
                    code=code,
                    status=status or ERROR_STATUS.get(code, 400),
                    message=message or ERROR_MESSAGES.get(code, "Error"),
                    subcode=subcode,
                    path=path,
                    times=times,
                )
            )

    def expire_media_urls(self) -> None:
        """Make every media URL handed out so far stale (the next download answers 404)."""
        with self._lock:
            for item in self.media.values():
                item.url_expires = 0.0

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.media.clear()
            self.uploads.clear()
            self.requests.clear()
            self._failures.clear()

    def sent(self, to: str | None = None) -> list[dict]:
        """JSON bodies accepted by POST /messages, oldest first; `to` matches the phone (`to`) or user id
        (`recipient`)."""
        with self._lock:
            bodies = [m["body"] for m in self.messages]
        if to is None:
            return bodies
        return [b for b in bodies if to in (b.get("to"), b.get("recipient"))]

    def last(self, to: str | None = None) -> dict:
        bodies = self.sent(to)
        if not bodies:
            raise AssertionError(f"nothing was sent to {to!r}")
        return bodies[-1]

    def texts(self, to: str | None = None) -> list[str]:
        """Readable text of every message sent (text body, interactive body, template name + params)."""
        return [body_text(b) for b in self.sent(to)]

    def last_text(self, to: str | None = None) -> str:
        return body_text(self.last(to))

    def buttons(self, to: str | None = None) -> list[dict]:
        """[{"id", "title"}] of the reply buttons in the last interactive button message sent to `to`."""
        for body in reversed(self.sent(to)):
            interactive = body.get("interactive") or {}
            if interactive.get("type") == "button":
                return [b["reply"] for b in interactive["action"]["buttons"]]
        raise AssertionError(f"no reply buttons were sent to {to!r}")

    def rows(self, to: str | None = None) -> list[dict]:
        """[{"id", "title", "description"?}] of all rows of the last interactive list sent to `to`."""
        for body in reversed(self.sent(to)):
            interactive = body.get("interactive") or {}
            if interactive.get("type") == "list":
                return [row for section in interactive["action"]["sections"] for row in section["rows"]]
        raise AssertionError(f"no list was sent to {to!r}")

    def documents(self, to: str | None = None) -> list[StoredMedia]:
        """The uploaded files sent as documents to `to`, oldest first."""
        found = []
        for body in self.sent(to):
            if body.get("type") == "document" and body["document"].get("id") in self.media:
                found.append(self.media[body["document"]["id"]])
        return found

    def wamid_of(self, body: dict) -> str:
        with self._lock:
            for message in self.messages:
                if message["body"] is body:
                    return message["wamid"]
        raise KeyError("unknown body")

    # ----- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "") or "/"
        with self._lock:
            self.requests.append((method, path))
        try:
            status, headers, body = self._route(environ, method, path)
        except Exception as exc:  # a stand-in must never hide why it refused something
            status, headers, body = _error(500, 131000, f"stand-in error: {exc!r}")
        start_response(_status_line(status), headers + [("Content-Length", str(len(body)))])
        return [body]

    def _route(self, environ: dict, method: str, path: str) -> tuple[int, list, bytes]:
        parts = [p for p in path.split("/") if p]
        if len(parts) == 3 and parts[0] == "download" and method == "GET":
            return self._download(environ, parts[1], parts[2])
        if not self._authorized(environ):
            return _error(401, 190, ERROR_MESSAGES[190])
        if len(parts) == 3 and parts[2] == "messages" and method == "POST":
            return self._send(environ, parts[1])
        if len(parts) == 3 and parts[2] == "media" and method == "POST":
            return self._upload(environ)
        if len(parts) == 3 and parts[2] == "message_templates" and method == "GET":
            with self._lock:
                templates = [dict(t) for t in self.message_templates]
            if self.templates_source is not None:
                listed = {(t["name"], t["language"]) for t in templates}
                templates += [t for t in self.templates_source() if (t["name"], t["language"]) not in listed]
            url = f"{_base_url(environ)}{environ.get('PATH_INFO', '')}"
            return _json(*templates_page(templates=templates, query=environ.get("QUERY_STRING", ""), url=url))
        if len(parts) == 2 and method == "GET":
            return self._media_info(environ, parts[1])
        return _error(400, 100, f"Unsupported {method} request to {path}")

    def _authorized(self, environ: dict) -> bool:
        given = environ.get("HTTP_AUTHORIZATION", "")
        return secrets.compare_digest(given.encode(), f"Bearer {self.token}".encode())

    def _injected(self, path: str) -> tuple[int, list, bytes] | None:
        with self._lock:
            for failure in list(self._failures):
                if failure.path in ("", path):
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                    if failure.code == 0:
                        return failure.status, [("Content-Type", "text/html")], b"<html>Server Error</html>"
                    return _error(failure.status, failure.code, failure.message, failure.subcode)
        return None

    def _send(self, environ: dict, phone_number_id: str) -> tuple[int, list, bytes]:
        try:
            body = json.loads(_read(environ) or b"null")
        except ValueError:
            return _error(400, 100, "Invalid JSON body")
        problem = validate_message(body)
        if problem:
            return _error(400, 131009, ERROR_MESSAGES[131009], details=problem)
        injected = self._injected("messages")
        if injected:
            return injected
        wamid = "wamid." + base64.b64encode(secrets.token_bytes(24)).decode().rstrip("=")
        with self._lock:
            self.messages.append({"phone_number_id": phone_number_id, "body": body, "wamid": wamid, "at": time.time()})
        if self.on_send:
            self.on_send(phone_number_id, body, wamid)
        recipient = body.get("to") or body.get("recipient")
        contact = {"input": recipient}
        if body.get("to"):
            contact["wa_id"] = re.sub(r"\D", "", body["to"])
        else:
            contact["user_id"] = body["recipient"]
        return _json(200, {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]})

    def _upload(self, environ: dict) -> tuple[int, list, bytes]:
        injected = self._injected("upload")
        if injected:
            return injected
        fields = _multipart(environ)
        upload = fields.get("file")
        if not upload or fields.get("messaging_product", (b"",))[0] != b"whatsapp":
            return _error(400, 100, "Param file and messaging_product=whatsapp are required")
        data, filename, content_type = upload
        mime = (fields.get("type", (b"",))[0].decode() or content_type or "application/octet-stream").strip()
        media_id = self.add_media(data, mime, filename)
        with self._lock:
            self.uploads.append(media_id)
        return _json(200, {"id": media_id})

    def _media_info(self, environ: dict, media_id: str) -> tuple[int, list, bytes]:
        injected = self._injected("media_info")
        if injected:
            return injected
        with self._lock:
            item = self.media.get(media_id)
            if item is None:
                return _error(400, 100, "Unsupported get request. Object does not exist", subcode=33)
            item.nonce = secrets.token_urlsafe(12)
            item.url_expires = time.time() + self.url_ttl
        url = f"{_base_url(environ)}/download/{media_id}/{item.nonce}"
        payload = {
            "messaging_product": "whatsapp",
            "url": url,
            "mime_type": item.mime_type,
            "sha256": item.sha256,
            "file_size": len(item.data),
            "id": media_id,
        }
        return _json(200, payload)

    def _download(self, environ: dict, media_id: str, nonce: str) -> tuple[int, list, bytes]:
        if not self._authorized(environ):
            return _error(401, 190, ERROR_MESSAGES[190])
        injected = self._injected("download")
        if injected:
            return injected
        with self._lock:
            item = self.media.get(media_id)
            if item is None or item.nonce != nonce or item.url_expires < time.time():
                return 404, [("Content-Type", "text/plain")], b"URL expired or unknown"
        return 200, [("Content-Type", item.mime_type)], item.data


def body_text(body: dict) -> str:
    kind = body.get("type")
    if kind == "text":
        return body["text"]["body"]
    if kind == "interactive":
        return body["interactive"]["body"]["text"]
    if kind == "document":
        return body["document"].get("caption", "")
    if kind == "template":
        params = [
            p.get("text", "")
            for c in body["template"].get("components", [])
            if c.get("type") == "body"
            for p in c.get("parameters", [])
        ]
        return " ".join([body["template"]["name"], *params])
    return ""


def validate_message(body: Any) -> str:
    """The checks Meta applies before accepting a send; returns a problem description or ""."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not (body.get("to") or body.get("recipient")):
        return "to or recipient is required"
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES or not isinstance(body.get(kind), dict | list):
        return f"missing or unsupported message type {kind!r}"
    if kind == "text" and not 0 < len(body["text"].get("body", "")) <= 4096:
        return "text.body must have 1 to 4096 characters"
    if kind == "interactive":
        interactive = body["interactive"]
        if len(interactive.get("body", {}).get("text", "")) > 1024:
            return "interactive body too long"
        action = interactive.get("action", {})
        if interactive.get("type") == "button":
            buttons = action.get("buttons", [])
            if not 1 <= len(buttons) <= 3 or any(len(b["reply"]["title"]) > 20 for b in buttons):
                return "1 to 3 buttons with titles up to 20 characters"
        elif interactive.get("type") == "list":
            rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
            if not 1 <= len(rows) <= 10 or any(
                len(r["title"]) > 24 or len(r.get("description", "")) > 72 for r in rows
            ):
                return "1 to 10 rows with titles up to 24 and descriptions up to 72 characters"
        else:
            return "unsupported interactive type"
    if kind == "document" and not (body["document"].get("id") or body["document"].get("link")):
        return "document needs id or link"
    return ""


def _status_line(status: int) -> str:
    reasons = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        429: "Too Many Requests",
    }
    return f"{status} {reasons.get(status, 'Error')}"


def _json(status: int, payload: dict) -> tuple[int, list, bytes]:
    return status, [("Content-Type", "application/json")], json.dumps(payload).encode()


def _error(status: int, code: int, message: str, subcode: int | None = None, details: str = "") -> tuple:
    error: dict[str, Any] = {
        "message": f"(#{code}) {message}" if code not in (190,) else message,
        "type": ERROR_TYPES.get(code, "OAuthException"),
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(16),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return _json(status, {"error": error})


def _read(environ: dict) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _base_url(environ: dict) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return f"{scheme}://{host}{environ.get('SCRIPT_NAME', '').rstrip('/')}"


def _multipart(environ: dict) -> dict[str, tuple]:
    """Parse multipart/form-data into {name: (bytes, filename, content_type)}."""
    content_type = environ.get("CONTENT_TYPE", "")
    raw = _read(environ)
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields: dict[str, tuple] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[name] = (part.get_payload(decode=True) or b"", part.get_filename() or "", part.get_content_type())
    return fields


_simulator_graph: FakeGraph | None = None
_simulator_lock = threading.Lock()


def simulator_graph() -> FakeGraph:
    """The one stand-in of this web process (the simulator mounts it under /simulator/graph/)."""
    global _simulator_graph
    with _simulator_lock:
        if _simulator_graph is None:
            from django.conf import settings

            _simulator_graph = FakeGraph(
                token=settings.WHATSAPP_ACCESS_TOKEN, url_ttl=300.0, templates_source=_registered_templates
            )
        return _simulator_graph


def _registered_templates() -> list[dict]:
    """The simulator's Meta approves every template an office registered, so a demo office can announce after a
    template sync (a real office waits for Meta's review)."""
    from pencet.catalog.models import MessageTemplate

    rows = MessageTemplate.objects.values_list("name", "language", "category", "body_preview").distinct()
    return [
        {
            "name": name,
            "language": language,
            "status": "APPROVED",
            "category": category,
            "components": [{"type": "BODY", "text": body or name}],
            "id": str(10**15 + index),
        }
        for index, (name, language, category, body) in enumerate(rows)
    ]
