from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pencet.accounts.admin import OfficeScopedAdmin
from pencet.catalog.admin import MessageTemplateAdmin
from pencet.catalog.models import MessageTemplate

from . import services
from .models import ChannelAlert, Contact, InboundMessage, Media, OutboundMessage, WebhookDelivery
from .templates_sync import TemplateSyncError, message_templates_sync


@admin.register(ChannelAlert)
class ChannelAlertAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "code", "message", "stops_sending", "cleared_at", "cleared_by"]
    list_filter = ["stops_sending", ("cleared_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["office", "code", "message", "stops_sending", "created_at", "cleared_at", "cleared_by"]
    actions = ["clear"]
    # An expired access token stops every office: each office's admin sees it and may close it once renewed.
    with_officeless = True

    @admin.action(description=_("Tutup peringatan dan lanjutkan pengiriman"))
    def clear(self, request: HttpRequest, queryset: QuerySet) -> None:
        for alert in queryset.filter(cleared_at__isnull=True):
            services.channel_alert_clear(alert=alert, user=request.user)
        self.message_user(request, _("Peringatan ditutup; pesan yang tertahan dikirim lagi."), messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(OfficeScopedAdmin):
    list_display = ["created_at", "contact", "kind", "status", "attempts", "error_code", "error_message"]
    list_filter = ["status", "kind", "error_code"]
    search_fields = ["wamid", "contact__phone", "contact__wa_user_id", "preview"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(OfficeScopedAdmin):
    list_display = ["profile_name", "phone", "wa_user_id", "office", "last_inbound_at", "needs_human"]
    list_filter = ["office", "needs_human"]
    search_fields = ["phone", "wa_user_id", "profile_name"]


@admin.register(InboundMessage)
class InboundMessageAdmin(OfficeScopedAdmin):
    list_display = ["sent_at", "contact", "type", "text", "declined_reason", "processed_at"]
    list_filter = ["type", "declined_reason"]
    search_fields = ["wamid", "text", "contact__phone"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(Media)
class MediaAdmin(OfficeScopedAdmin):
    office_path = "message__office"
    list_display = ["created_at", "original_name", "content_type", "size", "rejected_reason"]
    list_filter = ["rejected_reason", "content_type"]
    readonly_fields = [f.name for f in Media._meta.fields]


class DeliveryStateFilter(admin.SimpleListFilter):
    title = _("keadaan")
    parameter_name = "keadaan"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("dead", _("Dihentikan (perlu dicoba lagi)")),
            ("waiting", _("Belum selesai")),
            ("refused", _("Selesai, sebagian ditolak")),
            ("done", _("Selesai")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "dead":
            return queryset.filter(dead_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(processed_at__isnull=True, dead_at__isnull=True)
        if self.value() == "refused":
            return queryset.filter(processed_at__isnull=False).exclude(error="")
        if self.value() == "done":
            return queryset.filter(processed_at__isnull=False)
        return queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OfficeScopedAdmin):
    # An office admin sees the own office's deliveries; one that carried several offices' (or no office's)
    # updates is for the operators (superusers) only.
    list_display = ["id", "received_at", "office", "processed_at", "dead_at", "attempts", "short_error"]
    list_filter = [DeliveryStateFilter]
    readonly_fields = [
        "received_at",
        "office",
        "processed_at",
        "dead_at",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "error",
        "signature",
    ]
    exclude = ["body"]
    actions = ["retry"]

    @admin.display(description=_("masalah"))
    def short_error(self, obj: WebhookDelivery) -> str:
        return obj.error[:120]

    @admin.action(description=_("Coba proses lagi"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = sum(services.webhook_delivery_retry(delivery=d) for d in queryset.filter(processed_at__isnull=True))
        self.message_user(
            request, _("%(count)d webhook dijadwalkan untuk diproses lagi.") % {"count": count}, messages.SUCCESS
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WebhookDelivery | None = None) -> bool:
        # The rows are Meta's words, never edited; the retry action needs only the view permission.
        return False


class MessageTemplateSyncAdmin(MessageTemplateAdmin):
    """catalog's template admin with the action that reads Meta's approval (the channel's layer may call Meta;
    catalog, below it, may not), re-registered here."""

    actions = ["sync_from_meta"]

    @admin.action(description=_("Sinkronkan status template dari Meta"))
    def sync_from_meta(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Meta lists the whole account at once; every row is brought up to date, not only the selected ones.
        try:
            result = message_templates_sync()
        except TemplateSyncError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            _("Status %(read)s template dibaca dari Meta; %(unknown)s template kantor belum ada di Meta.")
            % {"read": result.read, "unknown": result.unknown},
            messages.SUCCESS,
        )


admin.site.unregister(MessageTemplate)
admin.site.register(MessageTemplate, MessageTemplateSyncAdmin)
