from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pencet.accounts.admin import OfficeScopedAdmin

from . import events
from .models import EventHandling


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

