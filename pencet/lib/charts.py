"""Charts as plain SVG markup, drawn on the server: no script, no style attribute, so a strict CSP shows them.

Only SVG presentation attributes are used (fill, stroke, font-size…); the markup scales to its container's width
through `viewBox`, so a phone 390 px wide shows the same picture smaller.
"""

from html import escape

BAR_COLOUR = "#1f6f8b"
PREVIOUS_COLOUR = "#b9c9d0"
TEXT_COLOUR = "#222222"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def bar_chart_svg(*, bars: list[tuple[str, float]], title: str, width: int = 360, unit: str = "") -> str:
    """Horizontal bars, one per (label, value), the label above its bar and the value at its end."""
    row_height = 34
    height = row_height * max(1, len(bars)) + 8
    top = max([value for _label, value in bars] + [0]) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    usable = width - 60
    for index, (label, value) in enumerate(bars):
        y = index * row_height + 4
        length = max(1.0, usable * value / top) if value else 0
        parts.append(
            f'<text x="0" y="{y + 11}" font-size="11" fill="{TEXT_COLOUR}">{escape(label)}</text>'
            f'<rect x="0" y="{y + 15}" width="{length:.1f}" height="12" fill="{BAR_COLOUR}"/>'
            f'<text x="{length + 4:.1f}" y="{y + 25}" font-size="11" fill="{TEXT_COLOUR}">'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    *, points: list[tuple[str, float]], title: str, width: int = 360, height: int = 140, previous: list[float] = ()
) -> str:
    """A trend line over labelled points (first and last label written under the axis); `previous` dashed."""
    pad_left, pad_bottom, pad_top = 4, 18, 12
    values = [value for _label, value in points] + list(previous)
    top = max(values + [0]) or 1
    count = max(1, len(points) - 1)
    plot_width, plot_height = width - pad_left * 2, height - pad_bottom - pad_top

    def coordinates(series: list[float]) -> str:
        return " ".join(
            f"{pad_left + plot_width * i / count:.1f},{pad_top + plot_height * (1 - v / top):.1f}"
            for i, v in enumerate(series)
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{pad_left}" y1="{height - pad_bottom}" x2="{width - pad_left}" y2="{height - pad_bottom}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>',
        f'<text x="{pad_left}" y="{pad_top - 2}" font-size="10" fill="{TEXT_COLOUR}">{escape(_number(top))}</text>',
    ]
    if previous:
        parts.append(
            f'<polyline points="{coordinates(list(previous))}" fill="none" stroke="{PREVIOUS_COLOUR}" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    if points:
        parts.append(
            f'<polyline points="{coordinates([v for _l, v in points])}" fill="none" stroke="{BAR_COLOUR}" '
            'stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{pad_left}" y="{height - 4}" font-size="10" fill="{TEXT_COLOUR}">{escape(points[0][0])}</text>'
            f'<text x="{width - pad_left}" y="{height - 4}" font-size="10" fill="{TEXT_COLOUR}" text-anchor="end">'
            f"{escape(points[-1][0])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def share_bar_svg(*, share: float | None, title: str, width: int = 100, height: int = 10) -> str:
    """A small meter for a table cell: the share (0–1, drawn capped at 1) filled, the rest light."""
    filled = 0.0 if share is None else max(0.0, min(1.0, share)) * width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="meter" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{PREVIOUS_COLOUR}"/>'
        f'<rect x="0" y="0" width="{filled:.1f}" height="{height}" fill="{BAR_COLOUR}"/></svg>'
    )
