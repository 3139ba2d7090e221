"""`pencet doctor`: every check a configuration must pass before an office goes live, in plain words with the fix."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@dataclass
class Finding:
    status: str  # ok | warn | fail | skip
    title: str
    detail: str = ""
    fix: str = ""

    @property
    def blocks(self) -> bool:
        return self.status == FAIL


def check_secrets() -> Iterator[Finding]:
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        yield Finding(
            FAIL,
            _("Kunci rahasia masih bawaan atau terlalu pendek."),
            fix=_("Isi PENCET_SECRET_KEY dengan: python -c 'import secrets; print(secrets.token_urlsafe(50))'"),
        )
    else:
        yield Finding(OK, _("Kunci rahasia sudah diisi."))
    if settings.DEBUG:
        yield Finding(
            FAIL,
            _("Mode debug menyala: halaman galat menampilkan isi server."),
            fix=_("Hapus PENCET_DEBUG atau isi 0."),
        )
    if settings.SIMULATOR:
        yield Finding(
            FAIL,
            _("Simulator WhatsApp menyala dengan kredensial demo yang publik."),
            fix=_("Hapus PENCET_SIMULATOR atau isi 0."),
        )
    if not settings.DEBUG and not settings.SIMULATOR:
        yield Finding(OK, _("Debug dan simulator mati."))


def check_hosts() -> Iterator[Finding]:
    site = urlsplit(settings.SITE_URL)
    host = site.hostname or ""
    hosts = settings.ALLOWED_HOSTS
    if host in LOOPBACK or not host:
        yield Finding(
            FAIL,
            _("Alamat publik (PENCET_SITE_URL=%(url)s) hanya bisa dibuka dari server ini.")
            % {"url": settings.SITE_URL},
            fix=_("Isi PENCET_SITE_URL dengan alamat https yang dibuka warga, mis. https://pencet.sinjaikab.go.id"),
        )
    elif "*" not in hosts and host not in hosts and not any(h.startswith(".") and host.endswith(h) for h in hosts):
        yield Finding(
            FAIL,
            _("Nama host %(host)s tidak ada di PENCET_ALLOWED_HOSTS (%(hosts)s): semua permintaan akan ditolak.")
            % {"host": host, "hosts": ",".join(hosts)},
            fix=_("Tambahkan %(host)s ke PENCET_ALLOWED_HOSTS.") % {"host": host},
        )
    else:
        yield Finding(OK, _("Alamat publik %(url)s dan host yang diizinkan cocok.") % {"url": settings.SITE_URL})
    if "*" in hosts:
        yield Finding(
            WARN,
            _("PENCET_ALLOWED_HOSTS berisi '*': server menerima nama host apa saja."),
            fix=_("Tulis nama host yang sebenarnya."),
        )


def check_tls() -> Iterator[Finding]:
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https":
        if (site.hostname or "") not in LOOPBACK:
            yield Finding(
                FAIL,
                _("Alamat publik tidak memakai https; Meta hanya mengirim webhook ke https."),
                fix=_("Pasang TLS di nginx (deploy/nginx.conf) dan isi PENCET_SITE_URL=https://…"),
            )
        else:
            yield Finding(SKIP, _("Tanpa TLS: alamat publik masih di server ini."))
        return
    problems = []
    if not getattr(settings, "SESSION_COOKIE_SECURE", False):
        problems.append(_("cookie tidak ditandai Secure (PENCET_SECURE_COOKIES=0)"))
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) != ("HTTP_X_FORWARDED_PROTO", "https"):
        problems.append(_("server tidak membaca X-Forwarded-Proto dari proxy"))
    origin = f"{site.scheme}://{site.netloc}"
    if origin not in settings.CSRF_TRUSTED_ORIGINS:
        problems.append(_("%(origin)s tidak ada di PENCET_CSRF_TRUSTED_ORIGINS") % {"origin": origin})
    if problems:
        yield Finding(
            FAIL,
            _("Pengaturan TLS/proxy tidak konsisten: %(list)s.") % {"list": "; ".join(problems)},
            fix=_(
                "Hapus PENCET_SECURE_COOKIES dan PENCET_DEBUG, isi PENCET_CSRF_TRUSTED_ORIGINS=%(origin)s, dan "
                "pastikan nginx mengirim X-Forwarded-Proto (deploy/nginx.conf)."
            )
            % {"origin": origin},
        )
    else:
        yield Finding(OK, _("TLS di belakang proxy: cookie Secure, X-Forwarded-Proto, CSRF origin cocok."))
    if not getattr(settings, "SECURE_HSTS_SECONDS", 0):
        yield Finding(WARN, _("HSTS mati."), fix=_("Hapus PENCET_HSTS_SECONDS=0."))


def check_database() -> Iterator[Finding]:
    try:
        connection.ensure_connection()
    except Exception as error:
        yield Finding(
            FAIL,
            _("Basis data tidak bisa dihubungi: %(error)s") % {"error": str(error).strip()[:200]},
            fix=_("Periksa DATABASE_URL dan apakah PostgreSQL berjalan (systemctl status postgresql)."),
        )
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        yield Finding(
            FAIL,
            _("Basis data (%(vendor)s) belum dimigrasi: %(count)d migrasi tertunda.")
            % {"vendor": connection.vendor, "count": len(plan)},
            fix=_("Jalankan: pencet migrate"),
        )
        return
    yield Finding(OK, _("Basis data %(vendor)s terhubung dan sudah dimigrasi.") % {"vendor": connection.vendor})
    if connection.vendor == "sqlite":
        yield Finding(
            WARN,
            _("Memakai SQLite: cukup untuk satu kantor di satu server, bukan untuk beberapa server."),
            fix=_("Untuk provinsi atau beberapa server: DATABASE_URL=postgres://… (docs/id/basis-data.md)."),
        )


def check_queue() -> Iterator[Finding]:
    from huey.contrib.djhuey import HUEY

    from .selectors import heartbeat_latest, heartbeats_recent, queue_probe

    probe = queue_probe()
    if HUEY.immediate:
        yield Finding(
            FAIL,
            _("Antrean berjalan langsung (PENCET_HUEY_IMMEDIATE=1): webhook diproses di dalam permintaan."),
            fix=_("Hapus PENCET_HUEY_IMMEDIATE dan jalankan pencet worker."),
        )
        return
    if not probe["ok"]:
        yield Finding(
            FAIL,
            _("Antrean (%(backend)s) tidak bisa dihubungi: %(error)s") % probe,
            fix=_("Periksa PENCET_QUEUE dan PENCET_REDIS_URL / PENCET_HUEY_DATABASE_URL; systemctl status redis."),
        )
        return
    yield Finding(OK, _("Antrean %(backend)s terhubung (%(pending)s tugas menunggu).") % probe)
    alive = heartbeats_recent()
    if alive:
        names = ", ".join(b.worker for b in alive[:5])
        yield Finding(OK, _("Pekerja antrean hidup: %(names)s.") % {"names": names})
        return
    latest = heartbeat_latest()
    seen = (
        _("terakhir terlihat %(when)s") % {"when": timezone.localtime(latest.seen_at).strftime("%Y-%m-%d %H:%M")}
        if latest
        else _("belum pernah terlihat")
    )
    yield Finding(
        FAIL,
        _("Tidak ada pekerja antrean yang hidup (%(seen)s): pesan WhatsApp dan e-mail tidak terkirim.")
        % {"seen": seen},
        fix=_("Jalankan: systemctl enable --now pencet-worker (deploy/pencet-worker.service)."),
    )


def check_storage() -> Iterator[Finding]:
    name = f"ops/doctor-{uuid.uuid4().hex}.txt"
    storage = storages["default"]
    backend = type(storage).__name__
    try:
        if hasattr(storage, "bucket_name"):
            # A missing bucket or wrong keys show here with S3's own words, before any write.
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        saved = storage.save(name, ContentFile(b"pencet doctor"))
        with storage.open(saved, "rb") as handle:
            if handle.read() != b"pencet doctor":
                raise OSError(_("isi yang dibaca lain dengan yang ditulis"))
        storage.delete(saved)
    except Exception as error:
        yield Finding(
            FAIL,
            _("Penyimpanan berkas (%(backend)s) tidak bisa ditulis: %(error)s")
            % {"backend": backend, "error": str(error)[:200]},
            fix=_(
                "Lokal: pastikan PENCET_MEDIA_ROOT milik pengguna layanan (chown pencet). S3: periksa "
                "PENCET_S3_BUCKET, PENCET_S3_ENDPOINT_URL dan kuncinya."
            ),
        )
        return
    where = getattr(storage, "bucket_name", None) or str(getattr(storage, "location", ""))
    yield Finding(
        OK,
        _("Penyimpanan berkas %(backend)s (%(where)s) bisa ditulis dan dibaca.") % {"backend": backend, "where": where},
    )


def check_email(*, offline: bool) -> Iterator[Finding]:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend != "smtp":
        yield Finding(
            WARN,
            _("E-mail tidak benar-benar dikirim (EMAIL_URL memakai %(backend)s).") % {"backend": backend},
            fix=_("Isi EMAIL_URL=smtp+tls://pengguna:sandi@smtp.contoh.go.id:587"),
        )
        return
    if offline:
        yield Finding(SKIP, _("SMTP tidak diperiksa (--offline)."))
        return
    try:
        smtp_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        with smtp_class(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=5) as server:
            server.ehlo()
            if settings.EMAIL_USE_TLS:
                server.starttls()
                server.ehlo()
            if settings.EMAIL_HOST_USER:
                server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    except (OSError, smtplib.SMTPException) as error:
        yield Finding(
            FAIL,
            _("Server SMTP %(host)s:%(port)s tidak bisa dipakai: %(error)s")
            % {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT, "error": str(error)[:200]},
            fix=_("Periksa EMAIL_URL (host, port, pengguna, sandi) dan firewall keluar."),
        )
        return
    where = {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT}
    yield Finding(OK, _("Server SMTP %(host)s:%(port)s menerima sambungan.") % where)


def check_webhook_secrets() -> Iterator[Finding]:
    missing = [n for n in ("WHATSAPP_VERIFY_TOKEN", "WHATSAPP_APP_SECRET") if not getattr(settings, n)]
    if missing:
        yield Finding(
            FAIL,
            _("Belum diisi: %(names)s; webhook Meta akan ditolak.") % {"names": ", ".join(missing)},
            fix=_("Salin App Secret dari dasbor aplikasi Meta dan pilih verify token acak (docs/id/whatsapp.md)."),
        )
    else:
        yield Finding(OK, _("Verify token dan app secret webhook sudah diisi."))


def _graph_get(path: str, params: dict | None = None) -> httpx.Response:
    url = f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_API_VERSION}/{path}"
    headers = {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}
    return httpx.get(url, params=params, headers=headers, timeout=5)


def _graph_error(response: httpx.Response) -> tuple[int, str]:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        return 0, response.text[:200]
    return int(error.get("code") or 0), str(error.get("message") or "")


def check_whatsapp(*, offline: bool) -> Iterator[Finding]:
    from pencet.accounts.models import Office

    if not settings.WHATSAPP_ACCESS_TOKEN:
        yield Finding(
            FAIL,
            _("WHATSAPP_ACCESS_TOKEN kosong: tidak ada pesan yang bisa dikirim."),
            fix=_("Buat token pengguna sistem di Meta Business Suite (docs/id/whatsapp.md)."),
        )
        return
    numbers = [o for o in Office.objects.exclude(whatsapp_phone_number_id=None).exclude(whatsapp_phone_number_id="")]
    if not numbers:
        yield Finding(
            FAIL,
            _("Belum ada kantor dengan phone number id WhatsApp."),
            fix=_("pencet office-create … --phone-number-id ID (atau isi di admin › Kantor)."),
        )
        return
    if offline:
        yield Finding(SKIP, _("Token WhatsApp tidak diperiksa (--offline)."))
        return
    for office in numbers:
        number_id = office.whatsapp_phone_number_id
        try:
            response = _graph_get(number_id, {"fields": "display_phone_number,verified_name"})
        except httpx.HTTPError as error:
            yield Finding(
                SKIP,
                _("Graph API (%(url)s) tidak terjangkau, token tidak diperiksa: %(error)s")
                % {"url": settings.WHATSAPP_API_URL, "error": str(error)[:120] or type(error).__name__},
                fix=_("Jalankan lagi saat server bisa keluar ke internet."),
            )
            return
        if response.status_code == 200:
            data = response.json()
            yield Finding(
                OK,
                _("%(office)s: token berlaku, nomor %(number)s (%(name)s) dikenal Meta.")
                % {
                    "office": office.name,
                    "number": data.get("display_phone_number", number_id),
                    "name": data.get("verified_name", ""),
                },
            )
            continue
        code, message = _graph_error(response)
        if code == 190 or response.status_code == 401:
            yield Finding(
                FAIL,
                _("Token WhatsApp ditolak Meta (kedaluwarsa atau salah): %(message)s") % {"message": message},
                fix=_("Buat token pengguna sistem baru dan isi WHATSAPP_ACCESS_TOKEN, lalu mulai ulang layanan."),
            )
            return
        yield Finding(
            FAIL,
            _("%(office)s: phone number id %(id)s tidak dikenal Meta untuk token ini: %(message)s")
            % {"office": office.name, "id": number_id, "message": message},
            fix=_("Salin Phone number ID dari WhatsApp › API Setup dan perbaiki di admin › Kantor."),
        )


def check_templates(*, offline: bool) -> Iterator[Finding]:
    from pencet.accounts.models import Office
    from pencet.catalog.models import MessageTemplate

    offices = list(Office.objects.filter(is_demo=False)) or list(Office.objects.all())
    if not offices:
        yield Finding(FAIL, _("Belum ada kantor."), fix=_("pencet office-create --regency 73.07 …"))
        return
    ours: set[tuple[str, str]] = set()
    for office in offices:
        active = MessageTemplate.objects.filter(is_active=True).filter(
            office__in=[office]
        ) | MessageTemplate.objects.filter(is_active=True, office__isnull=True)
        have = set(active.values_list("event", flat=True))
        ours |= set(active.values_list("name", "language"))
        missing = [e for e in MessageTemplate.Event.values if e not in have]
        if missing:
            yield Finding(
                FAIL,
                _("%(office)s: tidak ada template WhatsApp untuk %(events)s; pesan di luar jendela 24 jam akan gagal.")
                % {"office": office.name, "events": ", ".join(missing)},
                fix=_("pencet office-create membuatnya; atau tambahkan di admin › Template WhatsApp."),
            )
        else:
            yield Finding(OK, _("%(office)s: template untuk setiap peristiwa ada.") % {"office": office.name})
    if not settings.WHATSAPP_BUSINESS_ACCOUNT_ID:
        yield Finding(
            SKIP,
            _("Persetujuan template di Meta tidak diperiksa: WHATSAPP_BUSINESS_ACCOUNT_ID kosong."),
            fix=_("Isi WHATSAPP_BUSINESS_ACCOUNT_ID (WhatsApp › API Setup) agar doctor bisa menanyakan Meta."),
        )
        return
    if offline or not settings.WHATSAPP_ACCESS_TOKEN:
        yield Finding(SKIP, _("Persetujuan template di Meta tidak diperiksa (luring atau tanpa token)."))
        return
    try:
        response = _graph_get(
            f"{settings.WHATSAPP_BUSINESS_ACCOUNT_ID}/message_templates",
            {"fields": "name,language,status", "limit": 200},
        )
    except httpx.HTTPError as error:
        yield Finding(SKIP, _("Graph API tidak terjangkau, persetujuan template tidak diperiksa: %(e)s") % {"e": error})
        return
    if response.status_code != 200:
        yield Finding(
            FAIL,
            _("Meta menolak pertanyaan daftar template: %(message)s") % {"message": _graph_error(response)[1]},
            fix=_("Periksa WHATSAPP_BUSINESS_ACCOUNT_ID dan izin whatsapp_business_management token."),
        )
        return
    status = {(t.get("name"), t.get("language")): t.get("status") for t in response.json().get("data", [])}
    not_approved = sorted(
        f"{n} ({lang}): {status.get((n, lang), _('belum diajukan'))}"
        for n, lang in ours
        if status.get((n, lang)) != "APPROVED"
    )
    if not_approved:
        yield Finding(
            FAIL,
            _("Template belum disetujui Meta: %(list)s") % {"list": "; ".join(not_approved)},
            fix=_("Ajukan teksnya persis seperti di docs/id/whatsapp.md dan tunggu persetujuan."),
        )
    else:
        yield Finding(OK, _("Semua template disetujui Meta."))


def _cuti_bersama_recorded(*, office, year: int) -> int:  # noqa: ANN001
    """The office's own days off of `year` that are cuti bersama (by the `holidays` estimate or by their name)."""
    import holidays

    from pencet.accounts.models import DayOff

    estimated = set(holidays.country_holidays("ID", years=year, categories=("government",)))
    days_off = DayOff.objects.filter(office=office, date__year=year)
    return sum(1 for day in days_off if day.date in estimated or "cuti bersama" in day.name.lower())


def check_calendar(*, year: int | None = None) -> Iterator[Finding]:
    from pencet.accounts.models import Office
    from pencet.lib.public_holidays import public_holiday_source

    year = year or timezone.localdate().year
    offices = list(Office.objects.filter(is_demo=False).order_by("name"))
    if not offices:
        yield Finding(SKIP, _("Belum ada kantor (selain demo) untuk diperiksa kalendernya."))
        return
    source = public_holiday_source(year)
    for office in offices:
        weekdays = office.opening_hours.count()
        if not weekdays:
            yield Finding(
                FAIL,
                _("%(office)s: jam buka belum diisi untuk hari apa pun; tenggat tidak bisa dihitung.")
                % {"office": office.name},
                fix=_("Isi di admin › Kantor › Jam buka."),
            )
        else:
            yield Finding(
                OK, _("%(office)s: jam buka %(days)d hari seminggu.") % {"office": office.name, "days": weekdays}
            )
        if source.includes_cuti_bersama:
            yield Finding(
                OK,
                _("%(office)s: libur nasional dan cuti bersama %(year)d dari %(decree)s.")
                % {"office": office.name, "year": year, "decree": source.decree},
            )
            continue
        recorded = _cuti_bersama_recorded(office=office, year=year)
        if recorded:
            yield Finding(
                OK,
                _(
                    "%(office)s: %(count)d hari cuti bersama %(year)d dicatat kantor; libur nasional dari paket "
                    "holidays."
                )
                % {"office": office.name, "count": recorded, "year": year},
            )
        else:
            yield Finding(
                WARN,
                _(
                    "%(office)s: SKB cuti bersama %(year)d belum dikenal Pencet (hanya libur nasional) dan kantor "
                    "belum mencatat cuti bersama; tenggat bisa jatuh pada hari cuti bersama."
                )
                % {"office": office.name, "year": year},
                fix=_("Tambahkan cuti bersama %(year)d dari SKB 3 Menteri di admin › Kantor › Hari libur kantor.")
                % {"year": year},
            )


def _safe(check: Callable[[], Iterator[Finding]]) -> list[Finding]:
    try:
        return list(check())
    except Exception as error:  # a broken check is itself a finding, never a traceback
        return [Finding(FAIL, _("Pemeriksaan %(name)s gagal: %(error)s") % {"name": check.__name__, "error": error})]


def doctor_run(*, offline: bool = False) -> list[tuple[str, list[Finding]]]:
    """(section, findings) for every check, in the order an operator fixes them."""
    database = _safe(check_database)
    db_ok = not any(f.blocks for f in database)
    sections: list[tuple[str, Callable[[], Iterator[Finding]] | list[Finding]]] = [
        (_("Rahasia dan debug"), check_secrets),
        (_("Alamat dan host"), check_hosts),
        (_("TLS dan proxy"), check_tls),
        (_("Basis data"), database),
        (_("Antrean"), check_queue),
        (_("Penyimpanan berkas"), check_storage),
        (_("E-mail"), lambda: check_email(offline=offline)),
        (_("Webhook WhatsApp"), check_webhook_secrets),
        (_("WhatsApp Cloud API"), lambda: check_whatsapp(offline=offline)),
        (_("Template WhatsApp"), lambda: check_templates(offline=offline)),
        (_("Kalender kantor"), check_calendar),
    ]
    needs_db = {_("Antrean"), _("WhatsApp Cloud API"), _("Template WhatsApp"), _("Kalender kantor")}
    out = []
    for title, check in sections:
        if isinstance(check, list):
            out.append((title, check))
        elif title in needs_db and not db_ok:
            out.append((title, [Finding(SKIP, _("Tidak diperiksa: basis data belum siap."))]))
        else:
            out.append((title, _safe(check)))
    return out
