"""The decision log's pages: the log (newest first, by year and kind), one decision, and
the forms to record and edit one, its links as a small formset. Each view states its right
at its top (avdelningar.access); the services ask again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from historik.models import Handelse
from historik.services import ConflictError

from . import services
from .access import get_projektbeslut_or_404, records_beslut, require_beslutslogg
from .models import BeslutTyp, NutsOmrade, Projektbeslut, check_beslut_url

MAX_LINKS = 10


class ProjektbeslutForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    class Meta:
        model = Projektbeslut
        fields = ["decided_on", "body", "kind", "title", "paragraph", "nuts_omrade", "description"]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "body": "Styrgruppen startar och stoppar projektet och ändrar planen; "
            "förbundsstyrelsen beslutar om utvidgning till nya områden.",
            "paragraph": "Paragrafen i mötets protokoll, t.ex. § 7.",
            "nuts_omrade": "Området som beslutet gäller, om det gäller ett.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nuts_omrade"].queryset = NutsOmrade.objects.order_by("code")
        self.fields["nuts_omrade"].empty_label = "Hela projektet"


class LankForm(forms.Form):
    label = forms.CharField(label="Länktext", max_length=200, required=False)
    url = forms.CharField(
        label="Adress",
        max_length=500,
        required=False,
        help_text="En sida i systemet (börjar med /) eller en https://-adress.",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        label, url = data.get("label", "").strip(), data.get("url", "").strip()
        if url and not label:
            self.add_error("label", "Skriv en text för länken.")
        if label and not url:
            self.add_error("url", "Ange länkens adress.")
        if url:
            try:
                data["url"] = check_beslut_url(url)
            except ValidationError as exc:
                self.add_error("url", exc)
        return data


LankFormSet = forms.formset_factory(
    LankForm, extra=2, max_num=MAX_LINKS, validate_max=True, absolute_max=MAX_LINKS
)


def _years():
    return [d.year for d in Projektbeslut.objects.dates("decided_on", "year", order="DESC")]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def lista(request):
    """The log, newest first; filters: year, kind."""
    require_beslutslogg(request.user)
    years = _years()
    year = _int(request.GET.get("ar"))
    kind = request.GET.get("slag") or ""
    if kind not in BeslutTyp.values:
        kind = ""
    rows = Projektbeslut.objects.newest_first().select_related("nuts_omrade")
    rows = rows.prefetch_related("lankar")
    if year in years:
        rows = rows.in_year(year)
    else:
        year = None
    if kind:
        rows = rows.filter(kind=kind)
    ctx = {
        "rows": rows,
        "years": years,
        "year": year,
        "kind": kind,
        "kinds": BeslutTyp.choices,
        "can_record": records_beslut(request.user),
    }
    return render(request, "avdelningar/beslut_lista.html", ctx)


def detalj(request, pk):
    beslut = get_projektbeslut_or_404(request.user, pk)
    history = (
        Handelse.objects.filter(model=Projektbeslut._meta.label, object_id=str(beslut.pk))
        .select_related("user__person")
        .order_by("-at", "-id")[:10]
    )
    ctx = {
        "beslut": beslut,
        "lankar": list(beslut.lankar.all()),
        "history": [
            {
                "at": h.at,
                "who": getattr(getattr(h.user, "person", None), "name", "") or h.username,
                "action": h.get_action_display(),
                "fields": [
                    _FIELD_LABELS.get(k, k) for k in sorted(h.changes) if k in _FIELD_LABELS
                ],
            }
            for h in history
        ],
        "can_record": records_beslut(request.user),
    }
    return render(request, "avdelningar/beslut_detalj.html", ctx)


_FIELD_LABELS = {
    "decided_on": "beslutsdatum",
    "body": "beslutande organ",
    "kind": "slag",
    "title": "rubrik",
    "paragraph": "paragraf",
    "nuts_omrade": "område",
    "description": "beskrivning",
    "lankar": "länkar",
}


def _save(request, form, formset, beslut=None):
    """Save through the service; on a refusal the forms keep what was typed."""
    data = form.cleaned_data
    fields = {k: data[k] for k in form.Meta.fields}
    links = [(f.cleaned_data.get("label", ""), f.cleaned_data.get("url", "")) for f in formset]
    try:
        if beslut is None:
            return services.projektbeslut_record(
                user=request.user, links=links, request=request, **fields
            )
        return services.projektbeslut_update(
            beslut=beslut,
            user=request.user,
            expected_version=data["version"],
            links=links,
            request=request,
            **fields,
        )
    except ConflictError as exc:
        form.add_error(None, exc.message)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def _form_page(request, *, beslut=None):
    post = request.POST if request.method == "POST" else None
    if beslut is None:
        form = ProjektbeslutForm(post)
        initial = []
    else:
        form = ProjektbeslutForm(post, instance=beslut, initial={"version": beslut.version})
        initial = [{"label": link.label, "url": link.url} for link in beslut.lankar.all()]
    formset = LankFormSet(post, initial=initial, prefix="lankar")
    status = 200
    if post is not None:
        if form.is_valid() and formset.is_valid():
            saved = _save(request, form, formset, beslut)
            if saved is not None:
                messages.success(request, "Beslutet är sparat i beslutsloggen.")
                return redirect(saved.get_absolute_url())
        status = 400
    ctx = {"form": form, "formset": formset, "beslut": beslut}
    return render(request, "avdelningar/beslut_form.html", ctx, status=status)


def ny(request):
    require_beslutslogg(request.user, write=True)
    return _form_page(request)


def andra(request, pk):
    beslut = get_projektbeslut_or_404(request.user, pk, write=True)
    return _form_page(request, beslut=beslut)
