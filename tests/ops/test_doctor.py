"""`pencet doctor` against a configuration that is not ready and one that is."""

import socket
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from huey.contrib import djhuey

from pencet.accounts.models import DayOff, Office
from pencet.accounts.services import office_hours_seed, office_templates_seed
from pencet.catalog.models import MessageTemplate
from pencet.ops.doctor import FAIL, OK, SKIP, WARN, check_calendar
from pencet.ops.services import heartbeat_record
from pencet.whatsapp.fakegraph_server import serve_in_thread

from .graph import DoctorGraph

SITE = "https://pencet.sinjaikab.go.id"


def run_doctor(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("doctor", *args, stdout=out, no_color=True)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Accept:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        return "250 OK"


@pytest.fixture
def smtp(settings):
    port = free_port()
    controller = Controller(Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield controller
    controller.stop()


@pytest.fixture
def queued(monkeypatch):
    """The queue as in production: tasks wait for a consumer instead of running inline."""
    monkeypatch.setattr(djhuey.HUEY, "immediate", False)


@pytest.fixture
def graph(settings, office):
    templates = [{"name": f"pencet_{e}", "language": "id", "status": "APPROVED"} for e in MessageTemplate.Event.values]
    stand_in = DoctorGraph(
        token="token-yang-benar", numbers={office.whatsapp_phone_number_id: "+62 811-4100-7307"}, templates=templates
    )
    server = serve_in_thread(stand_in)
    settings.WHATSAPP_API_URL = server.url
    settings.WHATSAPP_ACCESS_TOKEN = stand_in.token
    yield stand_in
    server.stop()


@pytest.fixture
def ready_config(settings, office, media_dir, smtp, queued, graph):
    """Everything an office needs to go live, set the way docs/id/pemasangan.md says."""
    settings.SECRET_KEY = "k" * 50
    settings.DEBUG = False
    settings.SIMULATOR = False
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["pencet.sinjaikab.go.id"]
    settings.CSRF_TRUSTED_ORIGINS = [SITE]
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.WHATSAPP_VERIFY_TOKEN = "verify-token"
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = "200000000000001"
    office_templates_seed(office=office)
    office_hours_seed(office=office)
    heartbeat_record(worker="server-1:4242")


def test_a_ready_configuration_passes_and_exits_zero(ready_config):
    code, out = run_doctor()
    assert code == 0, out
    assert "[GAGAL]" not in out
    assert "Siap melayani" in out
    assert "token berlaku, nomor +62 811-4100-7307" in out
    assert "Pekerja antrean hidup: server-1:4242" in out
    assert "Semua template disetujui Meta" in out
    assert "Disdukcapil Kabupaten Sinjai: jam buka 5 hari seminggu." in out


def test_the_default_laptop_configuration_is_not_ready_and_says_how_to_fix_it(office, media_dir, settings):
    settings.WHATSAPP_APP_SECRET = ""
    code, out = run_doctor("--offline")
    assert code == 1
    assert "Kunci rahasia masih bawaan" in out and "secrets.token_urlsafe(50)" in out
    assert "hanya bisa dibuka dari server ini" in out
    assert "Antrean berjalan langsung" in out
    assert "Belum diisi: WHATSAPP_APP_SECRET" in out
    assert "tidak ada template WhatsApp untuk status_update" in out
    assert "Token WhatsApp tidak diperiksa (--offline)" in out
    assert "Belum siap" in out


def test_an_expired_token_and_an_unknown_number_are_named(ready_config, settings, graph, office):
    settings.WHATSAPP_ACCESS_TOKEN = "token-kedaluwarsa"
    code, out = run_doctor()
    assert code == 1
    assert "Token WhatsApp ditolak Meta" in out
    settings.WHATSAPP_ACCESS_TOKEN = graph.token
    graph.numbers.clear()
    code, out = run_doctor()
    assert code == 1
    assert f"phone number id {office.whatsapp_phone_number_id} tidak dikenal Meta" in out


def test_an_unreachable_graph_api_is_skipped_clearly_not_failed(ready_config, settings):
    settings.WHATSAPP_API_URL = f"http://127.0.0.1:{free_port()}"
    code, out = run_doctor()
    assert "tidak terjangkau, token tidak diperiksa" in out
    assert "[LEWAT]" in out


def test_a_template_meta_has_not_approved_blocks(ready_config, graph):
    graph.templates[0]["status"] = "PENDING"
    code, out = run_doctor()
    assert code == 1
    assert "Template belum disetujui Meta: pencet_status_update (id): PENDING" in out


def test_no_live_consumer_smtp_down_and_plain_cookies_block(ready_config, settings):
    from pencet.ops.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    settings.EMAIL_PORT = free_port()  # nobody listens there
    settings.SESSION_COOKIE_SECURE = False
    code, out = run_doctor()
    assert code == 1
    assert "Tidak ada pekerja antrean yang hidup (belum pernah terlihat)" in out
    assert "Server SMTP 127.0.0.1" in out and "tidak bisa dipakai" in out
    assert "cookie tidak ditandai Secure" in out


def test_an_unmigrated_database_is_named_with_the_command(ready_config, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)] * 3)
    code, out = run_doctor()
    assert code == 1
    assert "belum dimigrasi: 3 migrasi tertunda" in out and "pencet migrate" in out


def test_an_office_without_opening_hours_blocks_with_the_admin_page_to_fill(ready_config, office):
    office.opening_hours.all().delete()
    code, out = run_doctor()
    assert code == 1
    assert "Disdukcapil Kabupaten Sinjai: jam buka belum diisi untuk hari apa pun" in out
    assert "admin › Kantor › Jam buka" in out


def test_a_year_whose_decree_is_known_names_the_skb(office):
    office_hours_seed(office=office)
    findings = list(check_calendar(year=2026))
    assert [(f.status, f.title) for f in findings] == [
        (OK, "Disdukcapil Kabupaten Sinjai: jam buka 5 hari seminggu."),
        (
            OK,
            "Disdukcapil Kabupaten Sinjai: libur nasional dan cuti bersama 2026 dari "
            "SKB Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025.",
        ),
    ]


def test_a_fallback_year_without_cuti_bersama_recorded_is_a_warning_with_the_fix(office):
    office_hours_seed(office=office)
    DayOff.objects.create(office=office, date="2025-02-27", name="Hari jadi Kabupaten Sinjai")
    holiday = list(check_calendar(year=2025))[1]
    assert holiday.status == WARN
    assert holiday.title.startswith("Disdukcapil Kabupaten Sinjai: SKB cuti bersama 2025 belum dikenal Pencet")
    assert holiday.fix == "Tambahkan cuti bersama 2025 dari SKB 3 Menteri di admin › Kantor › Hari libur kantor."


def test_a_fallback_year_with_the_offices_own_cuti_bersama_is_fine(office):
    office_hours_seed(office=office)
    DayOff.objects.create(office=office, date="2025-04-02", name="Cuti bersama Idulfitri")
    DayOff.objects.create(office=office, date="2025-04-03", name="Cuti Bersama Idulfitri")
    holiday = list(check_calendar(year=2025))[1]
    assert (holiday.status, holiday.title) == (
        OK,
        "Disdukcapil Kabupaten Sinjai: 2 hari cuti bersama 2025 dicatat kantor; libur nasional dari paket holidays.",
    )


def test_each_office_is_checked_but_never_the_demo_one(office, other_office):
    Office.objects.filter(pk=office.pk).update(is_demo=True)
    findings = list(check_calendar(year=2026))
    assert [(f.status, f.title.split(":")[0]) for f in findings] == [
        (FAIL, "Disdukcapil Kabupaten Bone"),
        (OK, "Disdukcapil Kabupaten Bone"),
    ]


def test_only_a_demo_office_is_skipped(office):
    Office.objects.filter(pk=office.pk).update(is_demo=True)
    assert [f.status for f in check_calendar(year=2026)] == [SKIP]
