"""The report table as an office workbook: Indonesian headers, real dates and numbers, a totals row."""

import io
from datetime import date

from django.utils.translation import gettext as _

from pencet.lib.lazy import LazyModule

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# openpyxl is imported with the first workbook (pencet.lib.lazy): 12 MB a web worker serving no export never needs.
openpyxl = LazyModule("openpyxl")
openpyxl_styles = LazyModule("openpyxl.styles")


def _columns() -> list[tuple[str, str, str]]:
    """(key in the summary row, header, number format)."""
    return [
        ("received", _("Diterima"), "0"),
        # Services and documents side by side: a bundle is one service and several documents.
        ("documents", _("Dokumen"), "0"),
        ("online", _("Daring (WhatsApp + aparat desa)"), "0"),
        ("online_share", _("Porsi daring"), "0.0%"),
        ("ready", _("Dokumen siap"), "0"),
        ("completed", _("Selesai (dikirim/diambil)"), "0"),
        ("same_day", _("Sehari jadi"), "0"),
        ("same_day_rate", _("Persentase sehari jadi"), "0.0%"),
        ("returned", _("Pernah dikembalikan"), "0"),
        ("return_rate", _("Persentase dikembalikan"), "0.0%"),
        ("rejected", _("Ditolak"), "0"),
        ("review_median_minutes", _("Pemeriksaan median (menit)"), "0.0"),
        ("review_p90_minutes", _("Pemeriksaan p90 (menit)"), "0.0"),
        ("siak_to_signed_median_minutes", _("Input SIAK → TTE median (menit)"), "0.0"),
        ("siak_to_signed_p90_minutes", _("Input SIAK → TTE p90 (menit)"), "0.0"),
        ("submission_to_ready_median_minutes", _("Pengajuan → siap median (menit)"), "0.0"),
        ("submission_to_ready_p90_minutes", _("Pengajuan → siap p90 (menit)"), "0.0"),
    ]


OFFICER_COLUMNS = ("reviewed", "siak", "verified", "signed", "handed_over")


def _officer_headers() -> dict[str, str]:
    return {
        "reviewed": _("Diperiksa"),
        "siak": _("Input SIAK"),
        "verified": _("Diverifikasi"),
        "signed": _("Ditandatangani"),
        "handed_over": _("Diserahkan"),
    }


def _cell_value(group_by: str, key: str, label: str) -> object:
    if group_by == "day" and key:
        return date.fromisoformat(key)
    return label


def report_summary_workbook(*, summary: dict) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Ringkasan")
    sheet.append([_("Laporan layanan Pencet")])
    sheet.append([_("Periode"), summary["date_from"], summary["date_to"]])
    sheet.append([_("Kantor"), ", ".join(summary["offices"])])
    sheet.append([])
    for cell in sheet[1]:
        cell.font = openpyxl_styles.Font(bold=True, size=13)
    for cell in sheet[2][1:]:
        cell.number_format = "DD/MM/YYYY"
    if summary["group_by"] == "officer":
        names = _officer_headers()
        columns = [(name, names[name], "0") for name in OFFICER_COLUMNS]
        columns += [c for c in _columns() if c[0].startswith("review_")]
    else:
        columns = _columns()
    sheet.append([summary["group_label"], *[header for _key, header, _fmt in columns]])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = openpyxl_styles.Font(bold=True)
    for row in [*summary["rows"], summary["total"]]:
        first = _cell_value(summary["group_by"], row["key"], row["label"]) if row is not summary["total"] else None
        sheet.append([first if first is not None else row["label"], *[row.get(key) for key, _h, _f in columns]])
        current = sheet[sheet.max_row]
        if summary["group_by"] == "day" and row is not summary["total"]:
            current[0].number_format = "DD/MM/YYYY"
        for cell, (_key, _header, number_format) in zip(current[1:], columns, strict=True):
            cell.number_format = number_format
    for cell in sheet[sheet.max_row]:
        cell.font = openpyxl_styles.Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
