from django.contrib import admin

from .models import Handelse


@admin.register(Handelse)
class HandelseAdmin(admin.ModelAdmin):
    """Read-only: the trail can be read by admins but never edited."""

    list_display = ["at", "username", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
