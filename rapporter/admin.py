from django.contrib import admin

from .models import Berattelse, Kostnad, Rapportversion


@admin.register(Kostnad)
class KostnadAdmin(admin.ModelAdmin):
    list_display = ["year", "coordinators", "project_leader", "other", "updated_at"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Berattelse)
class BerattelseAdmin(admin.ModelAdmin):
    list_display = ["year", "nuts_omrade", "updated_at"]
    list_filter = ["year", "nuts_omrade"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Rapportversion)
class RapportversionAdmin(admin.ModelAdmin):
    """Read-only: versions are made by compiling and approved in the app, never edited."""

    list_display = ["__str__", "status", "approved_at", "attempts", "created_at"]
    list_filter = ["year", "edition", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
