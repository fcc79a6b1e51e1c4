from django import forms

from filer.imports import MAX_IMPORT_BYTES

from .models import COUNTED_THIS_YEAR, ENTERED, MAX_FIGURE, Nyckeltal

LABELS = {
    "workplaces": "Arbetsplatser",
    "clubs": "Klubbar",
    "workplaces_change_started": "Arbetsplatser där förändringsarbete har startat",
    "skills_women": "Arbetare i kompetensutveckling, kvinnor",
    "skills_men": "Arbetare i kompetensutveckling, män",
}
HELP = {
    "workplaces": "Antalet under året. Registret har inga datum för arbetsplatser, så för ett "
    "tidigare år skrivs antalet in här.",
    "clubs": "Antalet under året (som för arbetsplatserna).",
    "workplaces_change_started": "Arbetsplatser där förändringsarbete efter Hållbart arbete "
    "har startat under året.",
    "skills_women": "Kvinnor på avdelningens arbetsplatser i kompetensutveckling under året.",
    "skills_men": "Män på avdelningens arbetsplatser i kompetensutveckling under året.",
}
CHANGE_ABOVE_WORKPLACES = (
    "Arbetsplatserna där förändringsarbete har startat kan inte vara fler än avdelningens "
    "arbetsplatser ({n})."
)


class NyckeltalForm(forms.Form):
    """The year's entered figures. This year's workplaces and clubs are the register's
    (``register``: their counts), so the form has no field for them."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, current_year: bool, register: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register if current_year else {}
        for name in ENTERED:
            if current_year and name in COUNTED_THIS_YEAR:
                continue
            self.fields[name] = forms.IntegerField(
                label=LABELS[name],
                help_text=HELP[name],
                required=False,
                min_value=0,
                max_value=MAX_FIGURE,
                error_messages={
                    "min_value": "Antalet kan inte vara negativt.",
                    "max_value": "Antalet är orimligt stort.",
                    "invalid": "Ange ett heltal.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        # The version field last: the visible fields in the order of ENTERED.
        self.fields["version"] = self.fields.pop("version")

    @classmethod
    def initial_for(cls, obj: Nyckeltal | None) -> dict:
        if obj is None:
            return {"version": 0}
        return {"version": obj.version, **{name: getattr(obj, name) for name in ENTERED}}

    def clean(self):
        data = super().clean()
        workplaces = self.register.get("workplaces", data.get("workplaces"))
        started = data.get("workplaces_change_started")
        if workplaces is not None and started is not None and started > workplaces:
            self.add_error(
                "workplaces_change_started", CHANGE_ABOVE_WORKPLACES.format(n=workplaces)
            )
        return data

    def values(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in ENTERED if name in self.fields}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Ifylld mall (.xlsx eller .csv)",
        help_text=f"Högst {MAX_IMPORT_BYTES // 2**20} MB.",
    )
