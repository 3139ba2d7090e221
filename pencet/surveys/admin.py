from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pencet.accounts.admin import OfficeScopedAdmin as OfficeScoped

from .models import Complaint, ComplaintEntry, SurveyPeriod, SurveyQuestion, SurveyResponse


class SurveyQuestionInline(admin.StackedInline):
    model = SurveyQuestion
    extra = 0
    max_num = 9
    fields = [
        ("element", "name"),
        "text",
        ("option_1", "short_1"),
        ("option_2", "short_2"),
        ("option_3", "short_3"),
        ("option_4", "short_4"),
        "keywords",
    ]


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(OfficeScoped):
    list_display = ["name", "office", "starts_on", "ends_on", "published_at"]
    list_filter = ["office"]
    fields = [
        "office",
        "name",
        ("starts_on", "ends_on"),
        "intro",
        "education_options",
        "occupation_options",
        "follow_up_plan",
        "published_at",
    ]
    readonly_fields = ["published_at"]
    inlines = [SurveyQuestionInline]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(OfficeScoped):
    """Read-only: responses are entered on the kiosk, on paper entry or by WhatsApp, never edited."""

    list_display = ["pk", "date", "channel", "service", "form_number"]
    list_filter = ["channel", "office", "period"]
    search_fields = ["form_number"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ComplaintEntryInline(admin.TabularInline):
    model = ComplaintEntry
    extra = 0
    fields = ["created_at", "kind", "author", "text"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(OfficeScoped):
    list_display = ["tracking_code", "category", "status", "channel", "assigned_to", "due_at", "escalated_at"]
    list_filter = ["status", "category", "channel", "office"]
    search_fields = ["tracking_code", "citizen_name", "text"]
    readonly_fields = ["tracking_code", "created_at", "answered_at", "escalated_at", "closed_at", "confirmed_via"]
    raw_id_fields = ["contact", "application", "filed_by", "assigned_to"]
    inlines = [ComplaintEntryInline]
    verbose_name = _("pengaduan")
