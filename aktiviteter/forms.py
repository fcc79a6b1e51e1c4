import functools
import re
import secrets

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from avdelningar.models import Arbetsplats, Avdelning, NutsOmrade
from mal.models import Verksamhetsmal

from . import listcache
from .models import NOTES_MAX, Aktivitet, Aktor, Forum, Kontaktperson, Strukturfondsprojekt


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AvdelningChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.nuts_omrade.code})"


class ArbetsplatsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.avdelning.name})"


class ArbetsplatsSelect(forms.SelectMultiple):
    """Each option names its department (data-avdelning), so the page can offer only the
    workplaces of the departments chosen; the services refuse any other."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-avdelning"] = str(instance.avdelning_id)
        return option


class NyAktorForm(forms.Form):
    """One new actor typed in the activity form: the name and its type."""

    new_aktor_name = forms.CharField(label="Ny aktör: namn", required=False, max_length=160)
    new_aktor_typ = forms.ChoiceField(
        label="Ny aktör: typ",
        required=False,
        choices=[("", "–")] + list(Aktor.Typ.choices),
    )

    def __init__(self, *args, number=1, **kwargs):
        # Every row posts the same two names (the browser sends them in order); the ids
        # and labels are numbered from the second row on.
        suffix = f"_{number}" if number > 1 else ""
        super().__init__(*args, auto_id=f"id_%s{suffix}", **kwargs)
        self.number = number
        if number > 1:
            self.fields["new_aktor_name"].label = f"Ny aktör {number}: namn"
            self.fields["new_aktor_typ"].label = f"Ny aktör {number}: typ"

    def clean(self):
        data = super().clean()
        if data.get("new_aktor_name") and not data.get("new_aktor_typ"):
            self.add_error("new_aktor_typ", "Välj vilken typ av aktör det är.")
        return data


NEW_AKTOR_ROWS = 3
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AktivitetForm(forms.ModelForm):
    """One screen for logging from a phone. A minimal activity: title, type, one goal."""

    verksamhetsmal = forms.ModelMultipleChoiceField(
        label="Verksamhetsmål",
        queryset=Verksamhetsmal.objects.all(),
        # The whole bordered label is the tap target; the box itself is enlarged too.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input mt-0 fs-4"}),
        error_messages={"required": "Välj minst ett verksamhetsmål."},
    )
    notes = forms.CharField(
        label="Anteckningar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTES_MAX,
        error_messages={
            "max_length": f"Anteckningarna får vara högst {NOTES_MAX} tecken "
            "(nu %(show_value)d). Korta ner texten eller dela upp den."
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new activity's one-time token (services.aktivitet_create): a second submit of the
    # same form leads to the activity the first one created.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Aktivitet
        fields = [
            "title",
            "typ",
            "date",
            "verksamhetsmal",
            "niva",
            "nuts_omrade",
            "avdelningar",
            "aktorer",
            "forum",
            "projekt",
            "arbetsplatser",
            "participants_women",
            "participants_men",
            "participants_other",
            "notes",
            "next_step",
            "next_step_due",
        ]
        widgets = {
            "niva": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "date": DateInput(),
            "next_step_due": DateInput(),
            "avdelningar": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "arbetsplatser": ArbetsplatsSelect(attrs={"size": 6, "data-arbetsplatser": ""}),
            "aktorer": forms.SelectMultiple(attrs={"size": 6, "data-autocomplete": "aktorer"}),
        }
        field_classes = {"avdelningar": AvdelningChoice, "arbetsplatser": ArbetsplatsChoice}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.new_aktor_forms = self._new_aktor_forms()
        f = self.fields
        f["typ"].choices = [("", "Välj typ …")] + list(Aktivitet.Typ.choices)
        for name in ("participants_women", "participants_men", "participants_other"):
            f[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
            f[name].error_messages["min_value"] = "Antalet kan inte vara negativt."
        self._niva_field(scope)
        if scope.is_project_leader:
            nuts = NutsOmrade.objects.filter(deltaganden__isnull=False).distinct()
            avd = Avdelning.objects.all()
        elif scope.is_coordinator:
            nuts = NutsOmrade.objects.filter(pk__in=scope.coordinated_nuts_ids)
            # A joint activity may involve departments of a neighbouring area.
            avd = Avdelning.objects.all()
        elif scope.logs_area_activities:
            nuts = NutsOmrade.objects.filter(pk__in=scope.own_nuts_ids)
            avd = Avdelning.objects.filter(pk__in=scope.avdelning_ids)
        else:
            # The working-life unit: national activities, for departments outside the
            # pilot (and those the activity already has, if the pilot has grown since).
            nuts = NutsOmrade.objects.none()
            year = self.instance.date.year if self.instance.pk else timezone.localdate().year
            current = list(self.instance.avdelningar.all()) if self.instance.pk else []
            avd = Avdelning.objects.filter(
                Q(pk__in=scope.national_avdelningar(year).values("pk"))
                | Q(pk__in=[a.pk for a in current])
            )
        f["nuts_omrade"].queryset = nuts
        # Required when every activity the user logs has an area (else checked in clean).
        f["nuts_omrade"].required = self.logs_area and not self.logs_national
        if not self.chooses_niva:
            f["nuts_omrade"].help_text = ""  # the model's "empty for national" is not theirs
        f["nuts_omrade"].empty_label = None if nuts.count() == 1 else "Välj område …"
        f["avdelningar"].queryset = avd.select_related("nuts_omrade").order_by(
            "nuts_omrade__code", "name"
        )
        f["arbetsplatser"].queryset = (
            Arbetsplats.objects.filter(avdelning__in=avd.values("pk"))
            .select_related("avdelning")
            .order_by("name")
        )
        f["arbetsplatser"].help_text = "Arbetsplatser hos de avdelningar du har valt."
        f["forum"].queryset = Forum.objects.filter(nuts_omrade__in=nuts.values("pk"))
        f["projekt"].queryset = (
            Strukturfondsprojekt.objects.filter(omraden__in=nuts.values("pk")).distinct()
            if scope.logs_area_activities
            # A national activity may be about any fund project.
            else Strukturfondsprojekt.objects.all()
        )
        f["aktorer"].required = False
        f["aktorer"].help_text = "Sök och välj; finns aktören inte, lägg till den nedan."
        f["date"].error_messages["invalid"] = "Ange ett datum som ÅÅÅÅ-MM-DD."
        if not self.instance.pk:
            f["date"].initial = timezone.localdate()
            if nuts.count() == 1:
                f["nuts_omrade"].initial = nuts.first()
            if not scope.is_coordinator and not scope.is_project_leader:
                f["avdelningar"].initial = list(scope.avdelning_ids)
            f["form_token"].initial = secrets.token_urlsafe(24)
        else:
            f["version"].initial = self.instance.version
        self.can_add_aktor = scope.adds_to_register

    def _niva_field(self, scope):
        """The level (an area, or national) offered as a choice only to those who may log
        both; for the others it follows from the role (set again in clean)."""
        field = self.fields["niva"]
        self.logs_area = scope.logs_area_activities
        self.logs_national = scope.logs_national_activities
        self.chooses_niva = self.logs_area and self.logs_national
        field.required = False
        field.label = "Nivå"
        field.choices = [
            (value, label)
            for value, label in [
                (Aktivitet.Niva.OMRADE, "I ett område"),
                (Aktivitet.Niva.NATIONELL, "Nationell (inget område)"),
            ]
            if (value == Aktivitet.Niva.OMRADE and self.logs_area)
            or (value == Aktivitet.Niva.NATIONELL and self.logs_national)
        ]
        field.help_text = (
            "En nationell aktivitet (tvärgruppsmöten, den nationella dialogen med "
            "Arbetsförmedlingen, arbetslivsenhetens stöd) räknas i projektets totalsumma men "
            "inte i något område."
        )
        if not self.instance.pk:
            field.initial = Aktivitet.Niva.OMRADE if self.logs_area else Aktivitet.Niva.NATIONELL

    @property
    def niva_value(self):
        """The level the form shows: posted, stored or initial."""
        value = self["niva"].value()
        return value or self.fields["niva"].initial

    def _new_aktor_forms(self):
        """The rows for new actors: as many as were posted, at least NEW_AKTOR_ROWS."""
        if self.is_bound and hasattr(self.data, "getlist"):
            names = self.data.getlist("new_aktor_name")
            typs = self.data.getlist("new_aktor_typ")
        elif self.is_bound:
            names = [self.data.get("new_aktor_name", "")]
            typs = [self.data.get("new_aktor_typ", "")]
        else:
            return [NyAktorForm(number=n) for n in range(1, NEW_AKTOR_ROWS + 1)]
        # A form posted by hand may hold hundreds of values; the page never posts more
        # rows than it shows.
        count = min(max(len(names), len(typs), NEW_AKTOR_ROWS), 20)
        names += [""] * (count - len(names))
        typs += [""] * (count - len(typs))
        return [
            NyAktorForm({"new_aktor_name": name, "new_aktor_typ": typ}, number=n)
            for n, (name, typ) in enumerate(zip(names, typs, strict=False), 1)
            if n <= count
        ]

    @property
    def more_new_aktorer_open(self):
        """Open "Fler nya aktörer" when one of its rows holds something."""
        return any(row.is_bound and any(row.data.values()) for row in self.new_aktor_forms[1:])

    def avdelning_choices(self):
        """(first, others, others_open): the department check boxes, the user's own area's
        first (a coordinator's area, a department user's departments; for the project
        leader the activity's area, or every department for a new one), the rest behind
        "Fler avdelningar", opened when one of them is chosen."""
        scope = self.scope
        if scope.is_coordinator:
            first_area = set(scope.coordinated_nuts_ids)
        elif scope.is_project_leader and self.instance.pk and self.instance.nuts_omrade_id:
            first_area = {self.instance.nuts_omrade_id}
        else:
            first_area = None
        areas = {a.pk: a.nuts_omrade_id for a in self.fields["avdelningar"].queryset}
        first, others = [], []
        for cb in self["avdelningar"]:
            area = areas.get(cb.data["value"].value if cb.data["value"] else None)
            (first if first_area is None or area in first_area else others).append(cb)
        others_open = any(cb.data["selected"] for cb in others)
        return first, others, others_open

    def clean(self):
        data = super().clean()
        if not self.chooses_niva:
            data["niva"] = Aktivitet.Niva.OMRADE if self.logs_area else Aktivitet.Niva.NATIONELL
        elif not data.get("niva"):
            data["niva"] = Aktivitet.Niva.OMRADE
        if data["niva"] == Aktivitet.Niva.NATIONELL and data.get("nuts_omrade"):
            self.add_error("nuts_omrade", "En nationell aktivitet har inget NUTS-område.")
        elif (
            self.chooses_niva
            and data["niva"] == Aktivitet.Niva.OMRADE
            and not data.get("nuts_omrade")
            and "nuts_omrade" not in self.errors
        ):
            # Required only at level "area" (the field itself is not, for "national").
            self.add_error("nuts_omrade", self.fields["nuts_omrade"].error_messages["required"])
        token = data.get("form_token") or ""
        if token and not TOKEN_RE.fullmatch(token):
            # A non-field error: a hidden field's own errors are not shown.
            self.add_error(None, "Formuläret är trasigt; ladda om sidan och försök igen.")
        rows = self.new_aktor_forms
        if not all(row.is_valid() for row in rows):
            self.add_error(None, "Kontrollera de nya aktörerna.")
        names = {}
        for row in rows:
            name = " ".join((getattr(row, "cleaned_data", {}).get("new_aktor_name") or "").split())
            if name:
                names.setdefault(name.lower(), (name, row.cleaned_data.get("new_aktor_typ")))
        data["new_aktorer"] = list(names.values())
        if names and not self.can_add_aktor:
            self.add_error(
                None,
                "Bara samordnare kan lägga till aktörer; be din samordnare lägga till den.",
            )
        return data


class FilterForm(forms.Form):
    SORTS = [
        ("-date", "Senaste först"),
        ("date", "Äldsta först"),
        ("title", "Rubrik A–Ö"),
        ("-title", "Rubrik Ö–A"),
    ]
    q = forms.CharField(label="Sök i rubrik och anteckningar", required=False, max_length=200)
    omrade = forms.ModelChoiceField(
        label="Område", queryset=NutsOmrade.objects.none(), required=False
    )
    # "Nationellt": the national activities (no area), shown apart from the areas'.
    niva = forms.ChoiceField(
        label="Nivå",
        choices=[("", "Alla"), ("omrade", "Områden"), ("nationell", "Nationellt")],
        required=False,
    )
    avdelning = forms.ModelChoiceField(
        label="Avdelning", queryset=Avdelning.objects.none(), required=False
    )
    mal = forms.ModelChoiceField(
        label="Verksamhetsmål",
        # Only what the option shows (number and title), not the long descriptions.
        queryset=Verksamhetsmal.objects.only("number", "title"),
        required=False,
        to_field_name="number",
    )
    typ = forms.ChoiceField(
        label="Typ", choices=[("", "Alla")] + list(Aktivitet.Typ.choices), required=False
    )
    aktor = forms.ModelChoiceField(
        label="Aktör", queryset=Aktor.objects.only("name"), required=False
    )
    forum = forms.ModelChoiceField(
        label="Forum", queryset=Forum.objects.only("name"), required=False
    )
    projekt = forms.ModelChoiceField(
        label="Strukturfondsprojekt",
        queryset=Strukturfondsprojekt.objects.only("name"),
        required=False,
    )
    fran = forms.DateField(label="Från", required=False, widget=DateInput())
    till = forms.DateField(label="Till", required=False, widget=DateInput())
    sort = forms.ChoiceField(label="Sortering", choices=SORTS, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omrade"].queryset = (
            scope.visible_nuts()
            .filter(Q(deltaganden__isnull=False) | Q(pk__in=scope.coordinated_nuts_ids))
            .distinct()
        )
        self.fields["avdelning"].queryset = scope.visible_avdelningar()
        for name in ("omrade", "avdelning", "mal", "aktor", "forum", "projekt"):
            self.fields[name].empty_label = "Alla"
        self._stamp = None

    # --- rendering ---------------------------------------------------------------------
    # The filters are written here rather than through crispy and Django's widget
    # templates: a template per field and per option cost 30-60 ms on every list page,
    # and the actor, forum and project selects hold 2,500 options (make bench, docs/performance.md).
    # The markup is crispy's Bootstrap 5 markup for the same fields.

    def _options(self, name):
        """[(value, label)] of a select as its field gives them; None for the register
        selects, which come whole from the cache."""
        field = self.fields[name]
        if name in listcache.REGISTER:
            return None  # written from the cache, see _register_options
        if isinstance(field, forms.ModelChoiceField):
            return [("", field.empty_label)] + [
                (str(field.prepare_value(obj)), field.label_from_instance(obj))
                for obj in field.queryset
            ]
        return [(str(v), label) for v, label in field.choices]

    @property
    def stamp(self):
        """The list cache's stamp of the data (aktiviteter.listcache), one query a request."""
        if self._stamp is None:
            self._stamp = listcache.stamp()
        return self._stamp

    def _register_options(self, kind):
        """Every actor, forum or project as <option>s, from the cache while the register is
        unchanged."""
        return '<option value="">Alla</option>' + listcache.register_options(kind, self.stamp)

    def _field_html(self, bf):
        errors = bf.errors
        attrs = {"id": bf.auto_id}
        if errors:
            attrs.update({"aria-invalid": "true", "aria-describedby": f"{bf.auto_id}_error"})
        invalid = " is-invalid" if errors else ""
        value = bf.value()
        if isinstance(bf.field.widget, forms.Select):
            chosen = "" if value is None else str(value)
            options = self._options(bf.name)
            if options is None:
                html = self._register_options(bf.name)
                # Values were escaped into the HTML; only an exact option matches.
                tag = f'<option value="{escape(chosen)}">'
                html = mark_safe(html.replace(tag, f"{tag[:-1]} selected>", 1))  # noqa: S308
            else:
                html = format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    ((v, " selected" if v == chosen else "", label) for v, label in options),
                )
            widget = format_html(
                '<select name="{}" class="select form-select{}"{}>{}</select>',
                bf.html_name,
                invalid,
                flatatt(attrs),
                html,
            )
        else:
            value = bf.field.widget.format_value(value)
            widget = format_html(
                '<input type="{}" name="{}"{} class="{}input form-control{}"{}>',
                bf.field.widget.input_type,
                bf.html_name,
                format_html(' value="{}"', value) if value not in (None, "") else "",
                bf.field.widget.input_type if bf.field.widget.input_type == "date" else "text",
                invalid,
                flatatt(attrs),
            )
        feedback = ""
        if errors:
            feedback = format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                bf.auto_id,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((n, bf.auto_id, e) for n, e in enumerate(errors, 1)),
                ),
            )
        return format_html(
            '<div class="col-6 col-md-4 col-lg-3"><div id="div_{}" class="mb-3">'
            '<label for="{}" class="form-label">{}</label>{}{}</div></div>',
            bf.auto_id,
            bf.auto_id,
            bf.label,
            widget,
            feedback,
        )

    def filter_fields_html(self):
        """Every filter but the search box, as Bootstrap columns."""
        html = "".join(self._field_html(self[name]) for name in self.fields if name != "q")
        return mark_safe(html)  # noqa: S308 (each part built with format_html)

    def filter(self, qs):
        """qs narrowed by the valid filters (an invalid one is shown as an error, not used)."""
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        if d.get("omrade"):
            qs = qs.involving_nuts([d["omrade"].pk])
        if d.get("niva") == Aktivitet.Niva.NATIONELL:
            qs = qs.national()
        elif d.get("niva") == Aktivitet.Niva.OMRADE:
            qs = qs.in_areas()
        if d.get("avdelning"):
            qs = qs.filter(pk__in=Aktivitet.objects.filter(avdelningar=d["avdelning"]).values("pk"))
        if d.get("mal"):
            qs = qs.filter(pk__in=Aktivitet.objects.filter(verksamhetsmal=d["mal"]).values("pk"))
        if d.get("typ"):
            qs = qs.filter(typ=d["typ"])
        if d.get("aktor"):
            qs = qs.filter(pk__in=Aktivitet.objects.filter(aktorer=d["aktor"]).values("pk"))
        if d.get("forum"):
            qs = qs.filter(forum=d["forum"])
        if d.get("projekt"):
            qs = qs.filter(projekt=d["projekt"])
        if d.get("fran"):
            qs = qs.filter(date__gte=d["fran"])
        if d.get("till"):
            qs = qs.filter(date__lte=d["till"])
        if d.get("q"):
            qs = qs.search(d["q"])
        return qs

    @property
    def sort_order(self):
        value = getattr(self, "cleaned_data", {}).get("sort")
        return value or "-date"


class ImportForm(forms.Form):
    file = forms.FileField(label="Fil (.xlsx eller .csv enligt mallen)")


class RegisterForm(forms.ModelForm):
    """Shared by the register's forms: a version for optimistic locking, and areas limited
    to those the user may edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area_fields = ()

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        editable = NutsOmrade.objects.all()
        if not scope.is_project_leader:
            editable = editable.filter(pk__in=scope.coordinated_nuts_ids)
        for name in self.area_fields:
            current = []
            if self.instance.pk:
                value = getattr(self.instance, name)
                current = (
                    [o.pk for o in value.all()]
                    if hasattr(value, "all")
                    else [getattr(value, "pk", None)]
                )
            # Keep the areas the row already has (a joint project stays joint when a
            # coordinator of one of its areas edits it).
            self.fields[name].queryset = NutsOmrade.objects.filter(
                Q(pk__in=editable.values("pk")) | Q(pk__in=[c for c in current if c])
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DateInput()


class AktorForm(RegisterForm):
    area_fields = ("nuts_omrade",)

    class Meta:
        model = Aktor
        fields = ["name", "typ", "nuts_omrade", "lan", "address", "phone", "web"]
        field_classes = {"web": functools.partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, scope=scope, **kwargs)
        # Only the project leader keeps national actors (without an area).
        self.fields["nuts_omrade"].required = not scope.is_project_leader


class ForumForm(RegisterForm):
    area_fields = ("nuts_omrade",)

    class Meta:
        model = Forum
        fields = [
            "name",
            "typ",
            "nuts_omrade",
            "aktorer",
            "union_initiated",
            "active_from",
            "active_to",
        ]
        widgets = {"aktorer": forms.SelectMultiple(attrs={"size": 8})}


class ProjektForm(RegisterForm):
    area_fields = ("omraden",)

    class Meta:
        model = Strukturfondsprojekt
        fields = [
            "name",
            "fund",
            "programme",
            "owner",
            "partners",
            "union_role",
            "budget_sek",
            "start",
            "end",
            "omraden",
            "avdelningar",
            "participants_women",
            "participants_men",
        ]
        widgets = {
            "partners": forms.SelectMultiple(attrs={"size": 8}),
            "omraden": forms.CheckboxSelectMultiple,
            "avdelningar": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"avdelningar": AvdelningChoice}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, scope=scope, **kwargs)
        # The departments the user may link (access.py), and those the project already
        # has (a joint project keeps the other area's departments when one area edits it).
        current = list(self.instance.avdelningar.all()) if self.instance.pk else []
        field = self.fields["avdelningar"]
        field.queryset = (
            Avdelning.objects.filter(
                Q(pk__in=scope.linkable_avdelningar().values("pk"))
                | Q(pk__in=[a.pk for a in current])
            )
            .select_related("nuts_omrade")
            .order_by("nuts_omrade__code", "name")
        )
        field.error_messages["invalid_choice"] = (
            "Du kan bara koppla avdelningar i ditt eget område till projektet."
        )


class KontaktpersonForm(forms.ModelForm):
    """A contact person at an actor: only what the work needs."""

    HELP = (
        "Bara det arbetet kräver: namn, titel eller roll, e-post och telefon i tjänsten. "
        "Skriv aldrig in politiska åsikter, partitillhörighet eller medlemskap i facket; "
        "det är känsliga personuppgifter. Kontaktpersoner som inte har kontaktats på "
        "{years} år tas bort automatiskt."
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Kontaktperson
        fields = ["name", "title", "email", "phone", "last_contact", "nuts_omrade"]

    def __init__(self, *args, aktor, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if aktor.typ == Aktor.Typ.PARTI:
            self.fields["title"].help_text = (
                "Vid ett politiskt parti: bara personens offentliga uppdrag (t.ex. regionråd), "
                "aldrig åsikter."
            )
        self.fields["name"].error_messages["required"] = "Ange kontaktpersonens namn."
        self.fields["last_contact"].widget = DateInput()
        self.fields["last_contact"].required = False
        self.fields[
            "last_contact"
        ].help_text = "Datum då du senast hade kontakt med personen (tomt: i dag)."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        # An area to keep the contact in only for a national actor, and only among the
        # user's own areas (the project leader may leave it empty: a national contact).
        areas = NutsOmrade.objects.all()
        if not scope.is_project_leader:
            areas = areas.filter(pk__in=scope.coordinated_nuts_ids)
        if aktor.nuts_omrade_id is not None or (
            not scope.is_project_leader and len(scope.coordinated_nuts_ids) <= 1
        ):
            del self.fields["nuts_omrade"]
        else:
            field = self.fields["nuts_omrade"]
            field.queryset = areas
            field.required = not scope.is_project_leader
            field.help_text = "Det område vars samordnare har kontakten (aktören är nationell)."

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError("Ange kontaktpersonens namn.")
        return name

    def clean_last_contact(self):
        day = self.cleaned_data.get("last_contact")
        if day and day > timezone.localdate():
            raise forms.ValidationError("Senaste kontakt kan inte ligga i framtiden.")
        return day or timezone.localdate()
