from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read-only: the codes come from the Kemendagri decree (`pencet import-regions`), not from hand edits."""

    list_display = ["code", "name", "level", "kind", "postal_code"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Region], search_term: str
    ) -> tuple[QuerySet[Region], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete: a user's villages are villages, an office's regency is a regency.
        field = request.GET.get("field_name")
        if field == "villages":
            queryset = queryset.filter(level=Region.Level.VILLAGE)
        elif field == "regency":
            queryset = queryset.filter(level=Region.Level.REGENCY)
        return queryset, may_have_duplicates
