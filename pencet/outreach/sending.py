"""One way out for this app: a message to a contact through the outbox, in the contact's language, with the
template event and parameters the outbox uses when the 24-hour window is closed."""

from django.utils import translation

from pencet.cases.models import Application
from pencet.whatsapp.models import Contact, OutboundMessage
from pencet.whatsapp.services import outbox_enqueue

# List rows: title ≤ 24, description ≤ 72 (Meta); buttons ≤ 20.
ROW_TITLE, ROW_DESCRIPTION, BUTTON_TITLE = 24, 72, 20


def clip(text: str, size: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def send_text(
    *, contact: Contact, body: str, template_event: str = "", params: list[str] | None = None,
    application: Application | None = None,
) -> OutboundMessage:  # fmt: skip
    return outbox_enqueue(
        contact=contact,
        kind="text",
        payload={"body": body},
        application=application,
        template_event=template_event,
        template_params=params,
    )


def send_buttons(
    *, contact: Contact, body: str, buttons: list[tuple[str, str]], template_event: str = "",
    params: list[str] | None = None, application: Application | None = None,
) -> OutboundMessage:  # fmt: skip
    return outbox_enqueue(
        contact=contact,
        kind="buttons",
        payload={"body": body, "buttons": [{"id": i, "title": clip(t, BUTTON_TITLE)} for i, t in buttons]},
        application=application,
        template_event=template_event,
        template_params=params,
    )


def send_rows(
    *, contact: Contact, body: str, button: str, sections: list[tuple[str, list[tuple[str, str, str]]]]
) -> OutboundMessage:
    payload_sections = []
    for title, rows in sections:
        if not rows:
            continue
        payload_sections.append(
            {
                "title": clip(title, ROW_TITLE),
                "rows": [
                    {"id": i, "title": clip(t, ROW_TITLE), **({"description": clip(d, ROW_DESCRIPTION)} if d else {})}
                    for i, t, d in rows
                ],
            }
        )
    return outbox_enqueue(
        contact=contact,
        kind="list",
        payload={"body": body, "button": clip(button, BUTTON_TITLE), "sections": payload_sections},
    )


def contact_language(contact: Contact) -> translation.override:
    return translation.override(contact.language or "id")
