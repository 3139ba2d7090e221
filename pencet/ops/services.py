"""Operations writes: consumer heartbeat, shared latency histogram, onboarding an office, photo retention."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import date, time, timedelta

import holidays
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pencet.accounts.models import DayOff, Office, OpeningHours, Role, User
from pencet.accounts.services import office_hours_seed, office_templates_seed, user_create
from pencet.cases.attachments import attachment_files_purge
from pencet.cases.models import CLOSED_STATUSES, Attachment
from pencet.catalog.services import catalog_seed
from pencet.lib.public_holidays import public_holiday_source
from pencet.regions.models import Region
from pencet.regions.services import region_import

from .buckets import BUCKETS, bucket_label
from .models import OfficeRetention, ViewLatency, WorkerHeartbeat

logger = logging.getLogger(__name__)


def heartbeat_record(*, worker: str | None = None) -> WorkerHeartbeat:
    """Note that this consumer process is alive and taking tasks from the queue."""
    name = worker or f"{socket.gethostname()}:{os.getpid()}"
    beat, _created = WorkerHeartbeat.objects.update_or_create(worker=name[:120], defaults={"seen_at": timezone.now()})
    # Consumers that stopped long ago would otherwise pile up (every restart has a new pid).
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=2)).delete()
    return beat


def view_latency_add(*, data: dict[str, list[float]]) -> None:
    """Add buffered counts {view: [per bucket…, +Inf, sum]} to the shared rows with relative UPDATEs.

    One transaction, not one commit per row: the flush runs inside whichever request comes 10 s after the last, and
    a dozen fsync'd commits made that request 50-400 ms slower. Rows are updated in one order (sorted) so two
    processes flushing at once wait for each other instead of deadlocking. On PostgreSQL the commit does not wait
    for its fsync: a crash loses at most the last seconds of a histogram, never a record anyone relies on."""
    labels = [bucket_label(le) for le in BUCKETS] + ["+Inf"]
    with transaction.atomic():
        if transaction.get_connection().vendor == "postgresql":
            with transaction.get_connection().cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for view, row in sorted(data.items()):
            view = view[:150]
            for index, le in sorted(enumerate(labels), key=lambda pair: pair[1]):
                count = int(row[index])
                extra = row[-1] if le == "+Inf" else 0.0
                if not count and le != "+Inf":
                    continue
                changes = {"count": F("count") + count, "sum_seconds": F("sum_seconds") + extra}
                if ViewLatency.objects.filter(view=view, le=le).update(**changes):
                    continue
                try:
                    with transaction.atomic():
                        ViewLatency.objects.create(view=view, le=le, count=count, sum_seconds=extra)
                except IntegrityError:  # another process created it first
                    ViewLatency.objects.filter(view=view, le=le).update(**changes)


# Indonesia's three time zones by province code (Kemendagri): WIB, WITA, WIT.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def time_zone_for_region(*, code: str) -> str:
    province = code[:2]
    if province in _WIT_PROVINCES:
        return "Asia/Jayapura"
    if province in _WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def office_days_off_seed(*, office: Office, years: list[int]) -> int:
    """The `holidays` package's cuti bersama as office days off, for years whose SKB Pencet does not know.

    Where lokal-id knows the year's decree its cuti bersama are public holidays already; copying them would only
    leave stale rows behind when the decree is amended.
    """
    created = 0
    for year in years:
        if public_holiday_source(year).includes_cuti_bersama:
            continue
        joint = holidays.country_holidays("ID", years=year, categories=("government",), language="id")
        for day, name in sorted(joint.items()):
            _row, was_created = DayOff.objects.get_or_create(office=office, date=day, defaults={"name": name[:120]})
            created += was_created
    return created


_DEFAULT_WEEK = (time(8, 0), time(16, 0), "1,2,3,4,5")


def _office_hours_create(*, office: Office, opens_at: time, closes_at: time, working_days: str) -> None:
    """The usual Disdukcapil week unless the operator gave the office's own hours on the command line."""
    if (opens_at, closes_at, working_days.replace(" ", "")) == _DEFAULT_WEEK:
        office_hours_seed(office=office)
        return
    try:
        days = sorted({int(day) for day in working_days.split(",") if day.strip()})
    except ValueError:
        days = []
    if not days or any(day < 1 or day > 7 for day in days):
        raise OfficeCreateError(_("Hari kerja %(days)s tidak dikenal (contoh: 1,2,3,4,5).") % {"days": working_days})
    if closes_at <= opens_at:
        raise OfficeCreateError(_("Jam tutup harus setelah jam buka."))
    OpeningHours.objects.bulk_create(
        OpeningHours(office=office, weekday=day, opens_at=opens_at, closes_at=closes_at) for day in days
    )


class OfficeCreateError(Exception):
    pass


@dataclass
class OfficeCreated:
    office: Office
    admin: User
    regions_imported: int
    services_created: int
    templates: int
    days_off: int


@transaction.atomic
def office_create(
    *,
    regency_code: str,
    name: str,
    code: str,
    phone_number_id: str,
    admin_username: str,
    admin_email: str,
    admin_password: str | None = None,
    display_number: str = "",
    address: str = "",
    email_sender: str = "",
    opens_at: time = time(8, 0),
    closes_at: time = time(16, 0),
    working_days: str = "1,2,3,4,5",
    time_zone: str = "",
    photo_retention_days: int | None = None,
    today: date | None = None,
) -> OfficeCreated:
    """A new office ready for its first admin: regions, catalogue, templates, calendar and the admin account."""
    code = code.strip().upper()
    if Office.objects.filter(code=code).exists():
        raise OfficeCreateError(_("Kode kantor %(code)s sudah dipakai.") % {"code": code})
    if phone_number_id and Office.objects.filter(whatsapp_phone_number_id=phone_number_id).exists():
        raise OfficeCreateError(_("Phone number id %(id)s sudah dipakai kantor lain.") % {"id": phone_number_id})
    if User.objects.filter(username=admin_username).exists():
        raise OfficeCreateError(_("Nama pengguna %(name)s sudah ada.") % {"name": admin_username})
    imported = 0
    if (
        not Region.objects.filter(code=regency_code, level=Region.Level.REGENCY).exists()
        or not Region.objects.filter(code__startswith=regency_code + ".", level=Region.Level.VILLAGE).exists()
    ):
        imported = region_import(prefix=regency_code)
    regency = Region.objects.filter(code=regency_code, level=Region.Level.REGENCY).first()
    if regency is None:
        raise OfficeCreateError(
            _("Kode kabupaten/kota %(code)s tidak dikenal (contoh: 73.07 untuk Sinjai).") % {"code": regency_code}
        )
    services_created = catalog_seed()
    office = Office.objects.create(
        name=name,
        code=code,
        regency=regency,
        whatsapp_phone_number_id=phone_number_id or None,
        whatsapp_display_number=display_number,
        address=address,
        email_sender=email_sender or admin_email,
        time_zone=time_zone or time_zone_for_region(code=regency_code),
        opens_at=opens_at,
        closes_at=closes_at,
        working_days=working_days,
    )
    _office_hours_create(office=office, opens_at=opens_at, closes_at=closes_at, working_days=working_days)
    templates = office_templates_seed(office=office)
    year = (today or timezone.localdate()).year
    days_off = office_days_off_seed(office=office, years=[year, year + 1])
    OfficeRetention.objects.create(
        office=office,
        photo_retention_days=settings.PENCET_PHOTO_RETENTION_DAYS
        if photo_retention_days is None
        else photo_retention_days,
    )
    admin = user_create(
        username=admin_username, office=office, roles=[Role.ADMIN], password=admin_password, email=admin_email
    )
    return OfficeCreated(
        office=office,
        admin=admin,
        regions_imported=imported,
        services_created=services_created,
        templates=templates,
        days_off=days_off,
    )


def office_retention_days(*, office: Office) -> int:
    retention = OfficeRetention.objects.filter(office=office).first()
    return retention.photo_retention_days if retention else settings.PENCET_PHOTO_RETENTION_DAYS


@dataclass
class PurgeResult:
    applications: int = 0
    files: int = 0
    bytes: int = 0


def photos_purge(*, office: Office, now: timezone.datetime | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete the citizen's document photos of applications closed longer ago than the office keeps them.

    Outputs (signed documents), the timeline and each attachment's row (name, size, sha256) stay; the WhatsApp
    copy of the same file goes too. Each application gets a timeline note saying what was removed.
    """
    now = now or timezone.now()
    days = office_retention_days(office=office)
    cutoff = now - timedelta(days=days)
    result = PurgeResult()
    attachments = (
        Attachment.objects.filter(
            application__office=office,
            application__status__in=CLOSED_STATUSES,
            application__closed_at__lt=cutoff,
        )
        .exclude(file="")
        .select_related("application")
        .order_by("application_id", "pk")
    )
    by_application: dict[int, list[Attachment]] = {}
    for attachment in attachments:
        by_application.setdefault(attachment.application_id, []).append(attachment)
    for items in by_application.values():
        application = items[0].application
        result.applications += 1
        result.files += len(items)
        result.bytes += sum(a.size for a in items)
        if dry_run:
            continue
        names = attachment_files_purge(application=application, attachments=items, days=days)
        # After the commit: a failed delete leaves an orphan file, never a row pointing at nothing kept.
        for name in sorted(names):
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("photo %s of %s could not be deleted", name, application.tracking_code)
    return result
