from django import forms
from django.utils import timezone

from . import services
from .models import Analysmote, Atgard, Lardom


class DateInput(forms.DateInput):
    input_type = "date"


class AnalysmoteForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    file = forms.FileField(
        label=f"Underlag som fil ({services.MATERIAL_LABEL})",
        required=False,
        help_text="En ny fil ersätter den som finns.",
    )
    remove_file = forms.BooleanField(label="Ta bort den uppladdade filen", required=False)

    class Meta:
        model = Analysmote
        fields = ["enkat", "summary"]
        labels = {"enkat": "Enkät som mötet analyserade", "summary": "Underlaget i text"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, has_file=False, enkater=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_file:
            del self.fields["remove_file"]
        # Only the questionnaires the meeting may analyse (services.enkater_for).
        self.fields["enkat"].queryset = enkater
        self.fields["enkat"].empty_label = "Ingen enkät"
        self.fields["enkat"].help_text = (
            "Utskickade enkäter från mötets år och året före; resultaten för området blir "
            "mötets underlag."
        )


class AtagandeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year} · mål {obj.verksamhetsmal.number} · {obj.owner_label}: {obj.title}"


class AtgardForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = Atgard
        fields = ["what", "person", "avdelning", "due", "status", "done_on", "ataganden"]
        widgets = {
            "due": DateInput(),
            "done_on": DateInput(),
            "ataganden": forms.CheckboxSelectMultiple,
        }
        field_classes = {"ataganden": AtagandeChoice}
        help_texts = {
            "person": "Välj en person eller en avdelning (eller ingen av dem).",
            "avdelning": "En avdelning: åtgärden visas för dess styrelse.",
            "done_on": "Fylls i med dagens datum om du lämnar det tomt för en klar åtgärd.",
        }

    def __init__(self, *args, aktivitet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = services.owner_personer(aktivitet)
        self.fields["avdelning"].queryset = services.owner_avdelningar(aktivitet).order_by("name")
        self.fields["ataganden"].queryset = services.linkable_ataganden(aktivitet)
        self.fields["ataganden"].required = False

    def clean(self):
        data = super().clean()
        if data.get("person") and data.get("avdelning"):
            self.add_error("avdelning", "Välj en person eller en avdelning, inte båda.")
        # A done action has the day it was done (today unless told); an open one none.
        if data.get("status") == Atgard.Status.DONE:
            data["done_on"] = data.get("done_on") or timezone.localdate()
        else:
            data["done_on"] = None
        self.instance.done_on = data["done_on"]
        return data

    def values(self):
        return {k: self.cleaned_data.get(k) for k in services.ATGARD_FIELDS}


class LardomForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Lardom
        fields = ["worked", "did_not_work", "to_spread"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in fields}
