from django.contrib import admin
from django.http import HttpRequest

from pencet.accounts.admin import OfficeScopedAdmin

from .models import Conversation, HandoffEntry


@admin.register(Conversation)
class ConversationAdmin(OfficeScopedAdmin):
    list_display = ("contact", "state", "application", "assigned_to", "updated_at")
    list_filter = ("state",)
    search_fields = ("contact__phone", "contact__profile_name", "application__tracking_code")
    raw_id_fields = ("contact", "application", "handoff_message")
    readonly_fields = ("created_at", "updated_at")
    office_path = "contact__office"


@admin.register(HandoffEntry)
class HandoffEntryAdmin(OfficeScopedAdmin):
    """Who took, passed on, answered and closed each chat handed to a person (read-only: a record)."""

    list_display = ("created_at", "conversation", "action", "actor", "assignee")
    list_filter = ("action",)
    search_fields = ("conversation__contact__phone", "conversation__contact__profile_name", "actor__username")
    office_path = "conversation__contact__office"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HandoffEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: HandoffEntry | None = None) -> bool:
        return False
