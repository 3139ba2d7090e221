"""Files for the evaluators: the SKM workbook (XLSX), the printable summary (PDF) and the complaints export."""

import csv
import io
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from pencet.lib.ikm import ELEMENT_COUNT, SCORE_MAX
from pencet.lib.lazy import LazyModule

from .models import Complaint, SurveyPeriod
from .selectors import IkmReport, response_scores, responses_in

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# openpyxl is imported with the first workbook (pencet.lib.lazy): 12 MB a web worker serving no export never needs.
openpyxl = LazyModule("openpyxl")
openpyxl_styles = LazyModule("openpyxl.styles")


def _bold(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = openpyxl_styles.Font(bold=True)


def _service_label(report: IkmReport) -> str:
    return report.service.name if report.service else _("Semua layanan")


def ikm_workbook(*, report: IkmReport) -> bytes:
    """Sheet "Responden": one row per respondent (profile + nine scores, no identity); sheet "IKM": the index."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responden"
    header = [_("No"), _("Tanggal"), _("Kanal"), _("Layanan"), _("Jenis kelamin"), _("Umur"), _("Kelompok umur")]
    header += [_("Pendidikan"), _("Pekerjaan"), *[f"U{n}" for n in range(1, ELEMENT_COUNT + 1)], _("Saran")]
    sheet.append(header)
    _bold(sheet, 1)
    responses = responses_in(
        office=report.office, date_from=report.date_from, date_to=report.date_to, service=report.service
    ).select_related("service")
    scores = response_scores(responses=responses)
    for number, response in enumerate(responses.order_by("date", "pk"), start=1):
        sheet.append(
            [
                number,
                response.date,
                response.get_channel_display(),
                response.service.name,
                response.sex,
                response.age,
                response.age_group,
                response.education,
                response.occupation,
                *scores[response.pk],
                response.suggestion,
            ]
        )
        sheet.cell(row=number + 1, column=2).number_format = "yyyy-mm-dd"

    table = book.create_sheet("IKM")
    table.append([report.office.name])
    table.append([_("Periode"), f"{report.date_from:%d-%m-%Y} – {report.date_to:%d-%m-%Y}", _service_label(report)])
    table.append([])
    table.append([_("Unsur"), _("Nama unsur"), _("Jumlah nilai"), _("Jumlah jawaban"), _("NRR"), _("NRR tertimbang")])
    _bold(table, 4)
    for e in report.elements:
        table.append([f"U{e.element}", e.name, e.total, e.answers, e.nrr, e.weighted_nrr])
    table.append([])
    rows = [
        (_("IKM"), report.ikm),
        (_("Mutu pelayanan"), report.grade),
        (_("Kinerja unit pelayanan"), report.grade_label),
        (_("Jumlah responden"), report.respondents),
        (_("Populasi (layanan selesai)"), report.population),
        (_("Sampel minimal (Krejcie–Morgan)"), report.required_sample),
    ]
    for label, value in rows:
        table.append([label, value])
    if report.per_service:
        table.append([])
        table.append([_("Layanan"), _("Responden"), _("IKM"), _("Mutu")])
        _bold(table, table.max_row)
        for service, count, ikm, grade in report.per_service:
            table.append([service.name, count, ikm, grade])
    table.column_dimensions["A"].width = 34
    table.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Bars(Flowable):
    """Horizontal bars of the NRR per element on the 1–4 scale."""

    def __init__(self, rows: list[tuple[str, float | None]], width: float) -> None:
        super().__init__()
        self.rows = rows
        self.width = width
        self.line = 6 * mm
        self.height = self.line * len(rows)

    def draw(self) -> None:
        label_width = 60 * mm
        bar_space = self.width - label_width - 18 * mm
        for index, (label, value) in enumerate(self.rows):
            y = self.height - (index + 1) * self.line + 1.5 * mm
            self.canv.setFont("Helvetica", 8)
            self.canv.setFillColor(colors.black)
            self.canv.drawString(0, y, label[:40])
            self.canv.setFillColor(colors.HexColor("#e5e8ee"))
            self.canv.rect(label_width, y - 1, bar_space, 4 * mm, stroke=0, fill=1)
            if value is not None:
                self.canv.setFillColor(colors.HexColor("#0b5cad"))
                self.canv.rect(label_width, y - 1, bar_space * value / SCORE_MAX, 4 * mm, stroke=0, fill=1)
                self.canv.setFillColor(colors.black)
                self.canv.drawString(label_width + bar_space + 2 * mm, y, f"{value:.2f}")


def ikm_summary_pdf(*, report: IkmReport, period: SurveyPeriod | None) -> bytes:
    """The printable summary: profile, NRR bars, IKM and grade, suggestions, the head of office's follow-up plan."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm)
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]

    def para(text: str, style=body) -> Paragraph:
        escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
        return Paragraph(escaped, style)

    story: list[Flowable] = [
        para(_("Hasil Survei Kepuasan Masyarakat"), styles["Title"]),
        para(report.office.name, styles["Heading3"]),
        para(
            _("Periode %(start)s – %(end)s · %(service)s")
            % {
                "start": f"{report.date_from:%d-%m-%Y}",
                "end": f"{report.date_to:%d-%m-%Y}",
                "service": _service_label(report),
            }
        ),
        Spacer(1, 4 * mm),
    ]
    ikm_text = "-" if report.ikm is None else f"{report.ikm:.2f}"
    summary = [
        [_("Indeks Kepuasan Masyarakat (IKM)"), ikm_text],
        [_("Mutu pelayanan"), f"{report.grade} ({report.grade_label})" if report.grade else "-"],
        [_("Jumlah responden"), str(report.respondents)],
        [
            _("Sampel minimal (Krejcie–Morgan) dari %(n)s layanan") % {"n": report.population},
            str(report.required_sample),
        ],
    ]
    table = Table(summary, colWidths=[110 * mm, 60 * mm])
    table.setStyle(
        TableStyle([("FONT", (1, 0), (1, 1), "Helvetica-Bold", 12), ("GRID", (0, 0), (-1, -1), 0.3, colors.grey)])
    )
    story += [table]
    if not report.sample_ok:
        story.append(para(_("Perhatian: jumlah responden di bawah sampel minimal; hasil belum mewakili populasi.")))
    story += [para(_("Nilai rata-rata per unsur (skala 1–4)"), heading)]
    story.append(_Bars([(f"U{e.element} {e.name}", e.nrr) for e in report.elements], doc.width))
    story.append(para(_("Profil responden"), heading))
    profile_rows = [
        [label, ", ".join(f"{k}: {n}" for k, n in counts) or "-"] for label, counts in report.profile.items()
    ]
    profile = Table([[para(a), para(b)] for a, b in profile_rows], colWidths=[35 * mm, 135 * mm])
    profile.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(profile)
    story.append(para(_("Unsur dengan nilai terendah"), heading))
    for row in report.lowest:
        story.append(para(f"U{row.element} {row.name}: {row.nrr:.2f}"))
        for text in row.suggestions[:5]:
            story.append(para(f"– “{text}”"))
    story.append(para(_("Saran responden"), heading))
    for text in report.suggestions[:40] or ["-"]:
        story.append(para(f"– {text}"))
    story.append(para(_("Rencana tindak lanjut"), heading))
    plan = period.follow_up_plan if period is not None and period.follow_up_plan else _("(belum diisi)")
    story.append(para(plan))
    if period is not None and period.follow_up_by is not None:
        story.append(
            para(_("Kepala Dinas: %(name)s") % {"name": period.follow_up_by.get_full_name() or period.follow_up_by})
        )
    doc.build(story)
    return out.getvalue()


# --- complaints ------------------------------------------------------------------------------------------------

COMPLAINT_COLUMNS = (
    "kode",
    "tanggal_masuk",
    "kanal",
    "kategori",
    "isi",
    "nama_pelapor",
    "telepon_pelapor",
    "kode_permohonan",
    "status",
    "batas_waktu",
    "tanggal_jawab",
    "jawaban",
    "tanggal_selesai",
    "eskalasi",
)


def _complaint_row(complaint: Complaint) -> list[object]:
    zone = ZoneInfo(complaint.office.time_zone)

    def local(moment) -> str:
        return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    replies = [e.text for e in complaint.entries.all() if e.kind == "reply"]
    return [
        complaint.tracking_code,
        local(complaint.created_at),
        complaint.get_channel_display(),
        complaint.get_category_display(),
        complaint.text,
        complaint.citizen_name,
        complaint.citizen_phone,
        complaint.application.tracking_code if complaint.application else "",
        complaint.get_status_display(),
        local(complaint.due_at),
        local(complaint.answered_at),
        "\n\n".join(replies),
        local(complaint.closed_at),
        local(complaint.escalated_at),
    ]


def complaints_csv(*, complaints: Iterable[Complaint]) -> bytes:
    """One row per complaint, the columns an officer copies into SP4N-LAPOR! (UTF-8 with BOM for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COMPLAINT_COLUMNS)
    for complaint in complaints:
        writer.writerow(_complaint_row(complaint))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def complaints_workbook(*, complaints: Iterable[Complaint]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pengaduan"
    sheet.append(list(COMPLAINT_COLUMNS))
    _bold(sheet, 1)
    for complaint in complaints:
        sheet.append(_complaint_row(complaint))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
