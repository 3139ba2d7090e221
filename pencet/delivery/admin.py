from django.contrib import admin

from pencet.accounts.admin import OfficeScopedAdmin

from .models import Delivery, OutputDocument


@admin.register(OutputDocument)
class OutputDocumentAdmin(OfficeScopedAdmin):
    office_path = "application__office"
    list_display = ["filename", "application", "signature_status", "is_specimen", "uploaded_by", "created_at"]
    list_filter = ["signature_status", "is_specimen"]
    search_fields = ["application__tracking_code", "filename", "sha256"]
    readonly_fields = [f.name for f in OutputDocument._meta.fields]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        # Outputs come in through output_document_add, which checks the signature.
        return False


@admin.register(Delivery)
class DeliveryAdmin(OfficeScopedAdmin):
    office_path = "application__office"
    list_display = ["application", "channel", "status", "recipient", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["application__tracking_code", "recipient"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False
