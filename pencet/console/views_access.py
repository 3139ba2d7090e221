"""The access log for office admins (/akses/): who read which personal data, filterable, exported as CSV."""

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pencet.cases.access import (
    AccessFilters,
    AccessKind,
    access_log_csv,
    access_log_may_read,
    access_record,
    access_records_for,
)

from .decorators import staff_required

PAGE_SIZE = 100


def _date(value: str) -> date | None:
    try:
        return parse_date(value.strip())
    except ValueError:
        return None


def _filters(request: HttpRequest) -> AccessFilters:
    return AccessFilters(
        code=request.GET.get("kode", "")[:20],
        nik=request.GET.get("nik", "")[:20],
        username=request.GET.get("pegawai", "")[:150],
        date_from=_date(request.GET.get("dari", "")),
        date_to=_date(request.GET.get("sampai", "")),
    )


@staff_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    if not access_log_may_read(user=request.user):
        return HttpResponseForbidden(_("Hanya admin kantor yang dapat membuka log akses."))
    filters = _filters(request)
    records = access_records_for(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        access_record(request=request, kind=AccessKind.EXPORT, object_type="access_log", query=filters.describe())
        response = HttpResponse(access_log_csv(records=records), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="log-akses-{stamp}.csv"'
        return response
    # The log shows the searches typed with a NIK: reading it is a read of personal data too.
    access_record(request=request, kind=AccessKind.ACCESS_LOG, query=filters.describe())
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "console/access_log.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )
