from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator

from .models import Atagande, Indikator, Malvarde, Uppfoljning, Verksamhetsmal

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


class UppfoljningForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label="Läge", choices=Uppfoljning.Status.choices)
    comment = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets, utfall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        utfall = utfall or {}
        for m in targets:
            u = utfall.get(m.pk)
            label = f"{m.indicator_name} – utfall ({m.unit_label}, mål {m.target:g})"
            self.fields[f"actual_{m.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
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
                        initial=getattr(u, f"actual_{key}") if u else None,
                    )

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
