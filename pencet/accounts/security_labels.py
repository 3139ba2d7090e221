"""django-otp (TOTP devices) and django-axes (login lockouts) in Bahasa Indonesia.

django-axes wraps its strings in gettext: our catalogue (LOCALE_PATHS, which wins over an app's own) carries their
Indonesian, and `AXES_MSGIDS` repeats the msgids so that `make messages` keeps them. django-otp wraps none of its
labels, so they are made translatable here, at start-up, under their own English text as msgid (context
"django-otp"): English stays exactly as upstream wrote it and the migrations see no change.
settings.INSTALLED_APPS names the two AppConfigs below instead of the packages' own.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig

# TOTPDevice: field name → (label, help text), the msgids being django-otp's own words.
TOTP_FIELDS = {
    "user": (pgettext_lazy("django-otp", "user"), pgettext_lazy("django-otp", "The user that this device belongs to.")),
    "name": (
        pgettext_lazy("django-otp", "name"),
        pgettext_lazy("django-otp", "The human-readable name of this device."),
    ),
    "confirmed": (
        pgettext_lazy("django-otp", "confirmed"),
        pgettext_lazy("django-otp", "Is this device ready for use?"),
    ),
    "key": (
        pgettext_lazy("django-otp", "key"),
        pgettext_lazy("django-otp", "A hex-encoded secret key of up to 40 bytes."),
    ),
    "step": (pgettext_lazy("django-otp", "step"), pgettext_lazy("django-otp", "The time step in seconds.")),
    "t0": (
        pgettext_lazy("django-otp", "t0"),
        pgettext_lazy("django-otp", "The Unix time at which to begin counting steps."),
    ),
    "digits": (
        pgettext_lazy("django-otp", "digits"),
        pgettext_lazy("django-otp", "The number of digits to expect in a token."),
    ),
    "tolerance": (
        pgettext_lazy("django-otp", "tolerance"),
        pgettext_lazy("django-otp", "The number of time steps in the past or future to allow."),
    ),
    "drift": (
        pgettext_lazy("django-otp", "drift"),
        pgettext_lazy("django-otp", "The number of time steps the prover is known to deviate from our clock."),
    ),
    "last_t": (
        pgettext_lazy("django-otp", "last t"),
        pgettext_lazy(
            "django-otp", "The t value of the latest verified token. The next token must be at a higher time step."
        ),
    ),
    "throttling_failure_timestamp": (
        pgettext_lazy("django-otp", "throttling failure timestamp"),
        pgettext_lazy(
            "django-otp", "A timestamp of the last failed verification attempt. Null if last attempt succeeded."
        ),
    ),
    "throttling_failure_count": (
        pgettext_lazy("django-otp", "throttling failure count"),
        pgettext_lazy("django-otp", "Number of successive failed attempts."),
    ),
    "created_at": (
        pgettext_lazy("django-otp", "created at"),
        pgettext_lazy("django-otp", "The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (
        pgettext_lazy("django-otp", "last used at"),
        pgettext_lazy("django-otp", "The most recent date and time this device was used."),
    ),
}

# django-axes' msgids as its admin, models and lockout messages use them (translated in our catalogue).
AXES_MSGIDS = (
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)


def totp_labels_translate() -> None:
    """Give TOTPDevice translatable names and field labels (display only: nothing a migration records)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    meta = TOTPDevice._meta
    meta.verbose_name = pgettext_lazy("django-otp", "TOTP device")
    meta.verbose_name_plural = pgettext_lazy("django-otp", "TOTP devices")
    for name, (label, help_text) in TOTP_FIELDS.items():
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:  # a later django-otp without that field: its label stays upstream's
            continue
        field.verbose_name, field.help_text = label, help_text


class TOTPConfig(TOTPDefaultConfig):
    """django-otp's TOTP devices, labelled in Bahasa Indonesia."""

    verbose_name = _("Verifikasi dua langkah (TOTP)")

    def ready(self) -> None:
        super().ready()
        totp_labels_translate()


def _when(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "-"


def _attempt_str(attempt: object) -> str:
    return gettext("Percobaan login %(user)s, %(when)s") % {
        "user": attempt.username or "-",
        "when": _when(attempt.attempt_time),
    }


def _log_str(log: object) -> str:
    return gettext("Login %(user)s, %(when)s") % {"user": log.username or "-", "when": _when(log.attempt_time)}


def _failure_str(failure: object) -> str:
    text = gettext("Login gagal %(user)s dari %(ip)s, %(when)s") % {
        "user": failure.username or "-",
        "ip": failure.ip_address or "-",
        "when": _when(failure.attempt_time),
    }
    return text + (" " + gettext("(terkunci)") if failure.locked_out else "")


class AxesConfig(AxesAppConfig):
    """django-axes (locking an account after repeated failed logins), labelled in Bahasa Indonesia; its rows name
    themselves in English f-strings upstream, so their __str__ (the admin's page titles) is ours."""

    verbose_name = _("Pengamanan login")

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _attempt_str
        AccessLog.__str__ = _log_str
        AccessFailureLog.__str__ = _failure_str
