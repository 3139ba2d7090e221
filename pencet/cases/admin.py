from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pencet.accounts.admin import OfficeScopedAdmin

from . import events
from .models import EventHandling
from .models_access import AccessRecord


@admin.register(EventHandling)
class EventHandlingAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "event", "subscriber", "state", "attempts", "handled_at"]
    list_filter = ["state", "subscriber"]
    search_fields = ["event__application__tracking_code"]
    readonly_fields = [f.name for f in EventHandling._meta.fields]
    actions = ["retry"]
    office_path = "event__application__office"

    @admin.action(description=_("Coba jalankan lagi"))
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = events.event_handlings_retry(handlings=queryset)
        self.message_user(
            request, _("%(count)d penanganan dicoba lagi dalam satu menit.") % {"count": count}, messages.SUCCESS
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(OfficeScopedAdmin):
    """Read-only, for everyone: the log is evidence (UU PDP); the console's /akses/ filters and exports it."""

    list_display = ["at", "username", "channel", "ip_address", "kind", "tracking_code", "object_id", "query"]
    list_filter = ["kind", "channel"]
    search_fields = ["username", "tracking_code", "query", "shown", "application__nik"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AccessRecord._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False
