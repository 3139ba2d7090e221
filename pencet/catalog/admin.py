from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import MessageTemplate, Requirement, Service, StageTarget


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "code", "name", "short_name", "optional", "alternative_group", "condition", "accepts"]


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
    list_display = ["name", "event", "language", "category", "office", "is_active"]
    list_filter = ["event", "language", "is_active", "office"]
    search_fields = ["name", "body_preview"]
