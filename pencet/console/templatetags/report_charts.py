"""The reports' pictures in the dashboard's sections: server-drawn SVG (pencet.lib.charts), no script, no style."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pencet.lib.charts import bar_chart_svg, share_bar_svg

register = template.Library()


@register.simple_tag
def share_bar(share: float | None, label: str = "") -> SafeString:
    title = f"{label} {'–' if share is None else f'{share * 100:.1f} %'}".strip()
    return mark_safe(share_bar_svg(share=share, title=title))  # noqa: S308 - built and escaped by lib.charts


@register.simple_tag
def sla_chart(rows: list[dict]) -> SafeString:
    bars = [(row["label"], round((row["share"] or 0) * 100, 1)) for row in rows if row["total"]]
    svg = bar_chart_svg(bars=bars, title=_("Selesai dalam target per tahap"), unit=" %")
    return mark_safe(svg)  # noqa: S308 - built and escaped by lib.charts


@register.simple_tag
def trips_chart(rows: list[dict]) -> SafeString:
    bars = [(row["label"], row["trips"]) for row in rows if row["trips"]][:12]
    return mark_safe(bar_chart_svg(bars=bars, title=_("Perjalanan yang dihemat per kecamatan")))  # noqa: S308


@register.filter
def percent(share: float | None) -> str:
    """0.4867 → "48,7 %" as an Indonesian reads it; "–" when there is nothing to divide."""
    if share is None:
        return "–"
    shown = (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}".replace(".", ",") + " %"


@register.filter
def rupiah(value: int | None) -> str:
    """30000 → "Rp30.000"."""
    if value is None:
        return "–"
    return "Rp" + f"{value:,}".replace(",", ".")


@register.filter
def get_kind(row: dict, kind: str) -> dict:
    return row.get(kind) or {}


@register.simple_tag
def coverage_cells(row: dict, kinds: list[tuple[str, str]]) -> SafeString:
    """A coverage row's cells, one per kind of document: the share, its bar and what Pencet issued since the import.
    Built here rather than with a template loop: a province's page with every village opened has some 3,600 of
    them, and the template's per-cell nodes were most of that page's time."""
    cells = []
    for kind, label in kinds:
        c = get_kind(row, kind)
        share = c.get("share")
        cells.append((kind, percent(share), share_bar(share, label), localize(c.get("issued", ""))))
    return format_html_join("", '<td data-kind="{}">{}{}<span class="muted">+{}</span></td>', cells)
