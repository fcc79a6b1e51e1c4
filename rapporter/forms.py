from django import forms

from avdelningar.models import NutsOmrade

from .models import Rapportversion
from .services import years_message

# Far above any budget, far below the database column's limit (bigint).
MAX_KRONOR = 10**12


class KostnadForm(forms.Form):
    coordinators = forms.IntegerField(
        label="Regionala samordnare (kr)", min_value=0, max_value=MAX_KRONOR
    )
    project_leader = forms.IntegerField(
        label="Projektledare (kr)", min_value=0, max_value=MAX_KRONOR
    )
    other = forms.IntegerField(label="Övrigt (kr)", min_value=0, max_value=MAX_KRONOR)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    error_messages = {"min_value": "Beloppet kan inte vara negativt."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("coordinators", "project_leader", "other"):
            self.fields[name].error_messages["min_value"] = "Beloppet kan inte vara negativt."
            self.fields[name].error_messages["invalid"] = "Ange ett belopp i hela kronor."
            self.fields[name].error_messages["max_value"] = "Beloppet är orimligt stort."


class BerattelseForm(forms.Form):
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    omrade = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CompileForm(forms.Form):
    """years: the project's years (services.report_years); any other is refused here with
    the same message as in the service."""

    year = forms.TypedChoiceField(label="År", coerce=int)
    edition = forms.ChoiceField(label="Utgåva", choices=Rapportversion.Edition.choices)
    omrade = forms.ModelChoiceField(
        label="Område",
        queryset=NutsOmrade.objects.filter(deltaganden__isnull=False).distinct(),
        required=False,
        empty_label="Hela projektet",
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = years_message(years)
        self.fields["year"].error_messages["required"] = years_message(years)
