from django.contrib import admin

from .models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt


@admin.register(Aktor)
class AktorAdmin(admin.ModelAdmin):
    list_display = ["name", "typ", "nuts_omrade", "lan"]
    list_filter = ["typ", "nuts_omrade"]
    search_fields = ["name"]
    exclude = ["version"]


class ForumPlatsInline(admin.TabularInline):
    model = ForumPlats
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "typ", "nuts_omrade", "union_initiated", "active_from", "active_to"]
    list_filter = ["typ", "nuts_omrade", "union_initiated"]
    search_fields = ["name"]
    autocomplete_fields = ["aktorer"]
    inlines = [ForumPlatsInline]
    exclude = ["version"]


@admin.register(Strukturfondsprojekt)
class StrukturfondsprojektAdmin(admin.ModelAdmin):
    list_display = ["name", "fund", "owner", "union_role", "start", "end"]
    list_filter = ["fund", "union_role", "omraden"]
    search_fields = ["name", "programme"]
    autocomplete_fields = ["owner", "partners", "avdelningar", "arbetsplatser"]
    filter_horizontal = ["omraden"]
    exclude = ["version"]


@admin.register(Aktivitet)
class AktivitetAdmin(admin.ModelAdmin):
    """Read-only here: activities are logged and changed in the app, through the services
    that check the rules and record history. Admins may delete (e.g. a GDPR request)."""

    list_display = ["date", "title", "typ", "nuts_omrade", "created_by"]
    list_filter = ["typ", "nuts_omrade", "verksamhetsmal"]
    search_fields = ["title", "notes"]
    date_hierarchy = "date"
    list_select_related = ["nuts_omrade", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
