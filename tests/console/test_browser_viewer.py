"""In Chromium at laptop size: the document viewer shows a portrait photo from its top edge (where a document says
who issued it), and zooming or turning it never pushes that edge out of reach."""

import io

import pytest
from PIL import Image

from pencet.cases.models import Status

from .conftest import LAPTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED, WHITE = (220, 0, 0), (255, 255, 255)


def _portrait_with_red_top() -> bytes:
    """A 900×1600 'document': a red band along its top edge, white below."""
    image = Image.new("RGB", (900, 1600), WHITE)
    image.paste(RED, (0, 0, 900, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def _first_visible_row(page, frame) -> tuple[int, int, int]:
    """The colour of the photo's first visible row: a pixel just inside the frame's top edge."""
    frame.evaluate("f => f.scrollIntoView({block: 'start'})")
    box = frame.bounding_box()
    shot = page.screenshot(clip={"x": box["x"] + 1, "y": box["y"] + 3, "width": box["width"] - 20, "height": 4})
    picture = Image.open(io.BytesIO(shot)).convert("RGB")
    return picture.getpixel((picture.width // 2, 1))


def _near(colour: tuple[int, int, int], target: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, target, strict=True))


def test_a_portrait_photo_starts_at_its_top_and_zoom_keeps_the_top_reachable(
    open_as, live_server, make_application, attach, akta_kelahiran
):
    application = make_application(Status.SUBMITTED)
    attach(application, requirement=akta_kelahiran.requirements.get(code="kk"), data=_portrait_with_red_top())
    page = open_as("andi", LAPTOP)
    page.goto(f"{live_server.url}/permohonan/{application.tracking_code}/")
    image = page.locator("[data-attachment] img").first
    image.wait_for()
    page.wait_for_function("document.querySelector('[data-attachment] img').complete")
    frame = page.locator("[data-attachment] .frame").first

    # Taller than the frame: the frame scrolls, and what shows first is the top edge of the document.
    assert image.bounding_box()["height"] > frame.bounding_box()["height"]
    assert image.bounding_box()["y"] >= frame.bounding_box()["y"]
    assert _near(_first_visible_row(page, frame), RED)

    # Zoomed in three times and scrolled back to the start: the top edge again, not the middle.
    for _ in range(3):
        page.click("[data-view=in]")
    frame.evaluate("f => { f.scrollTop = 0; f.scrollLeft = 0; }")
    assert image.bounding_box()["width"] > frame.bounding_box()["width"]
    assert image.bounding_box()["y"] >= frame.bounding_box()["y"] - 1
    assert _near(_first_visible_row(page, frame), RED)

    # Scrolled to the bottom, the frame shows the white lower part: the whole document is reachable.
    frame.evaluate("f => { f.scrollTop = f.scrollHeight; }")
    assert _near(_first_visible_row(page, frame), WHITE)

    # Turned a quarter: the turned photo lies inside the scrolling area (nothing above or left of its start).
    page.click("[data-view=right]")
    frame.evaluate("f => { f.scrollTop = 0; f.scrollLeft = 0; }")
    turned, stage = image.bounding_box(), page.locator("[data-attachment] .stage").first.bounding_box()
    assert turned["x"] >= stage["x"] - 1 and turned["y"] >= stage["y"] - 1
    assert turned["width"] > turned["height"]  # lying on its side now

    page.click("[data-view=reset]")
    assert _near(_first_visible_row(page, frame), RED)
