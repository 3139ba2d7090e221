"""Blank forms a citizen prints and fills by hand (ReportLab, A4): a header with the office and the form's code, the
title, then sections of labelled boxes, tick boxes, tables, statements and signature blocks.

Framework-free: the caller passes the form as data (pencet.catalog.blank_forms) and plain strings.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 15 * mm
RIGHT = PAGE_WIDTH - 15 * mm
BOTTOM = 18 * mm
LABEL_WIDTH = 58 * mm
BOX = 5 * mm
ROW = 7 * mm
FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


@dataclass(frozen=True)
class Section:
    title: str


@dataclass(frozen=True)
class Field:
    """A labelled answer: `boxes` character boxes (a NIK has 16), else a line to the margin, `lines` times."""

    label: str
    boxes: int = 0
    lines: int = 1


@dataclass(frozen=True)
class Choice:
    """Tick one of the options."""

    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """Columns (title, relative width) and that many empty rows to fill."""

    columns: tuple[tuple[str, float], ...]
    rows: int = 6


@dataclass(frozen=True)
class Text:
    """A printed paragraph (the statement of an SPTJM)."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side; `stamp` marks the one that signs over a meterai."""

    roles: tuple[str, ...]
    stamp: int | None = None
    place_date: bool = True


Item = Section | Field | Choice | Table | Text | Signatures


@dataclass(frozen=True)
class BlankFormText:
    """The fixed words on every form, translated by the caller."""

    code_label: str = "Kode formulir"
    page: str = "Halaman %(page)s"
    place_date: str = "......................., tanggal ...................."
    stamp: str = "Meterai 10.000"
    name_line: str = "(nama jelas dan tanda tangan)"
    footer: str = "Isi dengan huruf cetak dan tinta hitam. Formulir ini gratis."


@dataclass
class _Page:
    pdf: canvas.Canvas
    code: str
    text: BlankFormText
    number: int = 1
    y: float = field(default=0.0)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


def _footer(page: _Page) -> None:
    pdf = page.pdf
    pdf.setFont(ITALIC, 7.5)
    pdf.drawString(LEFT, 10 * mm, page.text.footer)
    pdf.drawRightString(RIGHT, 10 * mm, f"{page.code} · " + page.text.page % {"page": page.number})


def _room(page: _Page, needed: float) -> None:
    """Start a new page (with the form's code on top) when `needed` does not fit."""
    if page.y - needed >= BOTTOM:
        return
    _footer(page)
    page.pdf.showPage()
    page.pdf.setLineWidth(0.5)
    page.number += 1
    page.pdf.setFont(BOLD, 9)
    page.pdf.drawRightString(RIGHT, PAGE_HEIGHT - 12 * mm, page.code)
    page.y = PAGE_HEIGHT - 20 * mm


def _header(page: _Page, *, office_name: str, office_address: str, title: str, subtitle: str) -> None:
    pdf = page.pdf
    y = PAGE_HEIGHT - 16 * mm
    # The code in a box at the top right, as on the printed forms.
    pdf.setFont(BOLD, 12)
    code_width = stringWidth(page.code, BOLD, 12) + 8 * mm
    pdf.rect(RIGHT - code_width, y - 3 * mm, code_width, 9 * mm)
    pdf.drawCentredString(RIGHT - code_width / 2, y, page.code)
    pdf.setFont(FONT, 7)
    pdf.drawRightString(RIGHT, y - 6.5 * mm, page.text.code_label)
    pdf.setFont(BOLD, 11)
    pdf.drawString(LEFT, y, office_name.upper())
    if office_address:
        pdf.setFont(FONT, 8.5)
        pdf.drawString(LEFT, y - 4.5 * mm, office_address)
    y -= 10 * mm
    pdf.setLineWidth(1)
    pdf.line(LEFT, y, RIGHT, y)
    pdf.setLineWidth(0.5)
    y -= 9 * mm
    pdf.setFont(BOLD, 13)
    for line in _wrap(title.upper(), BOLD, 13, RIGHT - LEFT - 10 * mm):
        pdf.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= 6 * mm
    if subtitle:
        pdf.setFont(FONT, 8.5)
        pdf.drawCentredString(PAGE_WIDTH / 2, y, subtitle)
        y -= 5 * mm
    page.y = y - 3 * mm


def _section(page: _Page, item: Section) -> None:
    _room(page, 9 * mm + ROW)
    pdf = page.pdf
    page.y -= 2 * mm
    pdf.setFillColorRGB(0.88, 0.88, 0.88)
    pdf.rect(LEFT, page.y - 5.5 * mm, RIGHT - LEFT, 6.5 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(BOLD, 9.5)
    pdf.drawString(LEFT + 2 * mm, page.y - 3.8 * mm, item.title.upper())
    page.y -= 9 * mm


def _label(page: _Page, text: str) -> None:
    page.pdf.setFont(FONT, 9)
    lines = _wrap(text, FONT, 9, LABEL_WIDTH - 4 * mm)
    for index, line in enumerate(lines[:2]):
        page.pdf.drawString(LEFT, page.y - 4 * mm - index * 3.6 * mm, line)
    page.pdf.drawString(LEFT + LABEL_WIDTH - 3 * mm, page.y - 4 * mm, ":")


def _field(page: _Page, item: Field) -> None:
    _room(page, ROW * max(item.lines, 1))
    _label(page, item.label)
    pdf = page.pdf
    x = LEFT + LABEL_WIDTH
    if item.boxes:
        boxes = min(item.boxes, int((RIGHT - x) // BOX))
        for index in range(boxes):
            pdf.rect(x + index * BOX, page.y - 5.5 * mm, BOX, BOX)
        page.y -= ROW
        return
    for _line in range(max(item.lines, 1)):
        pdf.setDash(1, 1.5)
        pdf.line(x, page.y - 5 * mm, RIGHT, page.y - 5 * mm)
        pdf.setDash()
        page.y -= ROW


def _choice(page: _Page, item: Choice) -> None:
    pdf = page.pdf
    pdf.setFont(FONT, 9)
    x_start = LEFT + LABEL_WIDTH
    rows, row, x = [], [], x_start
    for option in item.options:
        width = BOX + 2 * mm + stringWidth(option, FONT, 9) + 5 * mm
        if row and x + width > RIGHT:
            rows.append(row)
            row, x = [], x_start
        row.append((x, option))
        x += width
    rows.append(row)
    _room(page, ROW * len(rows))
    _label(page, item.label)
    for placed in rows:
        pdf.setFont(FONT, 9)
        for x, option in placed:
            pdf.rect(x, page.y - 5 * mm, 4 * mm, 4 * mm)
            pdf.drawString(x + 5.5 * mm, page.y - 4 * mm, option)
        page.y -= ROW


def _table(page: _Page, item: Table) -> None:
    pdf = page.pdf
    total = sum(weight for _title, weight in item.columns)
    widths = [(RIGHT - LEFT) * weight / total for _title, weight in item.columns]
    titles = [title for title, _weight in item.columns]
    header_lines = max(len(_wrap(t, BOLD, 7.5, w - 2 * mm)) for t, w in zip(titles, widths, strict=True))
    header = 3.5 * mm * header_lines + 2.5 * mm
    _room(page, header + ROW * min(item.rows, 3))
    top = page.y
    x = LEFT
    pdf.setFont(BOLD, 7.5)
    for (title, _weight), width in zip(item.columns, widths, strict=True):
        pdf.rect(x, top - header, width, header)
        for index, line in enumerate(_wrap(title, BOLD, 7.5, width - 2 * mm)):
            pdf.drawCentredString(x + width / 2, top - 3.5 * mm - index * 3.5 * mm, line)
        x += width
    page.y = top - header
    for _row in range(item.rows):
        _room(page, ROW)
        x = LEFT
        for width in widths:
            pdf.rect(x, page.y - ROW, width, ROW)
            x += width
        page.y -= ROW
    page.y -= 3 * mm


def _text(page: _Page, item: Text) -> None:
    font = BOLD if item.bold else FONT
    lines = _wrap(item.text, font, 9.5, RIGHT - LEFT)
    _room(page, 4.8 * mm * len(lines) + 2 * mm)
    page.pdf.setFont(font, 9.5)
    for line in lines:
        page.pdf.drawString(LEFT, page.y - 4 * mm, line)
        page.y -= 4.8 * mm
    page.y -= 2 * mm


def _signatures(page: _Page, item: Signatures) -> None:
    pdf = page.pdf
    height = 38 * mm + (6 * mm if item.place_date else 0)
    _room(page, height)
    if item.place_date:
        pdf.setFont(FONT, 9)
        pdf.drawRightString(RIGHT, page.y - 4 * mm, page.text.place_date)
        page.y -= 7 * mm
    count = len(item.roles)
    width = (RIGHT - LEFT) / count
    for index, role in enumerate(item.roles):
        centre = LEFT + width * index + width / 2
        pdf.setFont(BOLD, 9)
        pdf.drawCentredString(centre, page.y - 4 * mm, role)
        if item.stamp == index:
            pdf.setDash(2, 2)
            pdf.rect(centre - 14 * mm, page.y - 24 * mm, 22 * mm, 14 * mm)
            pdf.setDash()
            pdf.setFont(FONT, 7)
            pdf.drawCentredString(centre - 3 * mm, page.y - 18 * mm, page.text.stamp)
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(centre, page.y - 30 * mm, "( " + "." * 40 + " )")
        pdf.setFont(ITALIC, 7)
        pdf.drawCentredString(centre, page.y - 34 * mm, page.text.name_line)
    page.y -= 38 * mm


DRAW = {
    Section: _section,
    Field: _field,
    Choice: _choice,
    Table: _table,
    Text: _text,
    Signatures: _signatures,
}


def blank_form_pdf(
    *,
    code: str,
    title: str,
    items: Sequence[Item],
    office_name: str,
    office_address: str = "",
    subtitle: str = "",
    text: BlankFormText | None = None,
) -> bytes:
    """The blank form as an A4 PDF; its document title (what a phone's viewer shows) is "<code> <title>"."""
    text = text or BlankFormText()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{code} {title}")
    pdf.setAuthor(office_name)
    pdf.setSubject(subtitle)
    pdf.setLineWidth(0.5)
    page = _Page(pdf=pdf, code=code, text=text)
    _header(page, office_name=office_name, office_address=office_address, title=title, subtitle=subtitle)
    for item in items:
        DRAW[type(item)](page, item)
    _footer(page)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
