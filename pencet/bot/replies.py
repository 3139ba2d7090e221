"""Sending the bot's answers within Meta's limits, and reading which offered option the citizen picked."""

from pencet.cases.models import Application
from pencet.whatsapp import client
from pencet.whatsapp.services import outbox_enqueue

from . import matching
from .commands import normalize
from .conversation import Ctx
from .messages import common as m

REPLY_TYPES = ("interactive", "button")
MEDIA_TYPES = ("image", "document")
# A paged list keeps one row for "Berikutnya".
ROWS_PER_PAGE = client.MAX_LIST_ROWS - 1
# A media caption: at most 1024 characters (Cloud API).
CAPTION_MAX = 1024
YES_IDS = {"apply", "use", "nik_ok", "continue", "cancel_yes", "submit", "done"}
NO_IDS = {"no", "nik_wrong", "cancel_no"}

Row = tuple[str, str, str]


def text(ctx: Ctx, body: str, *, application: Application | None = None) -> None:
    if ctx.quiet:
        return
    outbox_enqueue(contact=ctx.contact, kind="text", payload={"body": body[: client.MAX_BODY]}, application=application)


def document(ctx: Ctx, *, storage_name: str, filename: str, caption: str) -> None:
    """A file from storage (a blank form) as a WhatsApp document with a short caption."""
    if ctx.quiet:
        return
    outbox_enqueue(
        contact=ctx.contact,
        kind="document",
        payload={"storage_name": storage_name, "filename": filename, "caption": caption[:CAPTION_MAX]},
    )


def buttons(ctx: Ctx, body: str, options: list[tuple[str, str]], *, application: Application | None = None) -> None:
    """Reply buttons; the ids are remembered so typing "1" or the title works too."""
    options = options[: client.MAX_BUTTONS]
    ctx.data.options = [[i, str(t)] for i, t in options]
    if ctx.quiet:
        return
    if len(body) > client.MAX_INTERACTIVE_BODY:
        text(ctx, body, application=application)
        body = m.choose_from_options()
    outbox_enqueue(
        contact=ctx.contact,
        kind="buttons",
        payload={"body": body, "buttons": [{"id": i, "title": str(t)[: client.MAX_BUTTON_TITLE]} for i, t in options]},
        application=application,
    )


def rows_list(
    ctx: Ctx,
    body: str,
    rows: list[Row],
    *,
    button: str = "",
    section: str = "",
    numbered: list[str] | None = None,
) -> None:
    """A list in one section; `numbered` are the ids a typed number picks when they differ from the rows."""
    rows = rows[: client.MAX_LIST_ROWS]
    ctx.data.options = [[i, str(t)] for i, t, _d in rows]
    ctx.data.hints = {i: str(d) for i, _t, d in rows if d}
    ctx.data.numbered = list(numbered or [])
    if ctx.quiet:
        return
    if len(body) > client.MAX_INTERACTIVE_BODY:
        text(ctx, body)
        body = m.choose_from_options()
    outbox_enqueue(
        contact=ctx.contact,
        kind="list",
        payload={
            "body": body,
            "button": str(button or m.BTN_CHOOSE)[: client.MAX_LIST_BUTTON],
            "sections": [
                {
                    "title": str(section or m.BTN_CHOOSE)[: client.MAX_SECTION_TITLE],
                    "rows": [
                        {
                            "id": i,
                            "title": str(t)[: client.MAX_ROW_TITLE],
                            **({"description": str(d)[: client.MAX_ROW_DESCRIPTION]} if d else {}),
                        }
                        for i, t, d in rows
                    ],
                }
            ],
        },
    )


def page_rows(rows: list[Row], *, page: int, prefix: str, next_title: str) -> list[Row]:
    """One page of a long list; a "Berikutnya" row leads on, the last page wraps to the first."""
    if len(rows) <= client.MAX_LIST_ROWS:
        return rows
    start = page * ROWS_PER_PAGE
    chunk = rows[start : start + ROWS_PER_PAGE]
    more = start + ROWS_PER_PAGE < len(rows)
    next_page = page + 1 if more else 0
    total = (len(rows) + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE
    return [*chunk, (f"{prefix}:{next_page}", next_title, f"{page + 1}/{total}")]


def choice(ctx: Ctx, *, loose: bool = True) -> str:
    """The option the citizen picked: a tapped id still on offer, a typed number, title, yes or no, or (`loose`)
    an option named in their own words ("surat dari bidan", "lansia")."""
    message = ctx.message
    options = ctx.data.options
    ids = [o[0] for o in options]
    if message is None:
        return ""
    if message.type in REPLY_TYPES:
        return message.reply_id if message.reply_id in ids else ""
    if message.type != "text":
        return ""
    typed_text = normalize(message.text)
    numbered = ctx.data.numbered or ids
    if typed_text.isdigit() and 1 <= int(typed_text) <= len(numbered):
        return numbered[int(typed_text) - 1]
    for option_id, title in options:
        if typed_text and typed_text == normalize(title):
            return option_id
    said = matching.yes_or_no(typed_text)
    wanted = YES_IDS if said == "yes" else NO_IDS if said == "no" else set()
    found = next((i for i in ids if i in wanted), "")
    if found or not loose:
        return found
    return matching.option_match(typed_text, offered(ctx))


def offered(ctx: Ctx) -> list[tuple[str, str, str]]:
    """The options on offer as (id, title, hint)."""
    return [(i, t, ctx.data.hints.get(i, "")) for i, t in ctx.data.options]


def typed(ctx: Ctx) -> str:
    """What the citizen typed, stripped; empty for taps and files."""
    message = ctx.message
    return (message.text or "").strip() if message is not None and message.type == "text" else ""


def is_file(ctx: Ctx) -> bool:
    return ctx.message is not None and ctx.message.type in MEDIA_TYPES
