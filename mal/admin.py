"""Reference data and the few rows kept in admin. Every change is recorded in the audit
trail with its field diff (AuditedAdmin); commitments and follow-ups are changed only in
the app, through mal.services, which record their own history."""

from django.contrib import admin

from historik.admin import AuditedAdmin, SafeTabularInline

from .models import (
    Indikator,
    Mognadsriktlinje,
    Periodoppning,
    Projektmal,
    Uppfoljningsperiod,
    Verksamhetsmal,
)


class VerksamhetsmalInline(SafeTabularInline):
    model = Verksamhetsmal
    extra = 0
    fields = ["number", "title"]
    readonly_fields = ["number", "title"]
    can_delete = False


@admin.register(Projektmal)
class ProjektmalAdmin(AuditedAdmin):
    list_display = ["number", "title", "heading"]
    readonly_fields = ["number", "title"]
    inlines = [VerksamhetsmalInline]

    def has_add_permission(self, request):
        return False  # fixed reference data

    def has_delete_permission(self, request, obj=None):
        return False


class IndikatorInline(SafeTabularInline):
    model = Indikator
    extra = 0


@admin.register(Verksamhetsmal)
class VerksamhetsmalAdmin(AuditedAdmin):
    list_display = ["number", "title", "projektmal"]
    list_filter = ["projektmal"]
    search_fields = ["title", "summary"]
    # Titles are the union's own names; only the descriptions are edited here.
    readonly_fields = ["number", "title", "projektmal"]
    inlines = [IndikatorInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indikator)
class IndikatorAdmin(AuditedAdmin):
    list_display = ["name", "unit", "verksamhetsmal", "split_by_gender", "is_active"]
    list_filter = ["verksamhetsmal", "split_by_gender", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["verksamhetsmal"]


@admin.register(Uppfoljningsperiod)
class UppfoljningsperiodAdmin(AuditedAdmin):
    list_display = ["year", "kind", "closes_on"]
    list_filter = ["kind"]


@admin.register(Mognadsriktlinje)
class MognadsriktlinjeAdmin(AuditedAdmin):
    list_display = ["maturity", "projektmal", "min_commitments"]


@admin.register(Periodoppning)
class PeriodoppningAdmin(AuditedAdmin):
    list_display = ["period", "avdelning", "open_until", "created_by"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
