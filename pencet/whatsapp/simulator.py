"""The phone simulator (PENCET_SIMULATOR=1 only): a person plays a citizen on a phone-like page.

What the citizen sends goes through a SIGNED webhook over HTTP to /whatsapp/webhook/ of this same server, so the
demo runs the production path; what the bot sends reaches the Graph API stand-in mounted at /simulator/graph/
(kept in this web process's memory; the Huey consumer reaches it over HTTP).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pencet.lib import files
from pencet.lib.phone import phone_normalize

from . import payloads
from .fakegraph import body_text, simulator_graph

DEFAULT_NAME = "Sari Wahyuni"
DEFAULT_PHONE = "6281234567890"


@dataclass
class _Sent:
    """What the simulated citizen sent, for the conversation view."""

    at: float
    text: str
    media_id: str = ""
    content_type: str = ""
    filename: str = ""


@dataclass
class _Phones:
    sent: dict[str, list[_Sent]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_phones = _Phones()


def _user_id(phone: str) -> str:
    # A stable stand-in for Meta's business-scoped user id.
    return "ID." + str(int(hashlib.sha256(phone.encode()).hexdigest(), 16))[:16]


def _identity(request: HttpRequest) -> tuple[str, str]:
    return request.session.get("sim_name", DEFAULT_NAME), request.session.get("sim_phone", DEFAULT_PHONE)


def simulator_page(request: HttpRequest) -> HttpResponse:
    name, phone = _identity(request)
    return render(
        request,
        "whatsapp/simulator.html",
        {"name": name, "phone": phone, "conversation": _conversation(phone), "error": request.GET.get("error", "")},
    )


@require_POST
def simulator_identity(request: HttpRequest) -> HttpResponse:
    phone = phone_normalize(request.POST.get("phone", ""))
    if phone is None:
        return redirect(reverse("simulator:page") + "?error=" + _("Nomor WhatsApp tidak valid."))
    request.session["sim_phone"] = phone
    request.session["sim_name"] = (request.POST.get("name", "") or DEFAULT_NAME).strip()[:60]
    return redirect("simulator:page")


@require_POST
def simulator_send(request: HttpRequest) -> HttpResponse:
    """Text, a tapped button/row, or a file, delivered as Meta would: a signed webhook POST."""
    name, phone = _identity(request)
    common = {"phone": phone, "user_id": _user_id(phone), "name": name,
              "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID}  # fmt: skip
    upload = request.FILES.get("file")
    reply_id = request.POST.get("reply_id", "")
    text = request.POST.get("text", "").strip()
    record = _Sent(at=time.time(), text=text)
    if upload is not None:
        data = upload.read()
        content_type = files.file_type(data) or upload.content_type or "application/octet-stream"
        media_id = simulator_graph().add_media(data, content_type, upload.name)
        sha = payloads.media_sha256_b64(data)
        record = _Sent(at=time.time(), text=text, media_id=media_id, content_type=content_type, filename=upload.name)
        if content_type in files.IMAGE_TYPES and request.POST.get("as_document") != "1":
            payload = payloads.wa_image(media_id=media_id, sha256=sha, mime=content_type, caption=text, **common)
        else:
            payload = payloads.wa_document(
                media_id=media_id, sha256=sha, mime=content_type, filename=upload.name, caption=text, **common
            )
    elif reply_id:
        title = request.POST.get("title", "")
        record.text = title
        if request.POST.get("kind") == "list":
            payload = payloads.wa_list_reply(reply_id=reply_id, title=title, **common)
        else:
            payload = payloads.wa_button_reply(reply_id=reply_id, title=title, **common)
    elif text:
        payload = payloads.wa_text(text=text[:4096], **common)
    else:
        return _after_send(request, "")
    error = _deliver(payload)
    if not error:
        with _phones.lock:
            _phones.sent.setdefault(phone, []).append(record)
    return _after_send(request, error)


def _after_send(request: HttpRequest, error: str) -> HttpResponse:
    if request.htmx:
        name, phone = _identity(request)
        return render(
            request, "whatsapp/simulator_messages.html", {"conversation": _conversation(phone), "error": error}
        )
    url = reverse("simulator:page")
    return redirect(url + ("?error=" + error if error else ""))


def _deliver(payload: dict) -> str:
    raw = json.dumps(payload).encode()
    url = settings.SITE_URL.rstrip("/") + reverse("whatsapp:webhook")
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": payloads.signature_header(raw, settings.WHATSAPP_APP_SECRET),
    }
    try:
        response = httpx.post(url, content=raw, headers=headers, timeout=15)
    except httpx.TransportError as exc:
        return _("Webhook tidak dapat dihubungi (%(url)s): %(error)s") % {"url": url, "error": exc}
    if response.status_code != 200:
        return _("Webhook menjawab %(status)s.") % {"status": response.status_code}
    return ""


def _conversation(phone: str) -> list[dict]:
    items: list[dict] = []
    with _phones.lock:
        mine = list(_phones.sent.get(phone, []))
    for sent in mine:
        items.append({"at": sent.at, "me": True, "text": sent.text, "media_id": sent.media_id,
                      "is_image": sent.content_type in files.IMAGE_TYPES, "filename": sent.filename})  # fmt: skip
    graph = simulator_graph()
    with graph._lock:
        bot = [m for m in graph.messages if phone in (m["body"].get("to"), m["body"].get("recipient"))]
    for message in bot:
        body = message["body"]
        item: dict = {"at": message["at"], "me": False, "text": body_text(body), "kind": body.get("type")}
        interactive = body.get("interactive") or {}
        if interactive.get("type") == "button":
            item["buttons"] = [b["reply"] for b in interactive["action"]["buttons"]]
        elif interactive.get("type") == "list":
            item["list_button"] = interactive["action"].get("button", "")
            item["rows"] = [r for s in interactive["action"]["sections"] for r in s["rows"]]
        if interactive.get("header", {}).get("text"):
            item["header"] = interactive["header"]["text"]
        if interactive.get("footer", {}).get("text"):
            item["footer"] = interactive["footer"]["text"]
        if body.get("type") == "document":
            item["media_id"] = body["document"].get("id", "")
            item["filename"] = body["document"].get("filename", "")
        if body.get("type") == "template":
            item["template"] = body["template"]["name"]
        items.append(item)
    items.sort(key=lambda i: i["at"])
    for item in items:
        item["time"] = time.strftime("%H:%M", time.localtime(item["at"]))
    return items


def simulator_messages(request: HttpRequest) -> HttpResponse:
    """The conversation for htmx polling; 204 (nothing to swap) while it has not changed, so an open list stays
    open."""
    _, phone = _identity(request)
    conversation = _conversation(phone)
    _echo_read(phone)
    if request.GET.get("n", "") == str(len(conversation)):
        return HttpResponse(status=204)
    return render(request, "whatsapp/simulator_messages.html", {"conversation": conversation})


# Statuses Meta would send back: sent and delivered right after a send, read once the page showed the message.
_read_echoed: set[str] = set()


def _post_statuses(items: list[dict]) -> None:
    def run() -> None:
        time.sleep(STATUS_DELAY_SECONDS)
        _deliver(payloads.wa_batch(*items))

    # In the background: the stand-in must answer the send before Meta's statuses arrive.
    _spawn(run)


STATUS_DELAY_SECONDS = 0.3


def _spawn(run: Callable[[], None]) -> None:
    threading.Thread(target=run, daemon=True).start()


def _echo_send(phone_number_id: str, body: dict, wamid: str) -> None:
    phone, user_id = body.get("to"), body.get("recipient")
    common = {"phone": phone, "user_id": user_id or (_user_id(phone) if phone else None),
              "phone_number_id": phone_number_id}  # fmt: skip
    callback = body.get("biz_opaque_callback_data")
    _post_statuses(
        [
            payloads.wa_status(wamid=wamid, status=status, biz_opaque_callback_data=callback, **common)
            for status in ("sent", "delivered")
        ]
    )


def _echo_read(phone: str) -> None:
    graph = simulator_graph()
    with graph._lock:
        fresh = [
            m for m in graph.messages
            if phone in (m["body"].get("to"), m["body"].get("recipient")) and m["wamid"] not in _read_echoed
        ]  # fmt: skip
        _read_echoed.update(m["wamid"] for m in fresh)
    if fresh:
        _post_statuses(
            [
                payloads.wa_status(
                    wamid=m["wamid"],
                    status="read",
                    phone=phone,
                    user_id=_user_id(phone),
                    biz_opaque_callback_data=m["body"].get("biz_opaque_callback_data"),
                    phone_number_id=m["phone_number_id"],
                )  # fmt: skip
                for m in fresh
            ]
        )


simulator_graph().on_send = _echo_send


def simulator_media(request: HttpRequest, media_id: str) -> HttpResponse:
    item = simulator_graph().media.get(media_id)
    if item is None:
        raise Http404
    response = HttpResponse(item.data, content_type=item.mime_type)
    if item.filename:
        response["Content-Disposition"] = f'inline; filename="{item.filename}"'
    return response


@require_POST
def simulator_reset(request: HttpRequest) -> HttpResponse:
    _, phone = _identity(request)
    with _phones.lock:
        _phones.sent.pop(phone, None)
    graph = simulator_graph()
    with graph._lock:
        graph.messages[:] = [
            m for m in graph.messages if phone not in (m["body"].get("to"), m["body"].get("recipient"))
        ]
    return redirect("simulator:page")


@csrf_exempt
def graph_api(request: HttpRequest, rest: str) -> HttpResponse:
    """The Graph API stand-in, mounted in this server (the WSGI app sees /{version}/… as its own path)."""
    body = request.read()
    environ = dict(request.META)
    environ.update(
        {
            "SCRIPT_NAME": reverse("simulator:graph_root").rstrip("/"),
            "PATH_INFO": "/" + rest,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
    )
    captured: dict = {}

    def start_response(status: str, headers: list) -> None:
        captured["status"] = int(status.split()[0])
        captured["headers"] = headers

    content = b"".join(simulator_graph()(environ, start_response))
    headers = dict(captured["headers"])
    return HttpResponse(content, status=captured["status"], content_type=headers.get("Content-Type"))
