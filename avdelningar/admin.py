import json

from django.contrib import admin, messages
from django.http import HttpResponse

from historik.admin import AuditedAdmin, SafeTabularInline
from regionalsamverkan.exports import xlsx_response

from . import services
from .models import (
    AfRegion,
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Lan,
    Medlemsantal,
    NutsOmrade,
    Person,
    Uppdrag,
)


class LanInline(SafeTabularInline):
    model = Lan
    extra = 0
    fields = ["code", "name", "region_name", "af_region"]


class DeltagandeInline(SafeTabularInline):
    model = Deltagande
    extra = 0
    autocomplete_fields = ["samordnare"]


@admin.register(NutsOmrade)
class NutsOmradeAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [LanInline, DeltagandeInline]


@admin.register(AfRegion)
class AfRegionAdmin(AuditedAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Lan)
class LanAdmin(AuditedAdmin):
    list_display = ["code", "name", "region_name", "nuts_omrade", "af_region"]
    list_filter = ["nuts_omrade", "af_region"]
    search_fields = ["code", "name", "region_name"]
    autocomplete_fields = ["nuts_omrade", "af_region"]


@admin.register(Deltagande)
class DeltagandeAdmin(AuditedAdmin):
    list_display = ["nuts_omrade", "joined_on", "left_on", "samordnare"]
    list_filter = ["nuts_omrade"]
    autocomplete_fields = ["nuts_omrade", "samordnare"]


class MedlemsantalInline(SafeTabularInline):
    model = Medlemsantal
    extra = 0


class ArbetsplatsInline(SafeTabularInline):
    model = Arbetsplats
    extra = 0


@admin.register(Avdelning)
class AvdelningAdmin(AuditedAdmin):
    list_display = ["name", "number", "nuts_omrade", "is_example"]
    list_filter = ["nuts_omrade", "is_example", "lan"]
    search_fields = ["name", "number"]
    autocomplete_fields = ["nuts_omrade", "lan"]
    inlines = [MedlemsantalInline, ArbetsplatsInline]


@admin.register(Medlemsantal)
class MedlemsantalAdmin(AuditedAdmin):
    list_display = ["avdelning", "year", "active_members"]
    list_filter = ["year", "avdelning__nuts_omrade"]
    search_fields = ["avdelning__name"]
    autocomplete_fields = ["avdelning"]


@admin.register(Arbetsplats)
class ArbetsplatsAdmin(AuditedAdmin):
    list_display = ["name", "municipality", "avdelning", "employees"]
    list_filter = ["avdelning__nuts_omrade", "avdelning"]
    search_fields = ["name", "municipality", "avdelning__name"]
    autocomplete_fields = ["avdelning"]


@admin.register(Klubb)
class KlubbAdmin(AuditedAdmin):
    list_display = ["name", "avdelning", "arbetsplats"]
    list_filter = ["avdelning"]
    search_fields = ["name", "avdelning__name"]
    autocomplete_fields = ["avdelning", "arbetsplats"]


class KommitteLedamotInline(SafeTabularInline):
    model = KommitteLedamot
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Kommitte)
class KommitteAdmin(AuditedAdmin):
    list_display = ["name", "typ", "avdelning", "nuts_omrade", "lan"]
    list_filter = ["typ", "nuts_omrade"]
    search_fields = ["name", "avdelning__name"]
    autocomplete_fields = ["avdelning", "nuts_omrade", "lan"]
    inlines = [KommitteLedamotInline]


class UppdragInline(SafeTabularInline):
    model = Uppdrag
    extra = 0
    autocomplete_fields = ["nuts_omrade", "avdelning"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    audit_views = True  # who opened a person's page
    list_display = ["name", "email", "phone", "user", "anonymized_at"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]
    inlines = [UppdragInline]
    actions = ["register_extract_json", "register_extract_xlsx", "anonymize"]

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Välj exakt en person.", messages.ERROR)
            return None
        return queryset.get()

    # Each action asks for its own permission: a staff user who may only look at people
    # (view_person) neither anonymises them nor reads their audit trail through an extract.
    def has_extract_register_permission(self, request):
        return request.user.has_perm("avdelningar.extract_register")

    def has_anonymize_permission(self, request):
        return request.user.has_perm("avdelningar.anonymize_person")

    @admin.action(
        description="Registerutdrag (JSON) för vald person", permissions=["extract_register"]
    )
    def register_extract_json(self, request, queryset):
        person = self._one(request, queryset)
        if person is None:
            return None
        data = services.person_register_extract(person=person, user=request.user, request=request)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="registerutdrag-{person.pk}.json"'
        return response

    @admin.action(
        description="Registerutdrag (Excel) för vald person", permissions=["extract_register"]
    )
    def register_extract_xlsx(self, request, queryset):
        person = self._one(request, queryset)
        if person is None:
            return None
        data = services.person_register_extract(person=person, user=request.user, request=request)
        sheets = []
        for title, section in data.items():
            rows = section if isinstance(section, list) else [section] if section else []
            header = list(rows[0]) if rows else ["(inget)"]
            values = [
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                    for v in r.values()
                ]
                for r in rows
            ]
            sheets.append((title, header, values))
        return xlsx_response(f"registerutdrag-{person.pk}", sheets)

    @admin.action(description="Anonymisera (personen har slutat)", permissions=["anonymize"])
    def anonymize(self, request, queryset):
        for person in queryset:
            services.person_anonymize(person=person, user=request.user, request=request)
        self.message_user(
            request,
            f"{queryset.count()} person(er) anonymiserade; uppdragen finns kvar som historik.",
            messages.SUCCESS,
        )


@admin.register(Uppdrag)
class UppdragAdmin(AuditedAdmin):
    list_display = ["person", "role", "nuts_omrade", "avdelning", "start", "end"]
    list_filter = ["role", "nuts_omrade"]
    search_fields = ["person__name", "avdelning__name"]
    autocomplete_fields = ["person", "nuts_omrade", "avdelning"]
    date_hierarchy = "start"
