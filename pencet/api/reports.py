"""Reports over the API: the summary table the leadership dashboard shows, as JSON or as an XLSX workbook."""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pencet.accounts.models import User
from pencet.cases.access import AccessKind, access_record
from pencet.reports.exports import XLSX_CONTENT_TYPE, report_summary_workbook
from pencet.reports.selectors import ReportError, report_access_allowed, report_summary

from . import schemas as s
from .errors import ApiError

router = Router(tags=["reports"])

ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 422: s.ErrorOut}
GroupBy = Literal["channel", "service", "district", "village", "officer", "office", "day", "month"]


class SummaryQuery(Schema):
    date_from: date = Field(..., alias="from", description="First day (the office's local date), YYYY-MM-DD.")
    date_to: date = Field(..., alias="to", description="Last day, inclusive.")
    group_by: GroupBy = "channel"
    format: Literal["json", "xlsx"] = "json"


class SummaryRowOut(Schema):
    key: str = Field(
        description="Channel value, service code, region code, username, office code, YYYY-MM-DD or YYYY-MM."
    )
    label: str
    received: int = Field(0, description="Applications submitted in the period (by their submission day).")
    documents: int = Field(
        0, description="Documents those applications ask for (dokumen): a bundle counts each, a single service one."
    )
    online: int = Field(0, description="Of those, through WhatsApp or village staff.")
    online_share: float | None = Field(None, description="online / received (0–1).")
    ready: int = 0
    completed: int = Field(0, description="Delivered or picked up.")
    same_day: int = Field(0, description="Signed on the day they were submitted (sehari jadi).")
    same_day_rate: float | None = None
    returned: int = Field(0, description="Returned to the applicant at least once.")
    return_rate: float | None = None
    rejected: int = 0
    priority: int = 0
    review_median_minutes: float | None = Field(None, description="Completeness review (stage timers), wall minutes.")
    review_p90_minutes: float | None = None
    review_count: int = 0
    siak_to_signed_median_minutes: float | None = Field(None, description="SIAK input done → signed, wall minutes.")
    siak_to_signed_p90_minutes: float | None = None
    siak_to_signed_count: int = 0
    submission_to_ready_median_minutes: float | None = Field(None, description="Submission → signed, wall minutes.")
    submission_to_ready_p90_minutes: float | None = None
    submission_to_ready_count: int = 0
    reviewed: int | None = Field(None, description="group_by=officer: completeness reviews decided.")
    siak: int | None = None
    verified: int | None = None
    signed: int | None = None
    handed_over: int | None = None


class SummaryOut(Schema):
    group_by: str
    group_label: str
    date_from: date
    date_to: date
    offices: list[str]
    rows: list[SummaryRowOut]
    total: SummaryRowOut


@router.get(
    "/reports/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Counts, online share, turnaround medians/p90, same-day and return rates per group; format=xlsx",
    description=(
        "For leadership (pimpinan), the head of office (penandatangan) and admins, scoped to their office; "
        "leadership without an office (a province's Disdukcapil, the Directorate General) reads every office of "
        "their region, group_by=office side by side. "
        "Counts are read from daily and monthly aggregates by the application's submission day; p90 is nearest-rank, "
        "from one-minute duration bins below 30 minutes (wider above), exact when a bin's durations are equal."
    ),
)
def report_summary_read(request: HttpRequest, query: Query[SummaryQuery]) -> dict | HttpResponse:
    user: User = request.auth  # type: ignore[attr-defined]
    if not report_access_allowed(user=user):
        raise ApiError(403, "forbidden", _("Laporan hanya untuk pimpinan, kepala dinas dan admin."))
    if (query.date_to - query.date_from).days > 366 * 3:
        raise ApiError(400, "invalid_range", _("Rentang laporan paling lama tiga tahun."))
    try:
        summary = report_summary(user=user, date_from=query.date_from, date_to=query.date_to, group_by=query.group_by)
    except ReportError as exc:
        raise ApiError(400, "invalid_range", str(exc)) from exc
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from exc
    if query.format == "xlsx":
        access_record(request=request, kind=AccessKind.EXPORT, object_type="report_xlsx", query=request.GET.urlencode())
        response = HttpResponse(report_summary_workbook(summary=summary), content_type=XLSX_CONTENT_TYPE)
        name = f"laporan-{query.group_by}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return summary
