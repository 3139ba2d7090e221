"""The reports' extra pages: the semester's population import and the per-district trip cost (office admins), the
coverage / impact / SLA workbooks and the monthly PDF (whoever reads the dashboard)."""

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pencet.cases.access import AccessKind, access_record
from pencet.reports.coverage import (
    CoverageImportError,
    coverage_import,
    coverage_import_allowed,
    coverage_report,
)
from pencet.reports.dashboard import PERIOD_KINDS, period_for
from pencet.reports.exports import XLSX_CONTENT_TYPE
from pencet.reports.exports_sections import coverage_workbook, impact_workbook, sla_workbook
from pencet.reports.impact import (
    TravelCostError,
    impact_report,
    office_districts,
    travel_cost_allowed,
    travel_cost_set,
    travel_costs_of,
)
from pencet.reports.models_sections import PopulationImport
from pencet.reports.monthly import month_previous, monthly_report_filename, monthly_report_render
from pencet.reports.selectors import report_access_allowed, report_offices_for
from pencet.reports.sla import sla_compliance, sla_overdue_now

from .decorators import staff_required

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SECTIONS = ("cakupan", "dampak", "sla")


def _semester_now() -> str:
    today = timezone.localdate()
    return f"{today.year}-{1 if today.month <= 6 else 2}"


@staff_required
@require_http_methods(["GET", "POST"])
def coverage_import_page(request: HttpRequest) -> HttpResponse:
    """Upload the semester's population aggregates per village (CSV or XLSX); errors listed per row."""
    if not coverage_import_allowed(user=request.user):
        return HttpResponseForbidden(_("Hanya admin kantor yang dapat mengimpor data penduduk."))
    office = request.user.office
    errors: list[str] = []
    semester = request.POST.get("semester", "") or _semester_now()
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Pilih berkas CSV atau XLSX.")]
        elif upload.size > MAX_UPLOAD_BYTES:
            errors = [_("Berkas lebih dari 5 MB.")]
        else:
            try:
                done = coverage_import(
                    office=office, actor=request.user, semester=semester, content=upload.read(), filename=upload.name
                )
            except CoverageImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    _("Data penduduk semester %(semester)s diimpor: %(n)d desa/kelurahan.")
                    % {"semester": done.semester, "n": done.villages.count()},
                )
                return redirect("console:coverage_import")
    imports = PopulationImport.objects.filter(office=office).order_by("-semester")
    return render(
        request,
        "console/reports/coverage_import.html",
        {"errors": errors, "semester": semester, "imports": imports},
        status=400 if errors else 200,
    )


def _cost(value: str) -> int | None:
    text = value.strip().replace(".", "").replace(",", "").removeprefix("Rp").strip()
    if not text:
        return None
    if not text.isdigit():
        raise TravelCostError(_("Biaya ditulis dengan angka, misalnya 30000, bukan “%(value)s”.") % {"value": value})
    return int(text)


@staff_required
@require_http_methods(["GET", "POST"])
def travel_costs(request: HttpRequest) -> HttpResponse:
    """The office admin's estimate of one trip to the office per district: a range or a single value."""
    if not travel_cost_allowed(user=request.user):
        return HttpResponseForbidden(_("Hanya admin kantor yang dapat mengubah biaya perjalanan."))
    office = request.user.office
    districts = office_districts(office=office)
    errors: list[str] = []
    if request.method == "POST":
        # All districts or none: one wrong figure leaves every cost as it was.
        with transaction.atomic():
            for district in districts:
                low = request.POST.get(f"min_{district.code}", "")
                high = request.POST.get(f"max_{district.code}", "")
                try:
                    travel_cost_set(office=office, actor=request.user, district=district, cost_min=_cost(low),
                                    cost_max=_cost(high))  # fmt: skip
                except TravelCostError as error:
                    errors.append(str(error))
            if errors:
                transaction.set_rollback(True)
        if not errors:
            messages.success(request, _("Biaya perjalanan per kecamatan tersimpan."))
            return redirect("console:travel_costs")
    costs = travel_costs_of(office=office)
    rows = [(district, costs.get(district.code)) for district in districts]
    return render(
        request, "console/reports/travel_costs.html", {"rows": rows, "errors": errors}, status=400 if errors else 200
    )


def _on(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("tanggal", ""))
    except ValueError:
        return timezone.localdate()


@staff_required
@require_GET
def report_section_xlsx(request: HttpRequest, section: str) -> HttpResponse:
    """Coverage (as of now), impact or SLA per stage (for the dashboard's period) as a workbook."""
    if not report_access_allowed(user=request.user) or section not in SECTIONS:
        return HttpResponseForbidden()
    offices = list(report_offices_for(user=request.user))
    kind = request.GET.get("periode", "month")
    period = period_for(kind=kind if kind in PERIOD_KINDS else "month", on=_on(request))
    if section == "cakupan":
        content = coverage_workbook(coverage=coverage_report(offices=offices))
        name = f"cakupan-{timezone.localdate():%Y%m%d}.xlsx"
    elif section == "dampak":
        impact = impact_report(offices=offices, date_from=period.date_from, date_to=period.date_to)
        content = impact_workbook(impact=impact)
        name = f"dampak-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
    else:
        content = sla_workbook(
            sla=sla_compliance(offices=offices, date_from=period.date_from, date_to=period.date_to),
            overdue=sla_overdue_now(offices=offices),
            date_from=period.date_from,
            date_to=period.date_to,
        )
        name = f"kepatuhan-target-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}.xlsx"
    access_record(
        request=request, kind=AccessKind.EXPORT, object_type=f"report_{section}", query=request.GET.urlencode()
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_GET
def report_monthly_pdf(request: HttpRequest) -> HttpResponse:
    """The monthly PDF of `?bulan=YYYY-MM` (the previous month by default), for the offices the user may see."""
    if not report_access_allowed(user=request.user):
        return HttpResponseForbidden(_("Laporan hanya untuk pimpinan, kepala dinas dan admin."))
    try:
        month = date.fromisoformat(request.GET.get("bulan", "") + "-01")
    except ValueError:
        month = month_previous(day=timezone.localdate())
    offices = list(report_offices_for(user=request.user))
    pdf = monthly_report_render(user=request.user, month=month)
    access_record(
        request=request, kind=AccessKind.EXPORT, object_type="report_monthly_pdf", query=request.GET.urlencode()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = monthly_report_filename(month=month, office_codes=[o.code for o in offices][:5])
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
