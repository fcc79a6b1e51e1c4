"""The comparison page (issue 16 §4): the pilot departments' key figures against the
other departments', year by year, a difference in differences per pilot area, and its
export. Aggregates only; who sees it is Scope.sees_comparison."""

import hashlib

from django import forms
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from avdelningar.access import require, scope_for
from avdelningar.models import Deltagande
from filer.exports import csv_response, xlsx_response

from . import services
from .comparison import (
    BEFORE,
    CAVEAT,
    EARLIEST,
    FIGURE_CHOICES,
    GROUP_LABELS,
    GROUPS,
    comparison_compute,
    did_rows,
    table_rows,
)

DENIED = services.COMPARISON_DENIED
FIRST_YEAR = 2019  # the default span's start: the year before the first area joined
LONGEST = 30
# Bump when the charts' drawing changes, so cached SVG from before is not shown.
CHART_VERSION = 1
CHART_SECONDS = 24 * 3600


class JamforelseForm(forms.Form):
    """The page's filters (GET). Invalid input: a message and the defaults."""

    figure = forms.ChoiceField(label="Nyckeltal", choices=FIGURE_CHOICES, required=False)
    area = forms.TypedChoiceField(label="Pilotområde", coerce=int, empty_value=None, required=False)
    year_from = forms.IntegerField(label="Från år", required=False)
    year_to = forms.IntegerField(label="Till år", required=False)

    def __init__(self, *args, areas, this_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.this_year = this_year
        self.fields["area"].choices = [("", "Alla pilotområden")] + [
            (pk, f"{code} {name}") for pk, code, name in areas
        ]
        # The span is checked in clean(); the page's inputs say it too.
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update(min=EARLIEST, max=this_year)

    def clean(self):
        data = super().clean()
        start = data.get("year_from") or FIRST_YEAR
        end = data.get("year_to") or self.this_year
        if not (EARLIEST <= start <= self.this_year and EARLIEST <= end <= self.this_year):
            raise forms.ValidationError(f"Välj år mellan {EARLIEST} och {self.this_year}.")
        if start > end:
            raise forms.ValidationError("Från-året ligger efter till-året.")
        if end - start >= LONGEST:
            raise forms.ValidationError(f"Välj högst {LONGEST} år.")
        data["years"] = list(range(start, end + 1))
        data["figure"] = data.get("figure") or FIGURE_CHOICES[0][0]
        return data

    @classmethod
    def defaults(cls, this_year):
        return {
            "figure": FIGURE_CHOICES[0][0],
            "area": None,
            "years": list(range(min(FIRST_YEAR, this_year), this_year + 1)),
        }


def _filters(request):
    """(form, cleaned filters): the defaults when the input is invalid."""
    this_year = timezone.localdate().year
    areas = (
        Deltagande.objects.order_by("nuts_omrade__code")
        .values_list("nuts_omrade_id", "nuts_omrade__code", "nuts_omrade__name")
        .distinct()
    )
    form = JamforelseForm(request.GET or None, areas=list(areas), this_year=this_year)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data
    return form, JamforelseForm.defaults(this_year)


def _charts(comp, table, did_table):
    """The line chart and the difference-in-differences bars. Drawing them takes about
    a tenth of a second, and the same data gives the same SVG (presentation.charts), so
    they are kept in the cache under a digest of what they are drawn from: new figures
    give a new key, never a stale chart."""
    label = comp.figure.label
    measure = "andel avdelningar med ja" if comp.yes_no else "medel per avdelning"
    series = [
        (g, GROUP_LABELS[g], [(y, comp.by_year[y][g].mean) for y in comp.years])
        for g in GROUPS
        if g != BEFORE or comp.has(BEFORE)
    ]
    first, last = comp.years[0], comp.years[-1]
    lines_caption = f"{label}, {measure}, {first}–{last}"
    did_caption = f"{label}: förändringen av skillnaden mot övriga avdelningar efter anslutningen"
    bars = [(a.label, a.did) for a in comp.areas]
    drawn_from = (CHART_VERSION, series, lines_caption, did_caption, bars, table, did_table)
    key = "nyckeltal-jamforelse:" + hashlib.sha256(repr(drawn_from).encode()).hexdigest()

    def draw():
        from presentation import charts  # matplotlib: imported where a chart is drawn

        lines = charts.comparison_lines(series, caption=lines_caption, table=charts.Table(*table))
        did = charts.comparison_did(bars, caption=did_caption, table=charts.Table(*did_table))
        return lines, did

    return cache.get_or_set(key, draw, CHART_SECONDS)


@require_safe
def jamforelse(request):
    """Pilot departments against the others, per figure and year, with charts."""
    require(scope_for(request.user).sees_comparison, DENIED)
    form, f = _filters(request)
    comp = comparison_compute(key=f["figure"], years=f["years"], nuts_id=f["area"])
    header, rows = table_rows(comp)
    did_header, did = did_rows(comp)
    lines, did_chart = _charts(comp, (header, rows), (did_header, did))
    ctx = {
        "form": form,
        "comp": comp,
        "header": header,
        "rows": rows,
        "did_header": did_header,
        "did_rows": did,
        "areas": comp.areas,
        "chart": lines,
        "did_chart": did_chart,
        "caveat": CAVEAT,
        "query": request.GET.urlencode() if form.is_valid() else "",
    }
    return render(request, "nyckeltal/jamforelse.html", ctx)


@require_safe
def jamforelse_export(request, fmt):
    """The page's two tables, with the same filters, as CSV (the yearly table) or XLSX."""
    require(scope_for(request.user).sees_comparison, DENIED)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Okänt format.")
    _form, f = _filters(request)
    comp = comparison_compute(key=f["figure"], years=f["years"], nuts_id=f["area"])
    header, rows = table_rows(comp)
    did_header, did = did_rows(comp)
    name = f"jamforelse-{comp.key}-{comp.years[0]}-{comp.years[-1]}"
    services.jamforelse_export_record(
        user=request.user, fmt=fmt, query=request.GET.urlencode(), request=request
    )
    if fmt == "csv":
        return csv_response(name, ["Nyckeltal"] + header, [[comp.figure.label] + r for r in rows])
    return xlsx_response(
        name,
        [
            ("Per år", ["Nyckeltal"] + header, [[comp.figure.label] + r for r in rows]),
            ("Skillnad i skillnader", did_header + ["Not"], [r + [CAVEAT] for r in did]),
        ],
    )
