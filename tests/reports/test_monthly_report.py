"""The monthly PDF: November 2026 of the known week, downloaded from the dashboard and e-mailed to Dewi (head of
office) on 1 December through a real SMTP server; read back with pypdf.

November by hand (tests/reports/conftest.py): 4 received (October 0); online A (WhatsApp) and B (village staff) of 4
= 50,0 %; same day A and C = 50,0 %; returned B = 25,0 %; signed A, B, C = 3; completeness reviews 10, 20, 5 and 10
minutes → median 10,0, p90 (nearest rank, 4th of 4) 20,0; SIAK → signed 15, 10 and 20 → median 15,0; reviews within
15 minutes 3 of 4 = 75,0 %, signatures within 5 minutes 1 of 3 = 33,3 %.
"""

import io
from datetime import datetime
from email import message_from_bytes

import pytest
from django.test import Client
from pypdf import PdfReader

from pencet.reports.models_sections import MonthlyReport
from pencet.reports.tasks_sections import reports_monthly_task
from tests.delivery.conftest import free_port, smtp_server  # noqa: F401 - the real SMTP server fixture

from .conftest import WITA

# The known week is walked once per module (week_walked): its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-monthly-report")]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_novembers_figures(text: str) -> None:
    assert "Disdukcapil Kabupaten Sinjai" in text
    assert "Bulan November 2026 (01-11-2026 s.d. 30-11-2026), dibandingkan dengan Oktober 2026" in text
    assert "Permohonan diterima\n4\n0" in text
    assert "Porsi daring (WhatsApp + aparat desa)\n50,0 %" in text
    assert "Sehari jadi\n50,0 %" in text
    assert "Dikembalikan ke pemohon\n25,0 %" in text
    assert "Dokumen siap\n3\n0" in text
    assert "Pemeriksaan kelengkapan, median (menit)\n10,0" in text
    assert "Pemeriksaan kelengkapan, p90 (menit)\n20,0" in text
    assert "Input SIAK ke ditandatangani, median (menit)\n15,0" in text
    assert "Pemeriksaan kelengkapan\n4\n3\n1\n75,0 %" in text
    assert "Tanda tangan\n3\n1\n2\n33,3 %" in text
    assert "Bone" not in text


def test_dewi_downloads_novembers_pdf_from_the_dashboard(known_week, dewi, settings):
    settings.OTP_REQUIRED = False
    client = Client()
    client.force_login(dewi)
    assert (
        'href="/laporan/bulanan/?bulan=2026-11"' in client.get("/laporan/", {"tanggal": "2026-11-02"}).content.decode()
    )
    response = client.get("/laporan/bulanan/", {"bulan": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_novembers_figures(pdf_text(response.content))


def test_a_service_officer_gets_no_monthly_pdf(known_week, andi, settings):
    settings.OTP_REQUIRED = False
    client = Client()
    client.force_login(andi)
    assert client.get("/laporan/bulanan/", {"bulan": "2026-11"}).status_code == 403


def test_on_the_first_of_december_dewi_gets_novembers_pdf_by_e_mail_once(known_week, at, dewi, smtp_server):  # noqa: F811
    dewi.email = "dewi@sinjaikab.go.id"
    dewi.save()
    at(datetime(2026, 12, 1, 6, 30, tzinfo=WITA))
    reports_monthly_task()
    assert smtp_server.envelopes == []  # before 07:00 office time

    at(datetime(2026, 12, 1, 7, 5, tzinfo=WITA))
    reports_monthly_task()
    reports_monthly_task()  # the next hour: already sent
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["dewi@sinjaikab.go.id"]
    message = message_from_bytes(envelope.content)
    assert "Laporan bulanan Disdukcapil Kabupaten Sinjai, November 2026" in message["Subject"]
    attachment = next(part for part in message.walk() if part.get_content_type() == "application/pdf")
    assert attachment.get_filename() == "laporan-bulanan-SNJ-2026-11.pdf"
    assert_novembers_figures(pdf_text(attachment.get_payload(decode=True)))
    assert MonthlyReport.objects.get(office__code="SNJ").recipients == ["dewi@sinjaikab.go.id"]


def test_an_smtp_failure_leaves_the_report_to_be_sent_the_next_hour(known_week, at, dewi, settings):
    dewi.email = "dewi@sinjaikab.go.id"
    dewi.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    at(datetime(2026, 12, 1, 7, 5, tzinfo=WITA))
    reports_monthly_task()
    assert not MonthlyReport.objects.filter(office__code="SNJ").exists()
