from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import CannedReply, MessageTemplate, Requirement, Service, StageTarget


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "code", "name", "short_name", "optional", "alternative_group", "condition", "accepts", "form"]


class StageTargetInline(admin.TabularInline):
    model = StageTarget
    extra = 0
    verbose_name_plural = _("target tahap (menit kerja; paket memakai yang terlama dari layanan di dalamnya)")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "group",
        "legal_deadline_days",
        "same_day",
        "target_working_hours",
        "is_active",
    ]
    list_filter = ["group", "is_bundle", "is_active", "needs_biometric"]
    search_fields = ["code", "name", "short_name"]
    filter_horizontal = ["components"]
    inlines = [RequirementInline, StageTargetInline]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "language", "category", "office", "is_active", "meta_status", "meta_synced_at"]
    list_filter = ["event", "language", "is_active", "meta_status", "office"]
    # Meta's review is read from the Graph API (pencet.whatsapp.templates_sync), never typed in.
    readonly_fields = ["meta_status", "meta_category", "meta_components", "meta_synced_at"]
    search_fields = ["name", "body_preview"]

    # accounts.admin.OfficeScopedAdmin's rule, written here because catalog sits below accounts: an office admin
    # sees and edits their office's templates; the shared ones (no office) are the operators'.
    def get_queryset(self, request: HttpRequest) -> QuerySet[MessageTemplate]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(office_id=request.user.office_id) if request.user.office_id else qs.none()

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: object):  # noqa: ANN001, ANN201
        if db_field.name == "office" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(pk=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """The office's ready answers for the chats handed to a person; its admin keeps the list short and current."""

    list_display = ["title", "order", "is_active", "office"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "office"]
    search_fields = ["title", "body"]

    # The same office rule as MessageTemplateAdmin.
    def get_queryset(self, request: HttpRequest) -> QuerySet[CannedReply]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(office_id=request.user.office_id) if request.user.office_id else qs.none()

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: object):  # noqa: ANN001, ANN201
        if db_field.name == "office" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(pk=request.user.office_id)
            kwargs["initial"] = request.user.office_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
