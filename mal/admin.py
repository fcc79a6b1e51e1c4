from django.contrib import admin

from .models import (
    Indikator,
    Mognadsriktlinje,
    Periodoppning,
    Projektmal,
    Uppfoljningsperiod,
    Verksamhetsmal,
)


class VerksamhetsmalInline(admin.TabularInline):
    model = Verksamhetsmal
    extra = 0
    fields = ["number", "title"]
    readonly_fields = ["number", "title"]
    can_delete = False


@admin.register(Projektmal)
class ProjektmalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "heading"]
    readonly_fields = ["number", "title"]
    inlines = [VerksamhetsmalInline]

    def has_add_permission(self, request):
        return False  # fixed reference data

    def has_delete_permission(self, request, obj=None):
        return False


class IndikatorInline(admin.TabularInline):
    model = Indikator
    extra = 0


@admin.register(Verksamhetsmal)
class VerksamhetsmalAdmin(admin.ModelAdmin):
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
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "verksamhetsmal", "split_by_gender", "is_active"]
    list_filter = ["verksamhetsmal", "split_by_gender", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["verksamhetsmal"]


@admin.register(Uppfoljningsperiod)
class UppfoljningsperiodAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "closes_on"]
    list_filter = ["kind"]


@admin.register(Mognadsriktlinje)
class MognadsriktlinjeAdmin(admin.ModelAdmin):
    list_display = ["maturity", "projektmal", "min_commitments"]


@admin.register(Periodoppning)
class PeriodoppningAdmin(admin.ModelAdmin):
    list_display = ["period", "avdelning", "open_until", "created_by"]
    readonly_fields = ["created_by"]
