"""The monthly report as a PDF (ReportLab): the month's headline against the month before, charts (trend, channels,
services, SLA per stage), the tables, complaints, IKM, impact and coverage.

Takes the dashboard's data (pencet.reports.dashboard.report_dashboard for one month); draws the charts with
ReportLab's own graphics so the PDF needs nothing but ReportLab. Helvetica's WinAnsi encoding has no arrows, so the
labels here say "ke" where the page draws "→".
"""

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from .dashboard import trend_points

BAR = colors.HexColor("#1f6f8b")
WIDTH = 174 * mm
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _percent(share: float | None) -> str:
    if share is None:
        return "-"
    return f"{(Decimal(share) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",") + " %"


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}".replace(".", ",")


def _rupiah(value: int | None) -> str:
    return "-" if value is None else "Rp" + f"{value:,}".replace(",", ".")


def _text(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("→", "ke")


def _bars(rows: list[tuple[str, float]], title: str, unit: str = "") -> Drawing:
    rows = rows[:10] or [("-", 0)]
    height = 22 + 16 * len(rows)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 70 * mm, 4, WIDTH - 90 * mm, height - 22
    chart.data = [[value for _label, value in reversed(rows)]]
    chart.categoryAxis.categoryNames = [_text(label)[:38] for label, _value in reversed(rows)]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = (lambda v: f"{v:.1f}{unit}".replace(".", ",")) if unit else (lambda v: f"{v:.0f}")
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(String(0, height - 10, _text(title), fontSize=9, fontName="Helvetica-Bold"))
    return drawing


def _trend(points: list[tuple[str, int]], title: str) -> Drawing:
    drawing = Drawing(WIDTH, 120)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 24, 18, WIDTH - 34, 82
    plot.data = [[(n + 1, value) for n, (_label, value) in enumerate(points)] or [(1, 0)]]
    plot.lines[0].strokeColor = BAR
    plot.lines[0].strokeWidth = 1.5
    plot.xValueAxis.valueMin = 1
    plot.xValueAxis.valueMax = max(2, len(points))
    plot.xValueAxis.valueStep = 5 if len(points) > 12 else 1
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.labels.fontSize = 7
    drawing.add(plot)
    drawing.add(String(0, 110, _text(title), fontSize=9, fontName="Helvetica-Bold"))
    return drawing


def _table(rows: list[list[object]], widths: list[float] | None = None) -> Table:
    table = Table([[_text(c) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f3")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _summary_rows(summary: dict, label: str) -> list[list[object]]:
    rows = [[label, _("Diterima"), _("Porsi daring"), _("Sehari jadi"), _("Dikembalikan")]]
    for row in [*summary["rows"][:12], summary["total"]]:
        rows.append(
            [row["label"], row["received"], _percent(row["online_share"]), _percent(row["same_day_rate"]),
             _percent(row["return_rate"])]
        )  # fmt: skip
    return rows


def monthly_report_pdf(*, data: dict, office_names: list[str]) -> bytes:
    """`data` is report_dashboard's dict for a month."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=14 * mm,
                            title=_("Laporan bulanan Pencet"))  # fmt: skip
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading3"]
    period, total, previous = data["period"], data["total"], data["previous"]

    def para(text: object, style=body) -> Paragraph:
        return Paragraph(_text(text), style)

    story: list[Flowable] = [
        para(_("Laporan Bulanan Layanan Pencet"), styles["Title"]),
        para(", ".join(office_names), styles["Heading2"]),
        para(
            _("Bulan %(month)s (%(start)s s.d. %(end)s), dibandingkan dengan %(previous)s")
            % {
                "month": month_name(period.date_from),
                "start": f"{period.date_from:%d-%m-%Y}",
                "end": f"{period.date_to:%d-%m-%Y}",
                "previous": month_name(period.previous_from),
            }
        ),
        Spacer(1, 3 * mm),
        para(_("Ringkasan"), heading),
    ]
    measures = [
        (_("Permohonan diterima"), "received", str),
        (_("Porsi daring (WhatsApp + aparat desa)"), "online_share", _percent),
        (_("Sehari jadi"), "same_day_rate", _percent),
        (_("Dikembalikan ke pemohon"), "return_rate", _percent),
        (_("Dokumen siap"), "ready", str),
        (_("Selesai (dikirim/diambil)"), "completed", str),
        (_("Pemeriksaan kelengkapan, median (menit)"), "review_median_minutes", _minutes),
        (_("Pemeriksaan kelengkapan, p90 (menit)"), "review_p90_minutes", _minutes),
        (_("Input SIAK ke ditandatangani, median (menit)"), "siak_to_signed_median_minutes", _minutes),
        (_("Pengajuan ke dokumen siap, median (menit)"), "submission_to_ready_median_minutes", _minutes),
    ]
    headline = [[_("Ukuran"), _("Bulan ini"), _("Bulan lalu")]]
    headline += [[label, shown(total[key]), shown(previous[key])] for label, key, shown in measures]
    story += [_table(headline, [100 * mm, 37 * mm, 37 * mm]), Spacer(1, 4 * mm)]
    story.append(_trend(trend_points(trend=data["trend"], period=period), _("Permohonan diterima per hari")))
    channel = data["channel"]
    story.append(_bars([(r["label"], r["received"]) for r in channel["rows"]], _("Permohonan per kanal")))
    story += [_table(_summary_rows(channel, _("Kanal"))), Spacer(1, 3 * mm)]
    service = data["service"]
    story.append(_bars([(r["label"], r["received"]) for r in service["rows"]], _("Permohonan per layanan")))
    story += [_table(_summary_rows(service, _("Layanan"))), Spacer(1, 3 * mm)]
    story += [para(_("Per kecamatan"), heading), _table(_summary_rows(data["district"], _("Kecamatan")))]

    sla = data["sla"]
    story += [para(_("Kepatuhan target per tahap"), heading)]
    story.append(
        _bars([(r["label"], round((r["share"] or 0) * 100, 1)) for r in sla if r["total"]],
              _("Selesai dalam target (%)"), unit=" %")
    )  # fmt: skip
    rows = [[_("Tahap"), _("Selesai"), _("Dalam target"), _("Lewat target"), _("Kepatuhan")]]
    rows += [[r["label"], r["total"], r["met"], r["late"], _percent(r["share"])] for r in sla]
    story += [_table(rows), para(_("Lewat target saat laporan dibuat: %(n)d") % {"n": data["sla_overdue"]["count"]})]

    complaints, ikm = data["complaints"], data["ikm"]
    story += [para(_("Kepuasan dan pengaduan"), heading)]
    rows = [
        [_("Ukuran"), _("Bulan ini"), _("Bulan lalu")],
        [_("Pengaduan masuk"), complaints["opened"], data["complaints_previous"]["opened"]],
        [_("Pengaduan selesai"), complaints["closed"], data["complaints_previous"]["closed"]],
        [_("Pengaduan dijawab terlambat"), complaints["late"], data["complaints_previous"]["late"]],
    ]
    if ikm is not None:
        ikm_text = "-" if ikm.ikm is None else f"{ikm.ikm:.2f}".replace(".", ",")
        rows.append([_("IKM (mutu)"), f"{ikm_text} ({ikm.grade or '-'})", ""])
    story.append(_table(rows, [100 * mm, 37 * mm, 37 * mm]))

    impact = data["impact"]
    story += [para(_("Dampak: perjalanan warga yang dihemat"), heading)]
    rows = [[_("Kecamatan"), _("Perjalanan dihemat"), _("Biaya dihemat terendah"), _("Biaya dihemat tertinggi")]]
    rows += [[r["label"], r["trips"], _rupiah(r["cost_min"]), _rupiah(r["cost_max"])] for r in impact["rows"]]
    rows.append([_("Jumlah"), impact["total"]["trips"], _rupiah(impact["total"]["cost_min"]),
                 _rupiah(impact["total"]["cost_max"])])  # fmt: skip
    story.append(_table(rows))

    coverage = data["coverage"]
    story += [para(_("Cakupan kepemilikan dokumen"), heading)]
    if coverage["imports"]:
        rows = [[_("Kecamatan"), *[label for _kind, label in coverage["kinds"]]]]
        for row in [*coverage["districts"], coverage["total"]]:
            rows.append([row["label"], *[_percent(row[kind]["share"]) for kind, _label in coverage["kinds"]]])
        story.append(_table(rows))
    else:
        story.append(para(_("Belum ada data penduduk semester yang diimpor.")))
    doc.build(story)
    return out.getvalue()
