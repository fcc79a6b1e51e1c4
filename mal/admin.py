from django.contrib import admin

from .models import Indikator, Projektmal, Verksamhetsmal


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
