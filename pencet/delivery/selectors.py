from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pencet.cases.models import Application, Status

from .models import Delivery, OutputDocument, SignatureStatus

# What anyone holding the tracking code may read: plain words, nothing about the person.
PUBLIC_STATUS_LABELS = {
    Status.DRAFT: gettext_lazy("Belum diajukan (berkas masih dilengkapi)"),
    Status.SUBMITTED: gettext_lazy("Diterima, menunggu pemeriksaan berkas"),
    Status.RETURNED: gettext_lazy("Berkas perlu dilengkapi pemohon"),
    Status.ACCEPTED: gettext_lazy("Berkas lengkap, menunggu diproses"),
    Status.IN_PROCESS: gettext_lazy("Sedang diproses"),
    Status.AWAITING_VERIFICATION: gettext_lazy("Sedang diverifikasi"),
    Status.AWAITING_SIGNATURE: gettext_lazy("Menunggu tanda tangan elektronik"),
    Status.READY: gettext_lazy("Dokumen sudah siap"),
    Status.DELIVERED: gettext_lazy("Dokumen sudah dikirim"),
    Status.PICKED_UP: gettext_lazy("Dokumen sudah diambil"),
    Status.REJECTED: gettext_lazy("Permohonan ditolak"),
    Status.CANCELLED: gettext_lazy("Permohonan dibatalkan"),
    Status.EXPIRED: gettext_lazy("Permohonan kedaluwarsa"),
}


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    service_short_name: str
    status: str
    status_label: str
    changed_at: datetime | None
    office_name: str


def application_public_status(*, token: str) -> PublicStatus | None:
    """The status page's only view of an application, found by its random status token (never by the
    sequential tracking code): no name, NIK, village or phone. Drafts are nobody's business yet."""
    token = (token or "").strip()
    if not token or len(token) > 32:
        return None
    row = (
        Application.objects.filter(status_token=token)
        .exclude(status=Status.DRAFT)
        .values("tracking_code", "service__short_name", "status", "status_changed_at", "created_at", "office__name")
        .first()
    )
    if row is None:
        return None
    return PublicStatus(
        tracking_code=row["tracking_code"],
        service_short_name=row["service__short_name"],
        status=row["status"],
        status_label=str(PUBLIC_STATUS_LABELS.get(row["status"], row["status"])),
        changed_at=row["status_changed_at"] or row["created_at"],
        office_name=row["office__name"],
    )


def deliveries_for(*, application: Application) -> QuerySet[Delivery]:
    """Every delivery attempt, newest first, failures included with their error (callers check access)."""
    return (
        Delivery.objects.filter(application=application)
        .select_related("outbound_message", "requested_by")
        .prefetch_related("documents")
        .order_by("-created_at", "-id")
    )


def outputs_for(*, application: Application) -> QuerySet[OutputDocument]:
    return OutputDocument.objects.filter(application=application).select_related("uploaded_by").order_by("created_at")


def output_signature_summary(*, output: OutputDocument) -> str:
    """One line for the officer: valid/invalid/unsigned, by whom, when, why."""
    detail = output.signature_detail or {}
    if output.signature_status == SignatureStatus.UNSIGNED:
        return _("Tidak ada tanda tangan elektronik.")
    parts = [str(output.get_signature_status_display())]
    if detail.get("signer"):
        parts.append(_("oleh %(signer)s") % {"signer": detail["signer"]})
    signed_at = parse_datetime(detail.get("signed_at") or "")
    if signed_at is not None:
        parts.append(_("pada %(date)s") % {"date": date_format(signed_at, "j F Y H:i")})
    line = " ".join(parts)
    if detail.get("reason"):
        line += " — " + _("alasan: %(reason)s") % {"reason": detail["reason"]}
    if detail.get("problem_text"):
        line += ". " + detail["problem_text"]
    return line
