"""The network map's pages: an area's map (and the whole project's), its data as JSON for
the browser, and the same data as tables.

Who sees it (access.sees_natverk): the project leader, the steering group, the national
board and the working-life unit every area's map and the national one; a coordinator their
own areas' maps. Department users do not: the map is built from every activity of the area,
and a department's users see only their own department's activities (the map would show
the others' relations and their weights). Contact persons are on the map only for those who
see them on the actor's page (the coordinators of the area and the project leader).
"""

import datetime
import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from aktiviteter.models import AktorTyp
from avdelningar.access import (
    natverk_areas,
    scope_for,
    sees_kontaktpersoner,
    sees_national_natverk,
    sees_natverk,
)
from mal.models import Verksamhetsmal

from . import graph

NATIONAL = "nationellt"
# A department's row lists its relations one by one up to this many.
LISTED = 25


class FilterForm(forms.Form):
    mal = forms.TypedChoiceField(
        label="Verksamhetsmål", required=False, coerce=int, empty_value=None
    )
    typ = forms.ChoiceField(label="Typ av aktör", required=False)
    fran = forms.DateField(
        label="Från", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label="Till", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goals = Verksamhetsmal.objects.order_by("number").values_list("number", "title")
        self.fields["mal"].choices = [("", "Alla mål")] + [(n, f"{n} {t}") for n, t in goals]
        self.fields["typ"].choices = [("", "Alla typer")] + list(AktorTyp.choices)

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["fran"] > data["till"]:
            raise forms.ValidationError("Från-datum kan inte ligga efter till-datum.")
        return data

    def filters(self, area_id):
        d = self.cleaned_data if self.is_valid() else {}
        return graph.Filters(
            area_id=area_id,
            goal=d.get("mal"),
            typ=d.get("typ") or "",
            fran=d.get("fran"),
            till=d.get("till"),
        )


def _scope(request):
    scope = scope_for(request.user)
    if not scope.has_any_role or not sees_natverk(scope):
        raise Http404("Sidan finns inte.")
    return scope


def _area_or_404(scope, slug):
    """(area or None for the national map): 404 for an area the user may not map."""
    if slug == NATIONAL:
        if not sees_national_natverk(scope):
            raise Http404("Sidan finns inte.")
        return None
    area = natverk_areas(scope).filter(code=slug).first()
    if area is None:
        raise Http404("Området finns inte.")
    return area


def _kontakt_areas(scope, area):
    """Which contact persons the map may show the user (None: none)."""
    if not sees_kontaktpersoner(scope):
        return None
    if scope.is_project_leader:
        return "all"
    return frozenset(scope.coordinated_nuts_ids)


def _page_parts(data):
    """What the page shows of the data (cached by graph.cached): the tables, the counts."""
    return {
        "table": render_to_string("natverk/_tabell.html", _table_context(data)),
        "counts": _counts(data),
        "stale_before": data["stale_before"],
    }


def _json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _table_context(data):
    nodes = {n["id"]: n for n in data["nodes"]}
    relations = {nid: [] for nid in nodes}
    for e in data["edges"]:
        relations[e["source"]].append((e, nodes[e["target"]]))
        relations[e["target"]].append((e, nodes[e["source"]]))
    rows = []
    for n in data["nodes"]:
        if n["kind"] == "omrade":
            continue
        rels = sorted(relations[n["id"]], key=lambda r: (r[1]["kind"], r[1]["label"]))
        row = {"node": n, "relations": rels, "kind": graph.KIND_LABELS[n["kind"]]}
        if n["kind"] == "avdelning" and len(rels) > LISTED:
            # A department meets hundreds of actors on a big map: each actor's row names
            # the department, so its own row sums them up (the page stays readable).
            summary = {}
            for e, _other in rels:
                total, stale = summary.get(e["label"], (0, 0))
                summary[e["label"]] = (total + 1, stale + e["stale"])
            row["relations"] = []
            row["summary"] = sorted(summary.items())
        rows.append(row)
    m = data["measures"]
    return {
        "rows": rows,
        "central": [nodes[i] for i in m["central"]],
        "single_activity": [nodes[i] for i in m["single_activity"]],
        "single_person": [nodes[i] for i in m["single_person"]],
        "bridges": len(m["bridges"]),
        "stale_before": datetime.date.fromisoformat(data["stale_before"]),
    }


def _map(request, slug, part, derive):
    scope = _scope(request)
    area = _area_or_404(scope, slug)
    form = FilterForm(request.GET or None)
    filters = form.filters(area.pk if area else None)
    kontakt = _kontakt_areas(scope, area)
    found = graph.cached(filters, kontakt_areas=kontakt, part=part, derive=derive)
    return area, form, found


def index(request):
    scope = _scope(request)
    areas = list(natverk_areas(scope).filter(deltaganden__isnull=False).distinct().order_by("code"))
    if not sees_national_natverk(scope) and len(areas) == 1:
        return redirect("natverk:karta", slug=areas[0].code)
    ctx = {"areas": areas, "national": sees_national_natverk(scope)}
    return render(request, "natverk/index.html", ctx)


def karta(request, slug):
    area, form, found = _map(request, slug, "page", _page_parts)
    ctx = {
        "area": area,
        "slug": slug,
        "form": form,
        "query": request.GET.urlencode(),
        **found,
    }
    return render(request, "natverk/karta.html", ctx)


def data(request, slug):
    _area, _form, found = _map(request, slug, "json", _json)
    response = HttpResponse(found, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def _counts(data):
    counts = dict.fromkeys(graph.KIND_LABELS, 0)
    for n in data["nodes"]:
        counts[n["kind"]] += 1
    counts["stale"] = sum(1 for e in data["edges"] if e["stale"])
    return counts
