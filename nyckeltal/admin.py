"""Key figures in admin: a correction is recorded in the audit trail (AuditedAdmin) and bumps
the row's version, so someone with the year's form open in the app gets a conflict instead
of overwriting it. Figures are entered in the app (nyckeltal.services), not added here."""

from django.contrib import admin
from django.db.models import F

from historik.admin import AuditedAdmin

from .models import Nyckeltal


@admin.register(Nyckeltal)
class NyckeltalAdmin(AuditedAdmin):
    list_display = ["avdelning", "year", "workplaces_change_started", "updated_at"]
    list_filter = ["year", "avdelning__nuts_omrade"]
    search_fields = ["avdelning__name"]
    readonly_fields = ["avdelning", "year", "version", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.refresh_from_db(fields=["version"])
