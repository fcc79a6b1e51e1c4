import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponse

from filer.exports import xlsx_response
from historik.admin import AuditedAdmin, SafeTabularInline, full_snapshot
from historik.models import Handelse
from historik.services import diff

from . import services
from .access import can_read_trail
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
    Projektbeslut,
    ProjektbeslutLank,
    Roll,
    Uppdrag,
)


class CoordinatorAssignment:
    """A participation names its coordinator; access follows assignments. Saving one whose
    coordinator holds no coordinator assignment for the area creates it, recorded, and
    says so (the coordinator would otherwise not see their own area)."""

    def ensure_samordnare_uppdrag(self, request, deltagande, *, added):
        if not deltagande.samordnare_uppdrag_missing():
            return
        uppdrag = deltagande.samordnare_uppdrag_new(added=added)
        uppdrag.full_clean()
        uppdrag.save()
        self._record(request, Handelse.Action.CREATE, uppdrag, diff({}, full_snapshot(uppdrag)))
        self.message_user(
            request,
            f"{deltagande.samordnare} fick uppdraget som regional samordnare för "
            f"{deltagande.nuts_omrade} från {uppdrag.start:%Y-%m-%d}.",
            messages.INFO,
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
class NutsOmradeAdmin(CoordinatorAssignment, AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [LanInline, DeltagandeInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Deltagande:
            for obj in formset.new_objects:
                self.ensure_samordnare_uppdrag(request, obj, added=True)
            for obj, _fields in formset.changed_objects:
                self.ensure_samordnare_uppdrag(request, obj, added=False)


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
class DeltagandeAdmin(CoordinatorAssignment, AuditedAdmin):
    list_display = ["nuts_omrade", "joined_on", "left_on", "samordnare"]
    list_filter = ["nuts_omrade"]
    autocomplete_fields = ["nuts_omrade", "samordnare"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.ensure_samordnare_uppdrag(request, obj, added=not change)


class MedlemsantalInline(SafeTabularInline):
    model = Medlemsantal
    extra = 0


class ArbetsplatsInline(SafeTabularInline):
    model = Arbetsplats
    extra = 0


class AvdelningForm(forms.ModelForm):
    class Meta:
        model = Avdelning
        fields = ["name", "number", "nuts_omrade", "lan", "is_example"]

    def clean(self):
        data = super().clean()
        nuts = data.get("nuts_omrade")
        outside = [lan for lan in data.get("lan") or [] if nuts and lan.nuts_omrade_id != nuts.pk]
        if outside:
            names = ", ".join(f"{lan} ({lan.nuts_omrade.code})" for lan in outside)
            self.add_error(
                "lan", f"Länen ska ligga i avdelningens NUTS-område {nuts}: {names} gör inte det."
            )
        return data


@admin.register(Avdelning)
class AvdelningAdmin(AuditedAdmin):
    form = AvdelningForm
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


class CurrentFilter(admin.SimpleListFilter):
    title = "aktuellt uppdrag"
    parameter_name = "aktuell"

    def lookups(self, request, model_admin):
        return [("ja", "Har ett aktuellt uppdrag"), ("nej", "Inget aktuellt uppdrag")]

    def queryset(self, request, queryset):
        current = Uppdrag.objects.current().values("person_id")
        if self.value() == "ja":
            return queryset.filter(pk__in=current)
        if self.value() == "nej":
            return queryset.exclude(pk__in=current)
        return queryset


class RoleFilter(admin.SimpleListFilter):
    title = "roll"
    parameter_name = "roll"

    def lookups(self, request, model_admin):
        return Roll.choices

    def queryset(self, request, queryset):
        if self.value() in Roll.values:
            return queryset.filter(
                pk__in=Uppdrag.objects.filter(role=self.value()).values("person_id")
            )
        return queryset


class AreaFilter(admin.SimpleListFilter):
    """An area's people: its coordinators and those with a department in it."""

    title = "NUTS-område"
    parameter_name = "omrade"

    def lookups(self, request, model_admin):
        return [(n.code, str(n)) for n in NutsOmrade.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        held = Uppdrag.objects.filter(
            Q(nuts_omrade__code=self.value()) | Q(avdelning__nuts_omrade__code=self.value())
        )
        return queryset.filter(pk__in=held.values("person_id"))


class DepartmentFilter(admin.SimpleListFilter):
    title = "avdelning"
    parameter_name = "avdelning"

    def lookups(self, request, model_admin):
        return [(str(a.pk), a.name) for a in Avdelning.objects.all()]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        held = Uppdrag.objects.filter(avdelning_id=self.value())
        return queryset.filter(pk__in=held.values("person_id"))


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    audit_views = True  # who opened a person's page
    list_display = ["name", "email", "phone", "user", "anonymized_at"]
    list_filter = [CurrentFilter, RoleFilter, AreaFilter, DepartmentFilter]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]
    inlines = [UppdragInline]
    actions = ["register_extract_json", "register_extract_xlsx", "anonymize"]

    def save_model(self, request, obj, form, change):
        # The person's name and e-mail are typed here once; the login gets a copy.
        super().save_model(request, obj, form, change)
        changed = obj.copy_to_login()
        if changed:
            self._record(request, Handelse.Action.UPDATE, obj.user, changed)

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


# The trail's admin is registered here, not in historik: who may read it is access.py's rule.
@admin.register(Handelse)
class HandelseAdmin(admin.ModelAdmin):
    """Read-only: the trail can be read by admins but never edited."""

    list_display = ["at", "username", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    # The same readers as the trail page: a staff account given "view" on this model by
    # mistake still cannot read it.
    def has_module_permission(self, request):
        return can_read_trail(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_read_trail(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The decision log (beslutslogg) ---------------------------------------------------------
# Decisions are recorded and edited in the app (/beslut/, by the project leader, through
# services.projektbeslut_record/_update, which check the date, the deciding body and the
# links). Admin shows them to admins, read-only, and lets nothing be added or deleted: a
# decision is part of the project's record.


class ProjektbeslutLankInline(SafeTabularInline):
    model = ProjektbeslutLank
    extra = 0
    fields = ["label", "url"]
    readonly_fields = ["label", "url"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Projektbeslut)
class ProjektbeslutAdmin(AuditedAdmin):
    list_display = ["decided_on", "body", "kind", "title", "nuts_omrade"]
    list_filter = ["body", "kind", "nuts_omrade"]
    search_fields = ["title", "description", "paragraph"]
    date_hierarchy = "decided_on"
    inlines = [ProjektbeslutLankInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
