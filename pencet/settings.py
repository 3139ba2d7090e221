"""Pencet settings: one file, driven by environment variables.

The defaults make a laptop office work with nothing else installed (SQLite in WAL mode,
SqliteHuey, files under ./var/). Production sets DATABASE_URL, PENCET_SECRET_KEY and friends.
"""

import os
import sys
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PENCET_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_SECRET_KEY = "pencet-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("PENCET_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = envbool("PENCET_DEBUG")
# Under pytest the suite gets immediate Huey, in-memory e-mail and relaxed cookie security.
TESTING = envbool("PENCET_TESTING") or "pytest" in sys.modules
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("PENCET_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("PENCET_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# The public address citizens reach (links in receipts' QR codes and e-mails).
SITE_URL = os.environ.get("PENCET_SITE_URL", "http://127.0.0.1:{}".format(os.environ.get("PENCET_PORT", "8000")))

# A WhatsApp simulator and a local stand-in for Meta's Graph API (demo and tests only).
SIMULATOR = envbool("PENCET_SIMULATOR")
# In the demo the second factor can be switched off; everywhere else it is required.
OTP_REQUIRED = envbool("PENCET_OTP_REQUIRED", "1")
if TESTING and "PENCET_OTP_REQUIRED" not in os.environ:
    # Tests log personas in with force_login; the second factor's own tests switch it on explicitly.
    OTP_REQUIRED = False
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = os.environ.get("PENCET_OTP_ISSUER", "Pencet")

if not DEBUG and not TESTING and SECRET_KEY == DEFAULT_SECRET_KEY and not SIMULATOR:
    raise ImproperlyConfigured(
        "PENCET_SECRET_KEY must be set in production (PENCET_DEBUG is off). "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    # django-otp's TOTP devices and django-axes under Indonesian labels (pencet/accounts/security_labels.py).
    "pencet.accounts.security_labels.TOTPConfig",
    "pencet.accounts.security_labels.AxesConfig",
    "huey.contrib.djhuey",
    "pencet.accounts",
    "pencet.regions",
    "pencet.catalog",
    "pencet.whatsapp",
    "pencet.cases",
    "pencet.bot",
    "pencet.delivery",
    "pencet.surveys",
    "pencet.reports",
    "pencet.outreach",
    "pencet.console",
    "pencet.api",
    # Only for its templates and static files: the API docs page then works offline (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pencet.console.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pencet.urls"
WSGI_APPLICATION = "pencet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pencet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pencet.console.context_processors.console",
            ],
        },
    },
]

# Database: SQLite (WAL) under ./var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if TESTING and os.environ.get("TEST_DATABASE_URL"):
    DATABASE_URL = os.environ["TEST_DATABASE_URL"]
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            # Django's, with a writer that gets the lock as soon as it is free (pencet/sqlite/base.py).
            "ENGINE": "pencet.sqlite",
            "NAME": VAR_DIR / "pencet.sqlite3",
            # Opening the file and running the PRAGMAs on every request cost more than the webhook's whole insert
            # (bench/webhook.py); each server thread keeps its connection instead, as with PostgreSQL.
            "CONN_MAX_AGE": 60,
            # In memory, as Django's own backend tests (pytest-django knows only Django's engine name for that).
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                # WAL lets the web server and the Huey consumer read while the other writes; FULL makes a
                # committed webhook survive a power cut before Meta gets its 200.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                # Longest wait for the write lock, in seconds.
                "timeout": 5,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Every persona gets a password; a deliberately slow hash would make the suite slow, not safer.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "console:login"

# django-axes: lock an account+address after repeated failed logins.
AXES_FAILURE_LIMIT = envint("PENCET_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
AXES_ENABLED = envbool("PENCET_AXES_ENABLED", "1")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pencet" / "locale"]
TIME_ZONE = os.environ.get("PENCET_TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PENCET_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("PENCET_MEDIA_ROOT", str(VAR_DIR / "media")))

# File storage: local folder by default, S3-compatible with PENCET_STORAGE=s3.
if os.environ.get("PENCET_STORAGE", "local") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("PENCET_S3_BUCKET", "pencet"),
            "endpoint_url": os.environ.get("PENCET_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PENCET_S3_REGION") or None,
            "access_key": os.environ.get("PENCET_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("PENCET_S3_SECRET_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "pencet.ops.staticfiles.CompressedStaticFilesStorage"
    },
}
# Without collectstatic (development, tests) whitenoise looks files up per request instead of warning at start.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# Jobs: SqliteHuey by default; PENCET_QUEUE=redis|postgres for many workers on many machines.
PENCET_QUEUE = os.environ.get("PENCET_QUEUE", "sqlite")
_huey_common = {"name": "pencet", "immediate": envbool("PENCET_HUEY_IMMEDIATE", "1" if TESTING else "0")}
if PENCET_QUEUE == "redis":
    HUEY = {
        **_huey_common,
        "huey_class": "huey.RedisHuey",
        "url": os.environ.get("PENCET_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
elif PENCET_QUEUE == "postgres":
    # huey's PostgresHuey, connected from PENCET_HUEY_DATABASE_URL or DATABASE_URL (pencet.lib.pghuey).
    HUEY = {**_huey_common, "huey_class": "pencet.lib.pghuey.PostgresHuey"}
else:
    HUEY = {
        **_huey_common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        # The queue need not fsync: webhooks and outbound messages are durable rows in the main database and a
        # periodic sweep re-enqueues any whose task was lost.
        "fsync": False,
    }
HUEY["consumer"] = {
    "workers": envint("PENCET_WORKERS", 2),
    # Processes by default on Linux: a bot turn is Python (the ORM, mostly) and threads share one interpreter lock,
    # so only processes answer fifty citizens at once on every core (bench/README.md "Replies"). Elsewhere (no
    # fork by default) threads.
    "worker_type": os.environ.get("PENCET_WORKER_TYPE", "process" if sys.platform.startswith("linux") else "thread"),
    "periodic": True,
    # An idle worker polls the queue every 50-100 ms instead of backing off to huey's 10 s, so a citizen writing to
    # a quiet office is answered within a second (issue 15); a poll of SqliteHuey is one indexed SELECT. Redis and
    # PostgreSQL queues block on the queue instead and wake at once.
    "initial_delay": 0.05,
    "backoff": 1.15,
    "max_delay": 0.1,
}

# Who hears of each committed application Event (pencet.cases.events): dotted paths of `fn(*, event) -> None`,
# each called once per event from a Huey task, retried on failure; a failure never undoes the transition.
PENCET_EVENT_SUBSCRIBERS = [
    "pencet.cases.clocks.clock_event_record",
    "pencet.bot.notifications.event_notify",
    "pencet.surveys.subscribers.survey_invite",
    "pencet.reports.subscribers.report_event_record",
    "pencet.reports.section_stats.section_event_record",
    "pencet.outreach.subscribers.pickup_offer_on_ready",
    "pencet.outreach.subscribers.in_person_offer_on_submit",
]

# E-mail: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://…, console:, file:, memory:).
EMAIL_URL = os.environ.get("EMAIL_URL", "console:" if not TESTING else "memory:")
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("PENCET_DEFAULT_FROM_EMAIL", "Pencet <noreply@pencet.local>")

# WhatsApp Cloud API.
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com")
WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v23.0")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_MAX_BODY_BYTES = 3 * 1024 * 1024
WHATSAPP_IMAGE_MAX_BYTES = envint("WHATSAPP_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
WHATSAPP_DOCUMENT_MAX_BYTES = envint("WHATSAPP_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
if SIMULATOR:
    # The stand-in for Meta runs inside this server; demo credentials are fixed and public.
    WHATSAPP_API_URL = os.environ.get("PENCET_SIMULATOR_URL", SITE_URL.rstrip("/") + "/simulator/graph")
    WHATSAPP_ACCESS_TOKEN = WHATSAPP_ACCESS_TOKEN or "simulator-access-token"
    WHATSAPP_APP_SECRET = WHATSAPP_APP_SECRET or "simulator-app-secret"
    WHATSAPP_VERIFY_TOKEN = WHATSAPP_VERIFY_TOKEN or "simulator-verify-token"
WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_NUMBER_ID or ("100000000000001" if SIMULATOR or TESTING else "")
if TESTING and not SIMULATOR:
    # Tests never reach Meta: without the fake_graph fixture sends fail fast on the discard port.
    WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "http://127.0.0.1:9")
    WHATSAPP_ACCESS_TOKEN = WHATSAPP_ACCESS_TOKEN or "test-access-token"
    WHATSAPP_APP_SECRET = WHATSAPP_APP_SECRET or "test-app-secret"
    WHATSAPP_VERIFY_TOKEN = WHATSAPP_VERIFY_TOKEN or "test-verify-token"
# Meta's pair rate limit, a token bucket per person: a burst of up to WHATSAPP_PAIR_BURST messages at once, then
# about one per WHATSAPP_PAIR_INTERVAL_SECONDS. The same in tests and the simulator, so they show what a citizen gets.
WHATSAPP_PAIR_INTERVAL_SECONDS = float(os.environ.get("WHATSAPP_PAIR_INTERVAL_SECONDS", "6"))
WHATSAPP_PAIR_BURST = envint("WHATSAPP_PAIR_BURST", 45)
# Seconds between retries of a send that failed for a passing reason (network, 5xx, rate limits), doubled each time.
WHATSAPP_RETRY_BASE_SECONDS = float(os.environ.get("WHATSAPP_RETRY_BASE_SECONDS", "5"))
WHATSAPP_MAX_ATTEMPTS = envint("WHATSAPP_MAX_ATTEMPTS", 8)
WHATSAPP_HTTP_TIMEOUT = float(os.environ.get("WHATSAPP_HTTP_TIMEOUT", "20"))
# A send whose worker died inside the Graph call (pencet/whatsapp/orphans.py): after WHATSAPP_SENDING_STALE_SECONDS
# in "sending" the worker counts as gone (one attempt is a file read, an upload and a send, each within the HTTP
# timeout); the row then waits WHATSAPP_STATUS_GRACE_SECONDS more for Meta's status, which carries the row id, and
# is sent once more if none came. Meta sends `sent` within seconds, so a duplicate needs a status later than both.
WHATSAPP_SENDING_STALE_SECONDS = float(
    os.environ.get("WHATSAPP_SENDING_STALE_SECONDS", str(max(60.0, 3 * WHATSAPP_HTTP_TIMEOUT)))
)
WHATSAPP_STATUS_GRACE_SECONDS = float(os.environ.get("WHATSAPP_STATUS_GRACE_SECONDS", "120"))
# The channel knows no domain: who answers an inbound message, fn(*, message: InboundMessage), and who follows an
# outbound message that was sent, failed or got a status from Meta, fn(*, message: OutboundMessage).
WHATSAPP_INBOUND_HANDLER = "pencet.bot.services.bot_handle_inbound"
WHATSAPP_STATUS_LISTENERS = ["pencet.delivery.services.delivery_outbound_update"]

# Conversation.
# What other apps of the bot's layer add to the conversation, without the bot importing them (pencet.outreach):
# called with (*, contact, office, service) after a service's information, and (*, message) -> bool before the bot
# reads a message (True: answered, the bot reads nothing of it).
PENCET_BOT_SERVICE_INFO_HOOKS = ["pencet.outreach.conversation.in_person_offer"]
PENCET_BOT_INBOUND_HOOKS = ["pencet.outreach.conversation.booking_reply"]
# Announcements (pencet.outreach): business-initiated conversations an office starts per 24 hours. Meta's messaging
# limit of a new number is 250 unique people a day (then 1,000, 10,000, …); raise it when Meta raises the tier.
PENCET_ANNOUNCEMENT_DAILY_LIMIT = envint("PENCET_ANNOUNCEMENT_DAILY_LIMIT", 250)
PENCET_DRAFT_EXPIRY_DAYS = envint("PENCET_DRAFT_EXPIRY_DAYS", 7)
# After a citizen asks for an officer ("petugas") the bot stays quiet in that chat for this many working hours
# unless the officer closes the hand-off first.
PENCET_HANDOFF_QUIET_HOURS = float(os.environ.get("PENCET_HANDOFF_QUIET_HOURS", "4"))
PENCET_DEMO_PASSWORD = os.environ.get("PENCET_DEMO_PASSWORD", "pencet-demo-2026")

# Production-safe defaults whenever debug is off.
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("PENCET_SECURE_COOKIES", "0" if SIMULATOR or TESTING else "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = envint("PENCET_HSTS_SECONDS", 0 if SIMULATOR or TESTING else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PENCET_LOG_LEVEL", "INFO")},
    "loggers": {
        # A handler of its own stops run_huey from adding a second one (every line printed twice).
        "huey": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

# ----- Operations (pencet.ops): doctor, health, metrics, backup, retention -----
INSTALLED_APPS += ["pencet.ops"]
# First, so the latency it records covers the whole middleware stack.
MIDDLEWARE.insert(0, "pencet.ops.middleware.RequestLatencyMiddleware")
# /metrics: a bearer token (Authorization: Bearer …) and/or the scraper's addresses (comma-separated IPs or CIDRs).
PENCET_METRICS_TOKEN = os.environ.get("PENCET_METRICS_TOKEN", "")
PENCET_METRICS_ALLOWED_IPS = [
    a.strip() for a in os.environ.get("PENCET_METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if a.strip()
]
# Seconds a web process keeps request latencies before adding them to the shared histogram in the database.
PENCET_METRICS_FLUSH_SECONDS = float(os.environ.get("PENCET_METRICS_FLUSH_SECONDS", "10"))
# A consumer that has not run the heartbeat task for this long counts as gone (the task runs every minute).
PENCET_HEARTBEAT_MAX_AGE_SECONDS = envint("PENCET_HEARTBEAT_MAX_AGE_SECONDS", 180)
# Citizens' document photos are deleted this many days after their application closed (per office: admin ›
# Masa simpan foto); outputs and the timeline stay.
PENCET_PHOTO_RETENTION_DAYS = envint("PENCET_PHOTO_RETENTION_DAYS", 365)
# Where `pencet backup` writes its archives when no --output is given.
PENCET_BACKUP_DIR = Path(os.environ.get("PENCET_BACKUP_DIR", str(VAR_DIR / "backups")))
# The WhatsApp Business Account id: lets `pencet doctor` ask Meta whether the templates are approved.
# The simulator's stand-in answers for a made-up account, so a demo office can sync its templates.
WHATSAPP_BUSINESS_ACCOUNT_ID = os.environ.get("WHATSAPP_BUSINESS_ACCOUNT_ID", "") or (
    "100000000000009" if SIMULATOR else ""
)
if os.environ.get("PENCET_STORAGE", "local") == "s3":
    PENCET_S3_ENDPOINT_URL = os.environ.get("PENCET_S3_ENDPOINT_URL", "")
    STORAGES["default"]["OPTIONS"].update(
        {
            # MinIO, Ceph and loopback servers have no per-bucket host names: path-style unless told otherwise.
            "addressing_style": os.environ.get("PENCET_S3_ADDRESSING_STYLE", "path" if PENCET_S3_ENDPOINT_URL else "")
            or None,
            "signature_version": "s3v4",
            # Signed download links live five minutes (the console streams files; links are for tools).
            "querystring_expire": envint("PENCET_S3_URL_SECONDS", 300),
            # Documents are personal data: no public-read fallback, server-side encryption where the store has it.
            "object_parameters": {"ServerSideEncryption": "AES256"} if envbool("PENCET_S3_ENCRYPT", "0") else {},
        }
    )

# Behind a TLS proxy (nginx, Caddy): the addresses (or networks) of the proxies whose X-Forwarded-For and
# X-Forwarded-Proto are believed. Empty: none are, and the app never takes HTTPS or a client address from a
# header (pencet.console.proxies drops them). `pencet serve` hands a single address to waitress too.
PENCET_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("PENCET_TRUSTED_PROXIES", "").split(",") if p.strip()]
try:
    from pencet.lib.proxies import proxy_networks_parse

    proxy_networks_parse(PENCET_TRUSTED_PROXIES)
except ValueError as _error:
    raise ImproperlyConfigured(f"PENCET_TRUSTED_PROXIES: {_error}") from _error
# First, so that SecurityMiddleware (HSTS), CSRF's origin check and the lockout see the judged request.
MIDDLEWARE.insert(0, "pencet.console.proxies.TrustedProxyMiddleware")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PENCET_TRUSTED_PROXIES else None
# django-axes counts failed logins per client address: the one the trusted-proxy middleware resolved.
AXES_CLIENT_IP_CALLABLE = "pencet.console.proxies.client_ip"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Office admins are staff, not superusers: their Django admin rights come from the role (accounts.permissions).
AUTHENTICATION_BACKENDS += ["pencet.accounts.permissions.OfficeAdminPermissionBackend"]

# The public status page: lookups per client address and minute before it answers 429.
PENCET_STATUS_RATE_LIMIT = envint("PENCET_STATUS_RATE_LIMIT", 30)

# Content-Security-Policy on every response (pencet.console.middleware.ContentSecurityPolicyMiddleware). No
# 'unsafe-inline', no 'unsafe-eval': scripts and styles are static files; htmx is told not to inject its indicator
# <style> and never to eval (the htmx-config <meta> in the templates). PDFs are shown in <object> from this origin.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": ["'self'"],
    "frame-src": ["'self'"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
MIDDLEWARE.insert(1, "pencet.console.middleware.ContentSecurityPolicyMiddleware")
# A view's bare HttpResponseForbidden("why") is shown as the 403 page with the console layout.
MIDDLEWARE.append("pencet.console.middleware.ForbiddenPageMiddleware")
