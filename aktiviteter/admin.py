from django.contrib import admin
from django.db import models
from django.db.models import F

from historik.admin import AuditedAdmin, SafeTabularInline

from .models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt


class RegisterAdmin(AuditedAdmin):
    """The register's rows carry a version for the app's optimistic locking: a change made
    in admin bumps it, so someone editing the same row in the app gets a conflict instead
    of silently overwriting the admin's correction."""

    exclude = ["version"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.refresh_from_db(fields=["version"])


@admin.register(Aktor)
class AktorAdmin(RegisterAdmin):
    list_display = ["name", "typ", "nuts_omrade", "lan"]
    list_filter = ["typ", "nuts_omrade"]
    search_fields = ["name"]
    # A web address typed without a scheme is https, as in the app's own form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ForumPlatsInline(SafeTabularInline):
    model = ForumPlats
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Forum)
class ForumAdmin(RegisterAdmin):
    list_display = ["name", "typ", "nuts_omrade", "union_initiated", "active_from", "active_to"]
    list_filter = ["typ", "nuts_omrade", "union_initiated"]
    search_fields = ["name"]
    autocomplete_fields = ["aktorer"]
    inlines = [ForumPlatsInline]


@admin.register(Strukturfondsprojekt)
class StrukturfondsprojektAdmin(RegisterAdmin):
    list_display = ["name", "fund", "owner", "union_role", "start", "end"]
    list_filter = ["fund", "union_role", "omraden"]
    search_fields = ["name", "programme"]
    autocomplete_fields = ["owner", "partners", "avdelningar", "arbetsplatser"]
    filter_horizontal = ["omraden"]


@admin.register(Aktivitet)
class AktivitetAdmin(AuditedAdmin):
    """Read-only here: activities are logged and changed in the app, through the services
    that check the rules and record history. Admins may delete (e.g. a GDPR request); the
    deletion, one by one or in bulk, lands in the audit trail with the row's last values."""

    list_display = ["date", "title", "typ", "niva", "nuts_omrade", "created_by"]
    list_filter = ["typ", "niva", "nuts_omrade", "verksamhetsmal"]
    search_fields = ["title", "notes"]
    date_hierarchy = "date"
    list_select_related = ["nuts_omrade", "created_by"]
    # The lock counter is machinery, not a fact about the activity (inherited fields would
    # otherwise come first on the read-only page).
    exclude = ["version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
