"""The tanda terima (receipt) of a submitted application, with the QR code of its public status page."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pencet.accounts.models import Office
from pencet.cases.models import Application
from pencet.cases.services import TransitionError
from pencet.lib import pdf as pdf_lib
from pencet.lib.nik import nik_mask


def public_status_url(*, application: Application) -> str:
    """The receipt's QR code: the random status token, so nobody can walk the sequential tracking codes."""
    return f"{settings.SITE_URL.rstrip('/')}/status/{application.status_token}/"


def receipt_render(*, application: Application) -> bytes:
    """The one-page tanda terima of a submitted application (callers check who may read it)."""
    if application.submitted_at is None:
        raise TransitionError(_("Tanda terima tersedia setelah permohonan diajukan."), code="not_submitted")
    office = application.office
    files = [
        (a.requirement.name if a.requirement_id else a.original_name) or _("Berkas tanpa nama")
        for a in application.attachments.filter(is_current=True).select_related("requirement")
    ]
    submitted = timezone.localtime(application.submitted_at, timezone=_office_zone(office))
    text = pdf_lib.ReceiptText(
        title=_("Tanda Terima Permohonan"),
        tracking_code=_("Kode lacak"),
        service=_("Layanan"),
        submitted_at=_("Tanggal diajukan"),
        applicant=_("Nama pemohon"),
        nik=_("NIK"),
        files=_("Berkas yang diterima"),
        no_files=_("(tidak ada berkas)"),
        scan_hint=_("Pindai kode QR atau buka alamat ini untuk melihat status permohonan:"),
        footer=_("Simpan tanda terima ini. Kode lacak diperlukan untuk menanyakan dan mengambil dokumen."),
    )
    return pdf_lib.receipt_pdf(
        office_name=office.name,
        office_address=office.address,
        tracking_code=application.tracking_code,
        service_name=application.service.name,
        submitted_at=date_format(submitted, "j F Y, H:i"),
        applicant_name=application.applicant_name,
        nik_masked=nik_mask(application.nik),
        files=files,
        status_url=public_status_url(application=application),
        text=text,
    )


def _office_zone(office: Office) -> ZoneInfo:
    return ZoneInfo(office.time_zone or settings.TIME_ZONE)
