"""Costs, narratives and report versions in admin. Every change lands in the audit trail
(AuditedAdmin); report versions are only looked at here."""

from django.contrib import admin

from historik.admin import AuditedAdmin, VersionedAdmin

from .models import Berattelse, Kostnad, Rapportversion


class ShownVersionAdmin(VersionedAdmin):
    """Costs and narratives show their version, last change and who made it (read-only)."""

    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Kostnad)
class KostnadAdmin(ShownVersionAdmin):
    list_display = ["year", "coordinators", "project_leader", "other", "updated_at"]


@admin.register(Berattelse)
class BerattelseAdmin(ShownVersionAdmin):
    list_display = ["year", "nuts_omrade", "updated_at"]
    list_filter = ["year", "nuts_omrade"]


@admin.register(Rapportversion)
class RapportversionAdmin(AuditedAdmin):
    """Read-only: versions are made by compiling and approved in the app, never edited.
    An unapproved version (a failed or superseded one) may be deleted, recorded with its
    last values, and its files go with it; an approved one is locked."""

    list_display = ["__str__", "status", "approved_at", "attempts", "created_at"]
    list_filter = ["year", "edition", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Also asked per object by the bulk action, which then refuses the whole selection.
        if obj is not None and obj.is_approved:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        obj.delete_files_on_commit()

    def delete_queryset(self, request, queryset):
        versions = list(queryset)
        super().delete_queryset(request, queryset)
        for version in versions:
            version.delete_files_on_commit()
