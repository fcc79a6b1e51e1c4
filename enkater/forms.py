"""Forms: the questionnaire, its sections and questions (plain formsets), sending it, and
the answer form built from the question definitions."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory

from avdelningar.models import Avdelning, NutsOmrade

from .models import SCALE, Avsnitt, Enkat, Fraga


class EnkatForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enkat
        fields = ["title", "year", "intro", "deadline"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = "Kan inte ändras när enkäten är utskickad."


class AvsnittForm(forms.ModelForm):
    class Meta:
        model = Avsnitt
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class FragaForm(forms.ModelForm):
    class Meta:
        model = Fraga
        fields = [
            "text",
            "help_text",
            "kind",
            "required",
            "choices",
            "min_value",
            "max_value",
            "order",
        ]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [o.strip() for o in (data.get("choices") or "").splitlines() if o.strip()]
        if kind in Fraga.CHOICE_KINDS:
            if len(options) < 2:
                self.add_error("choices", "Ange minst två svarsalternativ, ett per rad.")
            elif len(set(options)) != len(options):
                self.add_error("choices", "Samma svarsalternativ står två gånger.")
            data["choices"] = "\n".join(options)
        else:
            data["choices"] = ""
        if kind != Fraga.Kind.NUMBER:
            data["min_value"] = data["max_value"] = None
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "Högsta tal kan inte vara mindre än lägsta tal.")
        return data


AvsnittFormSet = inlineformset_factory(
    Enkat, Avsnitt, form=AvsnittForm, extra=1, can_delete=True, max_num=30, validate_max=True
)
FragaFormSet = inlineformset_factory(
    Avsnitt, Fraga, form=FragaForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    recipients = forms.ChoiceField(
        label="Mottagare",
        choices=Enkat.Mottagare.choices,
        widget=forms.RadioSelect,
        initial=Enkat.Mottagare.BOARDS,
        help_text="Styrelser: ett svar per avdelning. Samordnare: ett svar per område.",
    )
    avdelningar = forms.ModelMultipleChoiceField(
        label="Avdelningar",
        queryset=Avdelning.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Områden",
        queryset=NutsOmrade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, avdelningar, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avdelningar"].queryset = avdelningar
        self.fields["areas"].queryset = areas

    def clean(self):
        data = super().clean()
        if data.get("recipients") == Enkat.Mottagare.BOARDS and not data.get("avdelningar"):
            self.add_error("avdelningar", "Välj minst en avdelning.")
        if data.get("recipients") == Enkat.Mottagare.COORDINATORS and not data.get("areas"):
            self.add_error("areas", "Välj minst ett område.")
        return data


def field_name(fraga):
    return f"fraga_{fraga.pk}"


CHOICE_ERROR = "Välj bland frågans svarsalternativ."


def answer_field(fraga, *, required):
    """The form field for one question; ``required`` only when the answer is submitted
    (a draft may leave questions empty but must still hold valid values)."""
    common = {"label": fraga.text, "help_text": fraga.help_text, "required": required}
    if fraga.kind == Fraga.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in SCALE],
            coerce=Decimal,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Välj ett värde från 1 till 5."},
            **common,
        )
    if fraga.kind == Fraga.Kind.SINGLE:
        return forms.ChoiceField(
            choices=[(o, o) for o in fraga.options()],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": CHOICE_ERROR},
            **common,
        )
    if fraga.kind == Fraga.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in fraga.options()],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": CHOICE_ERROR},
            **common,
        )
    if fraga.kind == Fraga.Kind.NUMBER:
        return forms.DecimalField(
            min_value=fraga.min_value,
            max_value=fraga.max_value,
            max_digits=12,
            decimal_places=2,
            localize=True,
            error_messages={"invalid": "Ange ett tal, till exempel 12 eller 3,5."},
            **common,
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)


def initial_value(fraga, value):
    if value is None:
        return None
    if fraga.kind == Fraga.Kind.SCALE:
        return int(value.number) if value.number is not None else None
    if fraga.kind == Fraga.Kind.NUMBER:
        n = value.number  # 38, not 38,00
        return int(n) if n is not None and n == n.to_integral_value() else n
    if fraga.kind == Fraga.Kind.MULTIPLE:
        return value.chosen
    return value.text


class SvarForm(forms.Form):
    """The answer form, a field per question, grouped by section (``sections``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, fragor, values, version, submitting=False, disabled=False, **kw):
        super().__init__(*args, **kw)
        self.fragor = list(fragor)
        self.fields["version"].initial = version
        for f in self.fragor:
            field = answer_field(f, required=submitting and f.required and not disabled)
            field.initial = initial_value(f, values.get(f.pk))
            field.disabled = disabled
            field.inline = f.kind == Fraga.Kind.SCALE  # 1 to 5 side by side
            choice = f.kind in (Fraga.Kind.SCALE, Fraga.Kind.SINGLE, Fraga.Kind.MULTIPLE)
            field.widget.attrs["class"] = "form-check-input" if choice else "form-control"
            if f.help_text and not choice:
                field.widget.attrs["aria-describedby"] = f"id_{field_name(f)}_hjalp"
            if f.required:
                field.label = f"{f.text} (obligatorisk)"
            self.fields[field_name(f)] = field

    def sections(self):
        """[(section, [bound field, ...])] in order."""
        out = []
        for f in self.fragor:
            if not out or out[-1][0].pk != f.avsnitt_id:
                out.append((f.avsnitt, []))
            out[-1][1].append(self[field_name(f)])
        return out

    def values(self):
        return {f.pk: self.cleaned_data.get(field_name(f)) for f in self.fragor}
