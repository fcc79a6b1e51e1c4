"""Key figures in admin: a correction is recorded in the audit trail (AuditedAdmin) and bumps
the row's version, so someone with the year's form open in the app gets a conflict instead
of overwriting it. Figures are entered in the app (nyckeltal.services), not added here."""

from django.contrib import admin

from historik.admin import VersionedAdmin

from .models import Nyckeltal


@admin.register(Nyckeltal)
class NyckeltalAdmin(VersionedAdmin):
    list_display = ["avdelning", "year", "workplaces_change_started", "updated_at"]
    list_filter = ["year", "avdelning__nuts_omrade"]
    search_fields = ["avdelning__name"]
    readonly_fields = ["avdelning", "year", "version", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False
