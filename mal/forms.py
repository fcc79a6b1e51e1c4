from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from presentation.templatetags.tal import tal

from .models import (
    Atagande,
    Indikator,
    Malvarde,
    Mognadsriktlinje,
    Uppfoljning,
    Verksamhetsmal,
    gender_error,
)

NOT_NEGATIVE = MinValueValidator(Decimal(0), "Värdet kan inte vara negativt.")


class AtagandeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Atagande
        fields = [
            "verksamhetsmal",
            "title",
            "action_plan",
            "resources_sek",
            "resources_hours",
            "resources_people",
            "responsible",
        ]
        widgets = {"action_plan": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verksamhetsmal"].queryset = Verksamhetsmal.objects.order_by("number")
        self.fields["resources_sek"].validators.append(NOT_NEGATIVE)
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version


class MalvardeForm(forms.ModelForm):
    class Meta:
        model = Malvarde
        fields = [
            "indikator",
            "name",
            "unit",
            "split_by_gender",
            "baseline",
            "target",
            "target_women",
            "target_men",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indikator"].queryset = Indikator.objects.active().select_related(
            "verksamhetsmal"
        )
        self.fields["indikator"].label_from_instance = lambda i: (
            f"Mål {i.verksamhetsmal.number}: {i.name} ({i.unit})"
        )
        for name in ("baseline", "target", "target_women", "target_men"):
            self.fields[name].validators.append(NOT_NEGATIVE)


# New rows carry no "delete" box: an unsaved row left empty is simply not saved.
MalvardeFormSet = forms.inlineformset_factory(
    Atagande, Malvarde, form=MalvardeForm, extra=1, can_delete=True, can_delete_extra=False
)


class NoteForm(forms.Form):
    note = forms.CharField(label="Kommentar", widget=forms.Textarea(attrs={"rows": 2}))


CONTRADICTIONS = {
    Uppfoljning.Status.NOT_ACHIEVED: (
        lambda shares: all(s >= 1 for s in shares),
        "Alla målvärden är nådda (100 % eller mer), men läget är ”Ej uppnått”.",
    ),
    Uppfoljning.Status.ACHIEVED: (
        lambda shares: all(s == 0 for s in shares),
        "Utfallet är 0 %, men läget är ”Uppnått”.",
    ),
}


class UppfoljningForm(forms.Form):
    """The numbers first, then the status they add up to, then the comment; a status that
    contradicts the numbers is saved only once the user confirms it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label="Läge", choices=Uppfoljning.Status.choices)
    comment = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets, utfall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.warning = None
        utfall = utfall or {}
        for m in targets:
            u = utfall.get(m.pk)
            label = f"{m.indicator_name} – utfall ({m.unit_label}, mål {tal(m.target)})"
            self.fields[f"actual_{m.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                error_messages={"min_value": NOT_NEGATIVE.message},
                initial=u.actual if u else None,
            )
            if m.gender_split:
                for key, word in (("women", "kvinnor"), ("men", "män")):
                    self.fields[f"actual_{key}_{m.pk}"] = forms.DecimalField(
                        label=f"{m.indicator_name} – varav {word}",
                        required=False,
                        min_value=0,
                        max_digits=12,
                        decimal_places=2,
                        error_messages={"min_value": NOT_NEGATIVE.message},
                        initial=getattr(u, f"actual_{key}") if u else None,
                    )
        numbers = [name for name in self.fields if name.startswith("actual_")]
        self.order_fields([*numbers, "status", "comment", "version"])

    def clean(self):
        d = super().clean()
        shares = []
        for m in self.targets:
            actual = d.get(f"actual_{m.pk}")
            error = gender_error(actual, d.get(f"actual_women_{m.pk}"), d.get(f"actual_men_{m.pk}"))
            if error:
                self.add_error(f"actual_{m.pk}", error)
            if actual is not None and m.target:
                shares.append(actual / m.target)
        rule = CONTRADICTIONS.get(d.get("status"))
        if shares and rule and rule[0](shares):
            self.warning = rule[1]
            if not self.data.get("confirm"):
                # Shown only now, beside the warning: "the status is right all the same".
                self.fields["confirm"] = forms.BooleanField(
                    label="Läget stämmer ändå: spara det", required=False
                )
                raise forms.ValidationError(
                    f"{rule[1]} Ändra läget eller siffrorna, eller kryssa i rutan nedan "
                    "om läget ändå stämmer."
                )
        return d

    def values(self):
        d = self.cleaned_data
        return {
            m.pk: (
                d.get(f"actual_{m.pk}"),
                d.get(f"actual_women_{m.pk}"),
                d.get(f"actual_men_{m.pk}"),
            )
            for m in self.targets
        }


class BilagaForm(forms.Form):
    file = forms.FileField(label="Bilaga (pdf, docx, xlsx, png eller jpg, högst 5 MB)")


class ImportForm(forms.Form):
    file = forms.FileField(label="Ifylld mall (.xlsx)")


RiktlinjeFormSet = forms.modelformset_factory(
    Mognadsriktlinje, fields=["maturity", "projektmal", "min_commitments"], extra=3, can_delete=True
)
