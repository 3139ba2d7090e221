"""The dashboard's other tables as office workbooks: coverage, impact, SLA per stage (Indonesian headers, totals)."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pencet.lib.lazy import LazyModule

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT = "0.0%"
RUPIAH = '"Rp"#,##0'

# openpyxl is imported with the first workbook (pencet.lib.lazy): 12 MB a web worker serving no export never needs.
openpyxl = LazyModule("openpyxl")
openpyxl_styles = LazyModule("openpyxl.styles")


def _sheet(title: str, heading: str, lines: list[list[object]]) -> tuple[Workbook, Worksheet]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([heading])
    sheet[1][0].font = openpyxl_styles.Font(bold=True, size=13)
    for line in lines:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.append([])
    return book, sheet


def _bold_row(sheet: Worksheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = openpyxl_styles.Font(bold=True)


def _formats(sheet: Worksheet, formats: dict[int, str]) -> None:
    for index, number_format in formats.items():
        sheet[sheet.max_row][index].number_format = number_format


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def coverage_workbook(*, coverage: dict) -> bytes:
    """Per village (with its district), then per district, each with a totals row."""
    sources = [f"{i['office']} {i['semester']}" for i in coverage["imports"]]
    book, sheet = _sheet(
        _("Cakupan"), _("Cakupan kepemilikan dokumen kependudukan"), [[_("Data penduduk"), ", ".join(sources)]]
    )
    kinds = coverage["kinds"]
    headers: list[str] = []
    for _kind, label in kinds:
        headers += [
            _("%(doc)s: pemilik saat impor") % {"doc": label},
            _("%(doc)s: terbit sejak impor") % {"doc": label},
            _("%(doc)s: sasaran") % {"doc": label},
            _("%(doc)s: cakupan") % {"doc": label},
        ]
    formats = {}

    def values(row: dict) -> list[object]:
        out: list[object] = []
        for kind, _label in kinds:
            c = row[kind]
            out += [c["owners_at_import"], c["issued"], c["base"], c["share"]]
        return out

    for title, rows, first in (
        (_("Desa/Kelurahan"), coverage["villages"], lambda r: [r["key"], r["label"], r["district"]]),
        (_("Kecamatan"), coverage["districts"], lambda r: [r["key"], r["label"], ""]),
    ):
        sheet.append([_("Kode"), title, _("Kecamatan"), _("Penduduk"), *headers])
        _bold_row(sheet)
        formats = {4 + 4 * n + 3: PERCENT for n in range(len(kinds))}
        for row in [*rows, coverage["total"]]:
            lead = first(row) if row is not coverage["total"] else ["", coverage["total"]["label"], ""]
            sheet.append([*lead, row["population"], *values(row)])
            _formats(sheet, formats)
        _bold_row(sheet)
        sheet.append([])
    sheet.column_dimensions["B"].width = 26
    return _save(book)


def impact_workbook(*, impact: dict) -> bytes:
    book, sheet = _sheet(
        _("Dampak"),
        _("Perjalanan warga yang dihemat dan biaya transport"),
        [[_("Periode"), impact["date_from"], impact["date_to"]]],
    )
    sheet.append(
        [
            _("Kecamatan"),
            _("Perjalanan dihemat"),
            _("Biaya per perjalanan terendah"),
            _("Biaya per perjalanan tertinggi"),
            _("Biaya dihemat terendah"),
            _("Biaya dihemat tertinggi"),
        ]
    )
    _bold_row(sheet)
    money = {2: RUPIAH, 3: RUPIAH, 4: RUPIAH, 5: RUPIAH}
    for row in impact["rows"]:
        sheet.append([row["label"], row["trips"], row["unit_min"], row["unit_max"], row["cost_min"], row["cost_max"]])
        _formats(sheet, money)
    total = impact["total"]
    sheet.append([_("Jumlah"), total["trips"], None, None, total["cost_min"], total["cost_max"]])
    _formats(sheet, money)
    _bold_row(sheet)
    sheet.column_dimensions["A"].width = 26
    return _save(book)


def sla_workbook(*, sla: list[dict], overdue: dict, date_from: date, date_to: date) -> bytes:
    book, sheet = _sheet(_("Kepatuhan target"), _("Kepatuhan target per tahap"), [[_("Periode"), date_from, date_to]])
    sheet.append([_("Tahap"), _("Selesai"), _("Dalam target"), _("Lewat target"), _("Kepatuhan")])
    _bold_row(sheet)
    for row in sla:
        sheet.append([row["label"], row["total"], row["met"], row["late"], row["share"]])
        _formats(sheet, {4: PERCENT})
    total, met = sum(r["total"] for r in sla), sum(r["met"] for r in sla)
    sheet.append([_("Jumlah"), total, met, total - met, met / total if total else None])
    _formats(sheet, {4: PERCENT})
    _bold_row(sheet)
    sheet.append([])
    sheet.append([_("Lewat target saat ini")])
    _bold_row(sheet)
    sheet.append([_("Kode"), _("Layanan"), _("Tahap"), _("Lewat (menit kerja)"), _("Dipegang")])
    _bold_row(sheet)
    for item in overdue["items"]:
        sheet.append(
            [item["tracking_code"], item["service"], item["stage_label"], item["over_minutes"], item["holder"]]
        )
    sheet.column_dimensions["A"].width = 30
    return _save(book)
