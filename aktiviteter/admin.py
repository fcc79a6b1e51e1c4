import json

from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponse

from filer.exports import xlsx_response
from historik.admin import AuditedAdmin, SafeTabularInline, VersionedAdmin

from . import services
from .models import Aktivitet, Aktor, Forum, ForumPlats, Kontaktperson, Strukturfondsprojekt


class RegisterAdmin(VersionedAdmin):
    """The register's rows: their version (the app's optimistic locking) is bumped by an
    admin change and not shown."""

    exclude = ["version"]


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


@admin.register(Kontaktperson)
class KontaktpersonAdmin(RegisterAdmin):
    """Contact persons are personal data: a register extract and anonymisation, each under
    the same permission as a Person's (avdelningar.extract_register, .anonymize_person)."""

    audit_views = True
    list_display = ["name", "title", "aktor", "nuts_omrade", "last_contact", "anonymized_at"]
    list_filter = ["nuts_omrade"]
    search_fields = ["name", "email", "aktor__name"]
    autocomplete_fields = ["aktor"]
    actions = ["register_extract_json", "register_extract_xlsx", "anonymize"]

    def has_extract_register_permission(self, request):
        return request.user.has_perm("avdelningar.extract_register")

    def has_anonymize_permission(self, request):
        return request.user.has_perm("avdelningar.anonymize_person")

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Välj exakt en kontaktperson.", messages.ERROR)
            return None
        return queryset.get()

    @admin.action(
        description="Registerutdrag (JSON) för vald kontaktperson",
        permissions=["extract_register"],
    )
    def register_extract_json(self, request, queryset):
        k = self._one(request, queryset)
        if k is None:
            return None
        data = services.kontaktperson_register_extract(
            kontaktperson=k, user=request.user, request=request
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="registerutdrag-kontakt-{k.pk}.json"'
        )
        return response

    @admin.action(
        description="Registerutdrag (Excel) för vald kontaktperson",
        permissions=["extract_register"],
    )
    def register_extract_xlsx(self, request, queryset):
        k = self._one(request, queryset)
        if k is None:
            return None
        data = services.kontaktperson_register_extract(
            kontaktperson=k, user=request.user, request=request
        )
        sheets = []
        for title, section in data.items():
            rows = section if isinstance(section, list) else [section]
            header = list(rows[0]) if rows else ["(inget)"]
            values = [
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                    for v in r.values()
                ]
                for r in rows
            ]
            sheets.append((title, header, values))
        return xlsx_response(f"registerutdrag-kontakt-{k.pk}", sheets)

    @admin.action(description="Anonymisera (personen har bett om det)", permissions=["anonymize"])
    def anonymize(self, request, queryset):
        for k in queryset:
            services.kontaktperson_anonymize(kontaktperson=k, user=request.user, request=request)
        self.message_user(
            request, f"{queryset.count()} kontaktperson(er) anonymiserade.", messages.SUCCESS
        )
