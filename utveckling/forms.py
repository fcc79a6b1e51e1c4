from django import forms
from django.utils import timezone

from avdelningar.models import NutsOmrade, Person

from .models import SCORE_MAX, SCORE_MIN, Kandidat, Krav, Kriterium

SCORE_CHOICES = [("", "Ej bedömt")] + [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
SCORE_HELP = "1 = svagt, 5 = mycket starkt."


def _score_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=SCORE_HELP,
        error_messages={"invalid_choice": "Välj en poäng 1–5."},
    )


class KandidatForm(forms.Form):
    nuts_omrade = forms.ModelChoiceField(
        label="NUTS-område", queryset=NutsOmrade.objects.none(), empty_label="Välj område"
    )
    year = forms.IntegerField(
        label="Startår",
        help_text="Året området skulle börja delta.",
        error_messages={"invalid": "Ange ett år.", "min_value": "Välj i år eller senare."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Areas that do not take part today (a candidate for a later year is checked again).
        self.fields["nuts_omrade"].queryset = NutsOmrade.objects.exclude(
            pk__in=NutsOmrade.objects.in_project(today).values("pk")
        )
        self.fields["year"].min_value = today.year
        self.fields["year"].max_value = today.year + 10
        self.fields["year"].widget.attrs.update({"min": today.year, "max": today.year + 10})
        self.fields["year"].initial = today.year + 1


class BedomningForm(forms.Form):
    """The three questions, the candidate coordinator and the six criteria."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    nytta = forms.CharField(
        label=Kandidat._meta.get_field("nytta").verbose_name.capitalize(),
        help_text=Kandidat._meta.get_field("nytta").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    forutsattningar = forms.CharField(
        label=Kandidat._meta.get_field("forutsattningar").verbose_name.capitalize(),
        help_text=Kandidat._meta.get_field("forutsattningar").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    syften = forms.CharField(
        label=Kandidat._meta.get_field("syften").verbose_name.capitalize(),
        help_text=Kandidat._meta.get_field("syften").help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    samordnare = forms.ModelChoiceField(
        label="Föreslagen regional samordnare",
        queryset=Person.objects.filter(anonymized_at__isnull=True),
        required=False,
        empty_label="Ingen ännu",
        help_text="Den samordnare avdelningarna är överens om; bedöms mot kravprofilen.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Kriterium.choices:
            self.fields[f"{key}_score"] = _score_field(f"{label}: poäng")
            self.fields[f"{key}_comment"] = forms.CharField(
                label=f"{label}: kommentar",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )
            self.fields[f"{key}_evidence"] = forms.CharField(
                label=f"{label}: underlag",
                help_text="Källor och iakttagelser utöver nyckeltalen och aktiviteterna nedan.",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )

    @classmethod
    def initial_for(cls, kandidat):
        initial = {
            "version": kandidat.version,
            "nytta": kandidat.nytta,
            "forutsattningar": kandidat.forutsattningar,
            "syften": kandidat.syften,
            "samordnare": kandidat.samordnare_id,
        }
        for row in kandidat.kriterier.all():
            initial[f"{row.kriterium}_score"] = row.score
            initial[f"{row.kriterium}_comment"] = row.comment
            initial[f"{row.kriterium}_evidence"] = row.evidence
        return initial

    def criteria(self):
        return {
            key: {
                "score": self.cleaned_data.get(f"{key}_score"),
                "comment": self.cleaned_data.get(f"{key}_comment", ""),
                "evidence": self.cleaned_data.get(f"{key}_evidence", ""),
            }
            for key in Kriterium.values
        }

    def answers(self):
        return {k: self.cleaned_data.get(k, "") for k in ("nytta", "forutsattningar", "syften")}

    def groups(self):
        """The criteria's fields in threes, for the template."""
        return [
            (label, self[f"{key}_score"], self[f"{key}_comment"], self[f"{key}_evidence"], key)
            for key, label in Kriterium.choices
        ]


class ForslagForm(forms.Form):
    proposal = forms.CharField(
        label="Förslag till styrgruppen",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Skriv förslaget till styrgruppen."},
    )


class DateInput(forms.DateInput):
    input_type = "date"


class StyrgruppForm(forms.Form):
    recommended = forms.TypedChoiceField(
        label="Styrgruppens beslut",
        choices=[("ja", "Tillstyrker förslaget"), ("nej", "Avstyrker förslaget")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Välj tillstyrker eller avstyrker."},
    )
    decided_on = forms.DateField(
        label="Sammanträdets datum",
        widget=DateInput,
        error_messages={"required": "Ange datumet.", "invalid": "Ange ett datum (ÅÅÅÅ-MM-DD)."},
    )
    paragraph = forms.CharField(
        label="Protokollsparagraf",
        max_length=60,
        help_text="Till exempel § 12.",
        error_messages={"required": "Ange protokollets paragraf."},
    )


class ForbundsstyrelsenForm(forms.Form):
    yes = forms.TypedChoiceField(
        label="Förbundsstyrelsens beslut",
        choices=[("ja", "Ja: området ska delta"), ("nej", "Nej")],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Välj ja eller nej."},
    )
    decided_on = forms.DateField(
        label="Beslutsdatum",
        widget=DateInput,
        error_messages={"required": "Ange datumet.", "invalid": "Ange ett datum (ÅÅÅÅ-MM-DD)."},
    )
    joined_on = forms.DateField(
        label="Deltar från",
        widget=DateInput,
        required=False,
        help_text="Vid ja: dagen området börjar delta (kostnadsnyckeln tar med det från det året).",
        error_messages={"invalid": "Ange ett datum (ÅÅÅÅ-MM-DD)."},
    )
    samordnare = forms.ModelChoiceField(
        label="Regional samordnare",
        queryset=Person.objects.filter(anonymized_at__isnull=True),
        required=False,
        empty_label="Välj samordnare",
        help_text="Vid ja: får samordnaruppdraget för området från samma dag.",
    )

    def clean(self):
        data = super().clean()
        if data.get("yes"):
            if not data.get("joined_on"):
                self.add_error("joined_on", "Ange från vilket datum området deltar.")
            if not data.get("samordnare"):
                self.add_error("samordnare", "Ange områdets regionala samordnare.")
        return data


class KravbedomningForm(forms.Form):
    def __init__(self, *args, krav, **kwargs):
        super().__init__(*args, **kwargs)
        self.krav = list(krav)
        for k in self.krav:
            self.fields[f"krav_{k.pk}_score"] = _score_field(f"{k.text}: poäng")
            self.fields[f"krav_{k.pk}_comment"] = forms.CharField(
                label=f"{k.text}: kommentar",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )

    @staticmethod
    def initial_for(rows):
        initial = {}
        for b in rows:
            initial[f"krav_{b.krav_id}_score"] = b.score
            initial[f"krav_{b.krav_id}_comment"] = b.comment
        return initial

    def groups(self):
        return [(k, self[f"krav_{k.pk}_score"], self[f"krav_{k.pk}_comment"]) for k in self.krav]

    def values(self):
        return {
            k.pk: {
                "score": self.cleaned_data.get(f"krav_{k.pk}_score"),
                "comment": self.cleaned_data.get(f"krav_{k.pk}_comment", ""),
            }
            for k in self.krav
        }


KravFormSet = forms.modelformset_factory(
    Krav,
    fields=["text", "position", "active"],
    extra=1,
    can_delete=False,
    labels={"text": "Krav", "position": "Ordning", "active": "Gäller"},
)
