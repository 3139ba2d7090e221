"""The admin pages of django-otp's TOTP devices and django-axes' login attempts, with the words those packages left
untranslatable (fieldset titles, columns, a message built with an f-string) in Bahasa Indonesia.

The models' labels are translated in pencet.accounts.security_labels; this module only replaces the two ModelAdmins
whose code holds English text.
"""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.conf import settings as otp_settings
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

FIELDSET_TITLES = {
    "Identity": _("Identitas"),
    "Timestamps": _("Waktu"),
    "Configuration": _("Konfigurasi"),
    "State": _("Keadaan"),
    "Throttling": _("Pembatasan percobaan"),
}


class TOTPDeviceAdmin(totp_admin.TOTPDeviceAdmin):
    search_help_text = _("Cari menurut nama pengguna atau e-mail pegawai.")

    def get_fieldsets(self, request: HttpRequest, obj: TOTPDevice | None = None) -> list:
        return [(FIELDSET_TITLES.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    @admin.display(description=_("Kode QR"))
    def qrcode_link(self, device: TOTPDevice) -> str:
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("kode QR"))

    def config_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The device's QR code for an authenticator app (django-otp's page, with our words)."""
        if otp_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA:
            raise PermissionDenied
        device = TOTPDevice.objects.get(pk=pk)
        if not self.has_view_or_change_permission(request, device):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "device": device,
            "opts": TOTPDevice._meta,
            "title": _("Kode QR perangkat TOTP"),
        }
        return TemplateResponse(request, "accounts/admin/totp_config.html", context)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.action(description=_("Hapus percobaan yang sudah kedaluwarsa"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: object) -> None:
        # axes' own action reads the attempt time that only a login request carries (and fails without it).
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)s percobaan login kedaluwarsa dihapus.",
                "%(count)s percobaan login kedaluwarsa dihapus.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("Kedaluwarsa"))
    def expiration(self, obj: AccessAttempt) -> object:
        return obj.expiration.expires_at if hasattr(obj, "expiration") else _("Belum diatur")

    @admin.display(description=_("Keadaan"))
    def status(self, obj: AccessAttempt) -> str:
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return str(_("Terkunci"))
        return ngettext("%(count)s percobaan tersisa", "%(count)s percobaan tersisa", left) % {"count": left}


# Replace the packages' registrations (imported above, so they exist); axes registers none with AXES_ENABLE_ADMIN off.
for _model, _admin_class in ((TOTPDevice, TOTPDeviceAdmin), (AccessAttempt, AccessAttemptAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
