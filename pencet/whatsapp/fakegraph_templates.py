"""The Graph stand-in's message templates: `GET /{version}/{waba-id}/message_templates` as Meta answers it.

    {"data": [{"name", "language", "status", "category", "components", "id"}, ...],
     "paging": {"cursors": {"before", "after"}, "next": "<same URL with after=...>"}}

Only the requested `fields` are returned (plus `id`, which Meta always adds); `limit` sets the page size (Meta's
default is 25) and `after`/`before` are opaque base64 cursors; `next` is present only while more pages follow, and
`previous` only after the first page. Tests and the simulator add templates with FakeGraph.template_add.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlencode

DEFAULT_LIMIT = 25
ALL_FIELDS = ("name", "language", "status", "category", "components", "id")


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode()


def _position(cursor: str) -> int | None:
    try:
        return int(base64.b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None


def templates_page(*, templates: list[dict], query: str, url: str) -> tuple[int, dict]:
    """(HTTP status, JSON body) for one page of `templates`; `url` is the request's own URL without its query."""
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    try:
        limit = max(1, min(int(params.get("limit", DEFAULT_LIMIT)), 1000))
    except ValueError:
        return 400, _invalid("limit must be an integer")
    start = 0
    if "after" in params:
        position = _position(params["after"])
        if position is None:
            return 400, _invalid("Invalid cursor")
        start = position + 1
    fields = [f for f in params.get("fields", "").split(",") if f] or ["name", "language", "status", "category", "id"]
    wanted = {f for f in fields if f in ALL_FIELDS} | {"id"}
    page = templates[start : start + limit]
    data = [{k: v for k, v in t.items() if k in wanted} for t in page]
    body: dict = {"data": data}
    if page:
        first, last = start, start + len(page) - 1
        paging: dict = {"cursors": {"before": _cursor(first), "after": _cursor(last)}}
        if last + 1 < len(templates):
            paging["next"] = f"{url}?{urlencode({**params, 'after': _cursor(last)})}"
        if first > 0:
            before = {k: v for k, v in params.items() if k != "after"}
            paging["previous"] = f"{url}?{urlencode({**before, 'before': _cursor(first)})}"
        body["paging"] = paging
    return 200, body


def _invalid(message: str) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": 100, "fbtrace_id": "AfakeTrace"}}
