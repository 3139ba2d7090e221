"""The monthly report: built on the 1st for the month before and e-mailed (PDF attached) to each office's heads of
office (the penandatangan / Kepala Dinas role); the same PDF downloads from the dashboard.

Sent once per office and month (MonthlyReport row, claimed before sending). The hourly periodic task
(pencet.reports.tasks_sections) sends, for every office whose local time is past 07:00, the previous month's report
not yet sent: on the 1st normally, later if the server was down that morning.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pencet.accounts.models import Office, Role, User

from .dashboard import report_dashboard
from .models_sections import MonthlyReport
from .monthly_pdf import month_name, monthly_report_pdf
from .selectors import report_offices_for
from .services import office_zone

SEND_FROM = time(7, 0)
logger = logging.getLogger(__name__)


def month_previous(*, day: date) -> date:
    """The first day of the month before `day`'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def monthly_report_render(*, user: User, month: date) -> bytes:
    """The month's PDF for the offices `user` may see (PermissionDenied for anyone without reports)."""
    offices = list(report_offices_for(user=user))
    data = report_dashboard(user=user, kind="month", on=month)
    return monthly_report_pdf(data=data, office_names=[o.name for o in offices])


def monthly_report_filename(*, month: date, office_codes: list[str]) -> str:
    return f"laporan-bulanan-{'-'.join(office_codes) or 'pencet'}-{month:%Y-%m}.pdf"


def office_heads(*, office: Office) -> list[User]:
    return list(
        User.objects.filter(office=office, is_active=True, role_grants__role=Role.SIGNER).distinct().order_by("pk")
    )


def monthly_report_send(*, office: Office, month: date, now: datetime | None = None) -> MonthlyReport | None:
    """Once per office and month, to every head of office with an e-mail address; None if already sent or no head."""
    heads = office_heads(office=office)
    if not heads:
        return None
    # Claimed, built and sent in one transaction: a failure (SMTP down) leaves no row, so the next hour tries again.
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = MonthlyReport.objects.create(office=office, month=month, sent_at=now or timezone.now())
        except IntegrityError:
            return None
        with translation.override("id"):
            pdf = monthly_report_render(user=heads[0], month=month)
            params = {"office": office.name, "month": month_name(month)}
            subject = _("[Pencet] Laporan bulanan %(office)s, %(month)s") % params
            body = (
                _(
                    "Yth. Kepala Dinas,\n\nTerlampir laporan bulanan layanan %(office)s untuk %(month)s: jumlah "
                    "permohonan, kanal, waktu layanan, kepatuhan target, pengaduan, dampak dan cakupan kepemilikan "
                    "dokumen.\n\nLaporan yang sama dapat diunduh di dasbor laporan Pencet.\n"
                )
                % params
            )
        to = [u.email for u in heads if u.email]
        if to:
            message = EmailMessage(
                subject=subject, body=body, from_email=office.email_sender or settings.DEFAULT_FROM_EMAIL, to=to
            )
            message.attach(monthly_report_filename(month=month, office_codes=[office.code]), pdf, "application/pdf")
            message.send()
        report.recipients = to
        report.save(update_fields=["recipients"])
    return report


def monthly_reports_send_due(*, now: datetime | None = None) -> list[MonthlyReport]:
    """Every office past 07:00 local time whose previous month's report has not gone out yet."""
    now = now or timezone.now()
    sent = []
    for office in Office.objects.all():
        local = timezone.localtime(now, office_zone(office=office))
        if local.time() < SEND_FROM:
            continue
        month = month_previous(day=local.date())
        if MonthlyReport.objects.filter(office=office, month=month).exists():
            continue
        try:
            report = monthly_report_send(office=office, month=month, now=now)
        except Exception:  # one office's failure (SMTP refused) must not keep the others' reports back
            logger.exception("monthly report of office %s for %s failed; retried next hour", office.code, month)
            continue
        if report is not None:
            sent.append(report)
    return sent
