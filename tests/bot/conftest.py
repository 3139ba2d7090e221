"""A scripted citizen for whole conversations: talks to the webhook with signed payloads, reads the Graph stand-in."""

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.wa import NAME, PHONE, USER_ID, signed_post, wa_button_reply, wa_document, wa_image, wa_list_reply, wa_text


def document_photo(*, blurred: bool = False, seed: int = 1) -> bytes:
    """A 1200×900 JPEG that looks like a printed form: dark lines of "text" on light paper."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 900), (200, 200, 195))
    draw = ImageDraw.Draw(image)
    for row in range(40, 880, 22):
        x = 40
        while x < 1140:
            width = rng.randint(8, 40)
            draw.rectangle((x, row, x + width, row + 9), fill=(30, 30, 30))
            x += width + rng.randint(5, 14)
    if blurred:
        image = image.filter(ImageFilter.GaussianBlur(radius=9))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


class Citizen:
    """One person on WhatsApp. Every method sends one message and returns what the bot answered to it."""

    def __init__(self, client, graph, *, phone: str = PHONE, user_id: str | None = USER_ID, name: str = NAME):
        self.client, self.graph = client, graph
        self.phone, self.user_id, self.name = phone, user_id, name

    def _post(self, payload: dict) -> list[dict]:
        before = len(self.graph.sent(to=self.phone))
        response = signed_post(self.client, payload)
        assert response.status_code == 200
        return self.graph.sent(to=self.phone)[before:]

    def _common(self) -> dict:
        return {"phone": self.phone, "user_id": self.user_id, "name": self.name}

    def say(self, text: str) -> list[dict]:
        return self._post(wa_text(text=text, **self._common()))

    def tap(self, reply_id: str) -> list[dict]:
        """Tap a button or list row the bot offered in its latest interactive message."""
        for body in reversed(self.graph.sent(to=self.phone)):
            interactive = body.get("interactive")
            if not interactive:
                continue
            if interactive["type"] == "button":
                for button in interactive["action"]["buttons"]:
                    if button["reply"]["id"] == reply_id:
                        return self._post(
                            wa_button_reply(reply_id=reply_id, title=button["reply"]["title"], **self._common())
                        )
            else:
                for section in interactive["action"]["sections"]:
                    for row in section["rows"]:
                        if row["id"] == reply_id:
                            return self._post(wa_list_reply(reply_id=reply_id, title=row["title"], **self._common()))
            raise AssertionError(f"{reply_id} is not offered in the last interactive message: {interactive}")
        raise AssertionError("the bot sent no interactive message")

    def tap_title(self, title: str) -> list[dict]:
        """Tap the option whose title starts with `title` in the latest interactive message."""
        return self.tap(self.option(title))

    def option(self, title: str) -> str:
        options = self.options()
        for option_id, option_title in options:
            if option_title.lower().startswith(title.lower()):
                return option_id
        raise AssertionError(f"no option titled {title!r} in {options}")

    def options(self) -> list[tuple[str, str]]:
        for body in reversed(self.graph.sent(to=self.phone)):
            interactive = body.get("interactive")
            if not interactive:
                continue
            if interactive["type"] == "button":
                return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
            return [(r["id"], r["title"]) for s in interactive["action"]["sections"] for r in s["rows"]]
        return []

    def photo(self, data: bytes | None = None) -> list[dict]:
        data = data or document_photo()
        media_id = self.graph.add_media(data, "image/jpeg")
        return self._post(wa_image(media_id=media_id, **self._common()))

    def pdf(self, data: bytes | None = None) -> list[dict]:
        media_id = self.graph.add_media(data or pdf_bytes(), "application/pdf", "berkas.pdf")
        return self._post(wa_document(media_id=media_id, filename="berkas.pdf", **self._common()))

    def last_text(self) -> str:
        return self.graph.last_text(to=self.phone)

    def texts(self) -> list[str]:
        return self.graph.texts(to=self.phone)


def said(answers: list[dict]) -> str:
    """All texts of the bot's answers, joined, for `in` assertions."""
    from pencet.whatsapp.fakegraph import body_text

    return "\n".join(body_text(a) for a in answers)


@pytest.fixture
def citizen(client, office, fake_graph) -> Citizen:
    return Citizen(client, fake_graph)
