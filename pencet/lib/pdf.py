"""PDFs Pencet draws itself (ReportLab): the receipt (tanda terima) and the demo office's specimen output.

Framework-free: callers pass plain, already translated strings.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

QR_FORM_NAME = "StatusQR"
QR_BORDER_MODULES = 4


@dataclass(frozen=True)
class ReceiptText:
    """The receipt's fixed words, translated by the caller."""

    title: str = "Tanda Terima Permohonan"
    tracking_code: str = "Kode lacak"
    service: str = "Layanan"
    submitted_at: str = "Tanggal diajukan"
    applicant: str = "Nama pemohon"
    nik: str = "NIK"
    files: str = "Berkas yang diterima"
    no_files: str = "(tidak ada berkas)"
    scan_hint: str = "Pindai kode QR atau buka alamat ini untuk melihat status permohonan:"
    footer: str = "Simpan tanda terima ini. Kode lacak diperlukan untuk menanyakan dan mengambil dokumen."


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), as drawn on the receipt; tests compare against it."""
    qr = segno.make(data, error="m", micro=False)
    return [[bool(v) for v in row] for row in qr.matrix]


def _qr_draw(pdf: canvas.Canvas, *, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR from segno's matrix as vector squares, in its own form XObject."""
    matrix = qr_matrix(data)
    count = len(matrix) + 2 * QR_BORDER_MODULES
    module = size / count
    pdf.beginForm(QR_FORM_NAME)
    pdf.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                left = (col_index + QR_BORDER_MODULES) * module
                bottom = size - (row_index + QR_BORDER_MODULES + 1) * module
                pdf.rect(left, bottom, module, module, stroke=0, fill=1)
    pdf.endForm()
    pdf.saveState()
    pdf.translate(x, y)
    pdf.doForm(QR_FORM_NAME)
    pdf.restoreState()
    pdf.linkURL(data, (x, y, x + size, y + size), relative=0)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def receipt_pdf(
    *,
    office_name: str,
    office_address: str,
    tracking_code: str,
    service_name: str,
    submitted_at: str,
    applicant_name: str,
    nik_masked: str,
    files: Sequence[str],
    status_url: str,
    text: ReceiptText | None = None,
) -> bytes:
    """A one-page A4 receipt with a QR code linking to the public status page."""
    text = text or ReceiptText()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{text.title} {tracking_code}")
    pdf.setAuthor(office_name)
    width, height = A4
    left = 20 * mm
    y = height - 25 * mm

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, y, office_name)
    if office_address:
        y -= 5 * mm
        pdf.setFont("Helvetica", 9)
        pdf.drawString(left, y, office_address)
    y -= 4 * mm
    pdf.line(left, y, width - left, y)
    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, y, text.title)

    y -= 14 * mm
    rows = [
        (text.tracking_code, tracking_code),
        (text.service, service_name),
        (text.submitted_at, submitted_at),
        (text.applicant, applicant_name or "-"),
        (text.nik, nik_masked or "-"),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left, y, label)
        pdf.setFont("Helvetica-Bold" if label == text.tracking_code else "Helvetica", 11)
        for index, line in enumerate(_wrap(value, 62)):
            pdf.drawString(left + 45 * mm, y - index * 5 * mm, line)
        y -= 7 * mm + 5 * mm * (len(_wrap(value, 62)) - 1)

    y -= 4 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, y, text.files)
    pdf.setFont("Helvetica", 10)
    # One page only: the list stops above the QR code, with a count of what did not fit.
    lines_left = 15
    listed = list(files) or [text.no_files]
    for index, name in enumerate(listed, start=1):
        wrapped = _wrap(f"{index}. {name}", 95)
        if len(wrapped) > lines_left - (1 if index < len(listed) else 0):
            y -= 6 * mm
            pdf.drawString(left + 4 * mm, y, f"… (+{len(listed) - index + 1})")
            break
        for number, line in enumerate(wrapped):
            y -= 6 * mm if number == 0 else 4.5 * mm
            pdf.drawString(left + (4 if number == 0 else 8) * mm, y, line)
        lines_left -= len(wrapped)

    qr_size = 45 * mm
    qr_y = 45 * mm
    _qr_draw(pdf, data=status_url, x=left, y=qr_y, size=qr_size)
    pdf.setFont("Helvetica", 9)
    hint_y = qr_y + qr_size - 8 * mm
    for line in _wrap(text.scan_hint, 60):
        pdf.drawString(left + qr_size + 6 * mm, hint_y, line)
        hint_y -= 4.5 * mm
    pdf.setFont("Helvetica-Bold", 9)
    pdf.drawString(left + qr_size + 6 * mm, hint_y - 1 * mm, status_url)

    pdf.setFont("Helvetica-Oblique", 8)
    pdf.drawString(left, 25 * mm, text.footer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


SPECIMEN_MARK = "SPESIMEN — BUKAN DOKUMEN RESMI"


def specimen_pdf(
    *,
    office_name: str,
    document_title: str,
    tracking_code: str,
    lines: Sequence[tuple[str, str]],
    signer_label: str,
    mark: str = SPECIMEN_MARK,
    note: str = "",
) -> bytes:
    """A stand-in for the document SIAK would print, unmistakably marked as a specimen."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{mark}: {document_title} {tracking_code}")
    pdf.setAuthor(office_name)
    width, height = A4

    # The diagonal mark behind everything, so it cannot be cropped away.
    pdf.saveState()
    pdf.setFillColorRGB(0.85, 0.1, 0.1, alpha=0.18)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(55)
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(0, 0, mark)
    pdf.restoreState()

    pdf.setFillColorRGB(0.8, 0.1, 0.1)
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, height - 15 * mm, mark)
    pdf.drawCentredString(width / 2, 12 * mm, mark)
    pdf.setFillColorRGB(0, 0, 0)

    y = height - 35 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, y, office_name.upper())
    y -= 14 * mm
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, y, document_title.upper())
    y -= 8 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, y, tracking_code)

    y -= 18 * mm
    left = 25 * mm
    for label, value in lines:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left, y, label)
        pdf.drawString(left + 55 * mm, y, f": {value}"[:80])
        y -= 8 * mm

    if note:
        y -= 6 * mm
        pdf.setFont("Helvetica-Oblique", 9)
        for line in _wrap(note, 100):
            pdf.drawString(left, y, line)
            y -= 4.5 * mm

    pdf.setFont("Helvetica", 10)
    pdf.drawString(width - 95 * mm, 60 * mm, signer_label)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
