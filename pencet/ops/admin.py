from django.contrib import admin

from .models import OfficeRetention


@admin.register(OfficeRetention)
class OfficeRetentionAdmin(admin.ModelAdmin):
    list_display = ["office", "photo_retention_days"]
