from django.contrib import admin

from .models import MessageTemplate, Requirement, Service


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "code", "name", "short_name", "optional", "alternative_group", "condition", "accepts"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "group", "legal_deadline_days", "target_working_hours", "is_active"]
    list_filter = ["group", "is_bundle", "is_active", "needs_biometric"]
    search_fields = ["code", "name", "short_name"]
    filter_horizontal = ["components"]
    inlines = [RequirementInline]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "language", "category", "office", "is_active"]
    list_filter = ["event", "language", "is_active", "office"]
    search_fields = ["name", "body_preview"]
