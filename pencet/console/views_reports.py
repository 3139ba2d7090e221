"""The leadership dashboard (/laporan/): a period against the one before, tables with SVG charts, XLSX per table."""

from datetime import date

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pencet.cases.access import AccessKind, access_record
from pencet.lib.charts import bar_chart_svg, line_chart_svg
from pencet.reports.dashboard import PERIOD_KINDS, period_for, report_dashboard, trend_points
from pencet.reports.exports import XLSX_CONTENT_TYPE, report_summary_workbook
from pencet.reports.register import register_allowed, register_lines
from pencet.reports.selectors import GROUP_BYS, report_access_allowed, report_summary

from .decorators import staff_required


def _on(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return timezone.localdate()


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("periode", "month")
    return kind if kind in PERIOD_KINDS else "month"


# A page over several offices (a province: hundreds of villages) lists the villages with the most applications and
# folds the coverage per village; `?desa=semua` lists every one, and each table's XLSX always has them all.
FOLDED_VILLAGE_ROWS = 20
ALL_VILLAGES = "semua"


def _bars(summary: dict, field: str, title: str, unit: str = "", limit: int = 12) -> str:
    bars = [(row["label"], row[field] or 0) for row in summary["rows"][:limit]]
    return mark_safe(bar_chart_svg(bars=bars, title=title, unit=unit))  # noqa: S308 - built and escaped by lib.charts


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not report_access_allowed(user=request.user):
        return HttpResponseForbidden(_("Laporan hanya untuk pimpinan, kepala dinas dan admin."))
    data = report_dashboard(user=request.user, kind=_kind(request), on=_on(request))
    charts = {
        "trend": mark_safe(  # noqa: S308 - built and escaped by lib.charts
            line_chart_svg(
                points=trend_points(trend=data["trend"], period=data["period"]), title=_("Permohonan diterima")
            )
        ),
        "channel": _bars(data["channel"], "received", _("Permohonan per kanal")),
        "service": _bars(data["service"], "received", _("Permohonan per layanan")),
        "district": _bars(data["district"], "received", _("Permohonan per kecamatan")),
    }
    if data["office"]:
        charts["office"] = _bars(data["office"], "received", _("Permohonan per kantor"), limit=40)
    period = data["period"]
    fold = bool(data["office"]) and request.GET.get("desa") != ALL_VILLAGES
    village = data["village"]
    folded = None
    if fold and len(village["rows"]) > FOLDED_VILLAGE_ROWS:
        folded = {"shown": FOLDED_VILLAGE_ROWS, "of": len(village["rows"])}
        village = {**village, "rows": village["rows"][:FOLDED_VILLAGE_ROWS]}
    return render(
        request,
        "console/reports/dashboard.html",
        {
            **data,
            "village": village,
            "villages_folded": folded,
            "coverage_villages_folded": fold,
            "all_villages": ALL_VILLAGES,
            "charts": charts,
            "kinds": PERIOD_KINDS.items(),
            "kind": period.kind,
            "on": _on(request),
            "query": f"from={period.date_from:%Y-%m-%d}&to={period.date_to:%Y-%m-%d}",
        },
    )


@staff_required
@require_GET
def dashboard_xlsx(request: HttpRequest, group_by: str) -> HttpResponse:
    """One dashboard table as a workbook: the same figures the page shows for the chosen period."""
    if not report_access_allowed(user=request.user) or group_by not in GROUP_BYS:
        return HttpResponseForbidden()
    period = period_for(kind=_kind(request), on=_on(request))
    summary = report_summary(user=request.user, date_from=period.date_from, date_to=period.date_to, group_by=group_by)
    access_record(request=request, kind=AccessKind.EXPORT, object_type="report_xlsx", query=request.GET.urlencode())
    response = HttpResponse(report_summary_workbook(summary=summary), content_type=XLSX_CONTENT_TYPE)
    name = f"laporan-{group_by}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The printable daily register of applications received (buku register)."""
    if not register_allowed(user=request.user):
        return HttpResponseForbidden(_("Buku register hanya untuk petugas layanan, pimpinan, kepala dinas dan admin."))
    day = _on(request)
    lines = register_lines(user=request.user, day=day)
    access_record(request=request, kind=AccessKind.LIST, object_type="register", query=request.GET.urlencode())
    return render(request, "console/reports/register.html", {"day": day, "lines": lines})
