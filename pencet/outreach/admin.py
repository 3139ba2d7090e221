from django.contrib import admin

from pencet.accounts.admin import OfficeScopedAdmin

from .models import Announcement, Booking, Desk, HomeVisit, ServiceDay, Subscription


@admin.register(ServiceDay)
class ServiceDayAdmin(OfficeScopedAdmin):
    list_display = ("date", "place", "village", "programme", "capacity_per_hour")
    list_filter = ("programme", "date")
    filter_horizontal = ("services",)
    raw_id_fields = ("village",)


@admin.register(Desk)
class DeskAdmin(OfficeScopedAdmin):
    list_display = ("name", "purpose", "capacity_per_hour", "is_active")


@admin.register(Booking)
class BookingAdmin(OfficeScopedAdmin):
    list_display = ("starts_at", "name", "phone", "service", "status")
    list_filter = ("status",)
    raw_id_fields = ("contact", "application", "service_day", "desk")


@admin.register(Subscription)
class SubscriptionAdmin(OfficeScopedAdmin):
    list_display = ("contact", "village", "programme", "created_at", "opted_out_at")
    raw_id_fields = ("contact", "village")


@admin.register(Announcement)
class AnnouncementAdmin(OfficeScopedAdmin):
    list_display = ("created_at", "template", "village", "programme", "finished_at")
    readonly_fields = ("created_at", "finished_at")


@admin.register(HomeVisit)
class HomeVisitAdmin(OfficeScopedAdmin):
    office_path = "application__office"
    list_display = ("planned_for", "application", "status")
    raw_id_fields = ("application",)
