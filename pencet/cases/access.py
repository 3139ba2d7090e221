"""Every read of personal data on record: who, when, what, from where, through which door.

Views call `access_record(request=…, kind=…, …)` once, after they have decided to answer with the data (a 404
or 403 is not a read). The client address is `REMOTE_ADDR` as the trusted-proxy middleware left it
(`pencet.console.proxies`): the real client behind a configured proxy, never a header anyone can send.

Office admins read the log on the console (`/akses/`) and export it as CSV for a UU PDP breach notice.
"""

import csv
import io
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import Role, User

from .models import Application
from .models_access import AccessChannel, AccessKind, AccessRecord

__all__ = [
    "AccessFilters",
    "AccessKind",
    "access_log_csv",
    "access_log_may_read",
    "access_record",
    "access_records_for",
]

_QUERY_MAX = AccessRecord._meta.get_field("query").max_length or 300


def _client_address(request: HttpRequest) -> str | None:
    value = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _reader(request: HttpRequest) -> tuple[User | None, str]:
    # django-ninja puts the token's user in request.auth; the console's user is the session's.
    api_user = getattr(request, "auth", None)
    if isinstance(api_user, User):
        return api_user, AccessChannel.API
    user = getattr(request, "user", None)
    return (user if isinstance(user, User) else None), AccessChannel.CONSOLE


def access_record(
    *,
    request: HttpRequest,
    kind: str,
    application: Application | None = None,
    object_type: str = "",
    object_id: object = "",
    query: str = "",
    shown: Iterable[Application] = (),
) -> AccessRecord:
    """Write one access record for what this request is about to show."""
    user, channel = _reader(request)
    codes = [a.tracking_code for a in shown]
    office_id = application.office_id if application is not None else getattr(user, "office_id", None)
    return AccessRecord.objects.create(
        at=timezone.now(),
        office_id=office_id,
        user=user,
        username=user.get_username() if user is not None else "",
        channel=channel,
        ip_address=_client_address(request),
        kind=kind,
        application=application,
        tracking_code=application.tracking_code if application is not None else "",
        object_type=object_type,
        object_id=str(object_id)[:40],
        query=(query or "")[:_QUERY_MAX],
        shown=f" {' '.join(codes)} " if codes else "",
    )


def access_log_may_read(*, user: User) -> bool:
    """Office admins read their office's log; a superuser without an office reads every office's."""
    return (user.office_id is not None and user.has_role(Role.ADMIN)) or (user.is_superuser and user.office_id is None)


@dataclass(frozen=True)
class AccessFilters:
    code: str = ""
    nik: str = ""
    username: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = [
            f"{name}={value}"
            for name, value in (
                ("kode", self.code),
                ("nik", self.nik),
                ("pegawai", self.username),
                ("dari", self.date_from or ""),
                ("sampai", self.date_to or ""),
            )
            if value
        ]
        return " ".join(parts)


def _about_applications(applications: QuerySet[Application]) -> Q:
    """Reads of these applications: opened (or a file of them), or shown in a list or search."""
    codes = list(applications.values_list("tracking_code", flat=True)[:500])
    condition = Q(application__in=applications) | Q(tracking_code__in=codes)
    for code in codes:
        condition |= Q(shown__contains=f" {code} ")
    return condition


def access_records_for(*, user: User, filters: AccessFilters) -> QuerySet[AccessRecord]:
    """The log the user may read, filtered; by NIK it answers the data subject's "who saw my data?": every
    read of any application with that NIK and every search typed with it."""
    if not access_log_may_read(user=user):
        return AccessRecord.objects.none()
    qs = AccessRecord.objects.select_related("user", "application")
    applications = Application.objects.all()
    if user.office_id is not None:
        qs = qs.filter(office_id=user.office_id)
        applications = applications.filter(office_id=user.office_id)
    code = filters.code.strip().upper()
    if code:
        qs = qs.filter(Q(tracking_code=code) | Q(shown__contains=f" {code} "))
    nik = "".join(ch for ch in filters.nik if ch.isdigit())
    if nik:
        qs = qs.filter(_about_applications(applications.filter(nik=nik)) | Q(query__contains=nik))
    if filters.username.strip():
        qs = qs.filter(username__iexact=filters.username.strip())
    if filters.date_from:
        qs = qs.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(at__date__lte=filters.date_to)
    return qs.order_by("-at", "-pk")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts like a formula; typed search terms must never do that.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def access_log_csv(*, records: Iterable[AccessRecord]) -> bytes:
    """The log as CSV (UTF-8 with BOM for spreadsheets): the material of a breach notice."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("waktu"),
            _("pegawai"),
            _("kanal"),
            _("alamat IP"),
            _("jenis"),
            _("kode lacak"),
            _("objek"),
            _("id objek"),
            _("pencarian/filter"),
            _("permohonan yang tampil"),
        ]
    )
    # The enums' labels: get_FOO_display() hashes every choice's lazy label again on each row of a long export.
    for r in records:
        writer.writerow(
            [
                _cell(timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S %z")),
                _cell(r.username),
                _cell(AccessChannel(r.channel).label),
                _cell(r.ip_address),
                _cell(AccessKind(r.kind).label),
                _cell(r.tracking_code),
                _cell(r.object_type),
                _cell(r.object_id),
                _cell(r.query),
                _cell(r.shown.strip()),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
