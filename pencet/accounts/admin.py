from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pencet.lib.public_holidays import public_holiday_source

from .models import ApiToken, DayOff, Office, OpeningHours, RoleGrant, User
from .services import api_token_revoke


class PencetAdminSite(admin.AdminSite):
    """The admin behind the same door as the console: password plus the second factor when it is required."""

    site_header = _("Pencet — Administrasi")
    site_title = _("Pencet — Administrasi")
    index_title = _("Administrasi")

    def has_permission(self, request: HttpRequest) -> bool:
        verified = not settings.OTP_REQUIRED or request.user.is_verified()
        return super().has_permission(request) and verified

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or "/admin/")


# The documented way to swap the default site's behaviour without replacing "django.contrib.admin" in settings.
admin.site.__class__ = PencetAdminSite
for _attribute in ("site_header", "site_title", "index_title"):
    setattr(admin.site, _attribute, getattr(PencetAdminSite, _attribute))


class OfficeScopedAdmin(admin.ModelAdmin):
    """Superusers (the operators) see every office's rows; an office admin only their own office's.

    `office_path` leads from the model to its Office ("office", "application__office", "pk" for Office itself);
    `shared` marks national data every office reads (regions, the catalogue); an empty path with `shared` off
    keeps the rows for superusers alone.
    """

    office_path = "office"
    shared = False
    # Rows with no office at all (a channel-wide alert) are shown to every office admin too.
    with_officeless = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser or self.shared:
            return qs
        if not self.office_path or user.office_id is None:
            return qs.none()
        own = qs.filter(**{self.office_path: user.office_id})
        return own | qs.filter(**{f"{self.office_path}__isnull": True}) if self.with_officeless else own

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: object):  # noqa: ANN001, ANN201
        if db_field.related_model is Office and not request.user.is_superuser:
            kwargs["queryset"] = Office.objects.filter(pk=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DayOffInline(admin.TabularInline):
    model = DayOff
    extra = 1


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    list_display = ["name", "code", "regency", "whatsapp_display_number", "is_demo"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["regency"]
    readonly_fields = ["holiday_sources"]
    inlines = [OpeningHoursInline, DayOffInline]
    office_path = "pk"

    def get_readonly_fields(self, request: HttpRequest, obj: Office | None = None) -> list[str]:
        # The tracking-code prefix, the regency and the demo switch (specimen documents) are the operators'.
        extra = [] if request.user.is_superuser else ["code", "regency", "is_demo"]
        return [*super().get_readonly_fields(request, obj), *extra]

    @admin.display(description=_("sumber hari libur nasional"))
    def holiday_sources(self, obj: Office) -> SafeString:
        """Which list the clocks use per year, so an office knows when to add cuti bersama by hand."""
        year = timezone.localdate().year
        lines = []
        for y in range(year - 1, year + 3):
            source = public_holiday_source(y)
            if source.includes_cuti_bersama:
                text = _("%(year)s: lokal-id, libur nasional dan cuti bersama (%(decree)s)") % {
                    "year": y,
                    "decree": source.decree,
                }
            else:
                text = _(
                    "%(year)s: paket holidays, hanya libur nasional (sebagian perkiraan); "
                    "tambahkan cuti bersama sebagai hari libur kantor"
                ) % {"year": y}
            lines.append(str(text))
        return format_html_join("", "{}<br>", ((line,) for line in lines))


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(OfficeScopedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "role_list", "is_active"]
    list_filter = ["office", "role_grants__role", "is_active", "is_staff"]
    autocomplete_fields = ["office", "villages", "report_region"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Kantor dan wilayah"), {"fields": ("office", "villages", "whatsapp_number", "phone")}),
        (_("Peringatan keterlambatan"), {"fields": ("on_duty", "overdue_alert_email")}),
        (_("Laporan lintas kantor"), {"fields": ("report_region", "report_national")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Kantor"), {"fields": ("office", "first_name", "last_name", "email")}),
    )

    @admin.display(description=_("peran"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(grant) for grant in obj.role_grants.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("office").prefetch_related("role_grants")

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        # An office admin manages staff and roles, never Django's own rights (no way to make oneself superuser).
        extra = [] if request.user.is_superuser else [
            "is_staff", "is_superuser", "groups", "user_permissions", "report_region", "report_national",
        ]  # fmt: skip
        return [*super().get_readonly_fields(request, obj), *extra]

    def save_related(self, request: HttpRequest, form: object, formsets: object, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance  # type: ignore[attr-defined]
        user.__dict__.pop("_roles_cache", None)
        # The admin role is what opens the Django admin; granting it here must open it too.
        if user.has_role("admin") and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])


@admin.register(ApiToken)
class ApiTokenAdmin(OfficeScopedAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]
    office_path = "user__office"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are created where the plain key can be shown once (console/API), never here.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Cabut token terpilih"), permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(user=token.user, token_id=token.pk)
        self.message_user(
            request,
            ngettext("%(count)d token dicabut.", "%(count)d token dicabut.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )


from . import admin_security  # noqa: E402, F401  (the TOTP and axes admin pages, in Bahasa Indonesia)
