from django import forms

from avdelningar.models import NutsOmrade

from .models import Beslut, Rapportversion
from .services import (
    COMMENT_MAX,
    PARAGRAPH_MAX,
    meeting_date_problem,
    normalize_paragraph,
    rapport_readiness,
    years_message,
)

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


GAPS_UNCONFIRMED = (
    "Uppgifterna i listan saknas för rapporten. Kryssa i ”Sammanställ ändå” för att "
    "sammanställa den ändå; rapporten anger då vad som saknades."
)


class CompileForm(forms.Form):
    """years: the project's years (services.report_years); any other is refused here with
    the same message as in the service.

    gaps (a GET form): the gaps listed above the button (services.rapport_readiness); with
    none, the confirmation box is left out. A posted form looks the gaps of the chosen year
    and area up itself (``self.gaps``): with any, "Sammanställ ändå" must be ticked, and
    for the year whose gaps the page showed (``gaps_year``), since the year can be changed
    in the form after the page listed them.
    """

    year = forms.TypedChoiceField(label="År", coerce=int)
    edition = forms.ChoiceField(label="Utgåva", choices=Rapportversion.Edition.choices)
    omrade = forms.ModelChoiceField(
        label="Område",
        queryset=NutsOmrade.objects.filter(deltaganden__isnull=False).distinct(),
        required=False,
        empty_label="Hela projektet",
    )
    sammanstall_anda = forms.BooleanField(
        label="Sammanställ ändå",
        required=False,
        help_text="Rapporten sammanställs med det som finns och anger vad som saknades.",
    )
    gaps_year = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, years, gaps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = years_message(years)
        self.fields["year"].error_messages["required"] = years_message(years)
        self.gaps = gaps or []
        self.gaps_area = None
        if gaps is not None and not gaps:
            del self.fields["sammanstall_anda"]

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is None or "omrade" in self.errors:
            return data
        self.gaps_area = data.get("omrade")
        self.gaps = rapport_readiness(year=year, nuts_omrade=self.gaps_area)
        shown = data.get("gaps_year")
        confirmed = data.get("sammanstall_anda") and shown in (None, year)
        if self.gaps and not confirmed:
            self.add_error("sammanstall_anda", GAPS_UNCONFIRMED)
        return data

    @property
    def gaps_unconfirmed(self):
        """Invalid only for want of the confirmation: the page is shown again with the gaps."""
        return list(self.errors) == ["sammanstall_anda"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


KIND_MISSING = "Välj om styrgruppen godkänner versionen eller skickar tillbaka den."


class BeslutForm(forms.Form):
    """The steering group's decision on ``version``: the kind comes from the button
    pressed ("Godkänn" or "Skicka tillbaka"), the rest from the meeting's minutes. The
    rules are the service's (services.meeting_date_problem), said here by the field."""

    kind = forms.ChoiceField(
        choices=Beslut.Kind.choices,
        error_messages={"required": KIND_MISSING, "invalid_choice": KIND_MISSING},
    )
    meeting_date = forms.DateField(
        label="Mötets datum",
        widget=DateInput(),
        error_messages={
            "required": "Ange datumet för styrgruppens möte.",
            "invalid": "Ange mötets datum som ÅÅÅÅ-MM-DD.",
        },
    )
    paragraph = forms.CharField(
        label="Paragraf i protokollet",
        required=False,
        max_length=40,
        help_text="Frivilligt, t.ex. § 12.",
    )
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Krävs när versionen skickas tillbaka: vad ska ändras i en ny version?",
        error_messages={"max_length": f"Kommentaren får vara högst {COMMENT_MAX} tecken."},
    )

    def __init__(self, *args, version, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.today = today
        self.fields["paragraph"].error_messages["max_length"] = (
            f"Paragrafen får vara högst {PARAGRAPH_MAX} tecken, t.ex. § 12."
        )

    def clean_meeting_date(self):
        value = self.cleaned_data["meeting_date"]
        problem = meeting_date_problem(self.version, value, today=self.today)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_paragraph(self):
        value = normalize_paragraph(self.cleaned_data["paragraph"])
        if len(value) > PARAGRAPH_MAX:
            raise forms.ValidationError(
                f"Paragrafen får vara högst {PARAGRAPH_MAX} tecken, t.ex. § 12."
            )
        return value

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()

    def clean(self):
        data = super().clean()
        returned = data.get("kind") == Beslut.Kind.RETURN
        if returned and not data.get("comment") and "comment" not in self.errors:
            self.add_error(
                "comment", "Skriv styrgruppens kommentar: vad ska ändras i en ny version?"
            )
        return data
