from django.contrib import admin

from pencet.accounts.admin import OfficeScopedAdmin

from .models import Conversation


@admin.register(Conversation)
class ConversationAdmin(OfficeScopedAdmin):
    list_display = ("contact", "state", "application", "updated_at")
    list_filter = ("state",)
    search_fields = ("contact__phone", "contact__profile_name", "application__tracking_code")
    raw_id_fields = ("contact", "application")
    readonly_fields = ("created_at", "updated_at")
    office_path = "contact__office"
