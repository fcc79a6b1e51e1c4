"""The candidate areas: the list, one candidate with its assessment and decisions, the
coordinator's assessment against the requirement profile, the profile, and the candidates
of a year side by side. Each view states its right at its top (``require_utveckling``:
404 for everyone but the project leader and the steering group); the services ask again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from avdelningar.access import require_utveckling
from historik.models import Handelse
from historik.services import ConflictError

from . import services, underlag
from .forms import (
    BedomningForm,
    ForbundsstyrelsenForm,
    ForslagForm,
    KandidatForm,
    KravbedomningForm,
    KravFormSet,
    StyrgruppForm,
)
from .models import Kandidat, Krav, Kravbedomning, Kriteriebedomning, Kriterium, Status


def get_kandidat_or_404(user, pk, *, write=False, decide=False):
    scope = require_utveckling(user, write=write, decide=decide)
    kandidat = (
        Kandidat.objects.select_related("nuts_omrade", "samordnare", "deltagande")
        .filter(pk=pk)
        .first()
    )
    if kandidat is None:
        raise Http404("Kandidaten finns inte.")
    return kandidat, scope


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def lista(request):
    """Every candidate, newest start year first; the project leader adds one here."""
    scope = require_utveckling(request.user, write=request.method == "POST")
    form = KandidatForm(request.POST or None) if scope.edits_utveckling else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kandidat = services.kandidat_create(
                    nuts_omrade=form.cleaned_data["nuts_omrade"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{kandidat} är tillagd som kandidat.")
                return redirect(kandidat)
        status = 400
    kandidater = list(
        Kandidat.objects.select_related("nuts_omrade").prefetch_related(
            Prefetch("kriterier", queryset=Kriteriebedomning.objects.order_by())
        )
    )
    years = {}
    for k in kandidater:
        scored = [r.score for r in k.kriterier.all() if r.score is not None]
        k.scored = len(scored)
        k.score_sum = sum(scored)
        years.setdefault(k.year, []).append(k)
    ctx = {
        "years": sorted(years.items(), reverse=True),
        "form": form,
        "criteria_count": len(Kriterium.values),
    }
    return render(request, "utveckling/lista.html", ctx, status=status)


def _history(kandidat):
    rows = (
        Handelse.objects.filter(model=Kandidat._meta.label, object_id=str(kandidat.pk))
        .select_related("user__person")
        .order_by("-at", "-id")[:20]
    )
    return [
        {
            "at": h.at,
            "who": getattr(getattr(h.user, "person", None), "name", "") or h.username,
            "action": h.get_action_display(),
            "note": h.note,
        }
        for h in rows
    ]


STEPS = [
    ("bedoms", "Bedömning"),
    ("foreslagen", "Projektledarens förslag"),
    ("styrgrupp", "Styrgruppens beslut"),
    ("fs", "Förbundsstyrelsens beslut"),
    ("deltar", "Deltar i projektet"),
]
STEP_OF = {
    Status.BEDOMS: 0,
    Status.FORESLAGEN: 1,
    Status.TILLSTYRKT: 2,
    Status.AVSTYRKT: 2,
    Status.AVSLAGEN: 3,
    Status.DELTAR: 4,
}


def _detail(request, kandidat, scope, *, forms=None, status=200):
    forms = forms or {}
    criteria = {r.kriterium: r for r in kandidat.kriterier.all()}
    year = underlag.figures_year()
    at = STEP_OF[kandidat.status]
    ctx = {
        "k": kandidat,
        "scope": scope,
        "steps": [
            {"label": label, "done": i < at or kandidat.status == Status.DELTAR, "current": i == at}
            for i, (_key, label) in enumerate(STEPS)
        ],
        "criteria": [
            {
                "key": key,
                "label": label,
                "score": getattr(criteria.get(key), "score", None),
                "comment": getattr(criteria.get(key), "comment", ""),
                "evidence": getattr(criteria.get(key), "evidence", ""),
            }
            for key, label in Kriterium.choices
        ],
        "figures_year": year,
        "area": underlag.area_figures([kandidat.nuts_omrade_id], year=year)[
            kandidat.nuts_omrade_id
        ],
        "activities": underlag.activities(kandidat),
        "cost": underlag.cost_effect(kandidat),
        "coordinator_assessed": Kravbedomning.objects.filter(
            kandidat=kandidat, person_id=kandidat.samordnare_id, score__isnull=False
        ).count()
        if kandidat.samordnare_id
        else 0,
        "krav_count": Krav.objects.filter(active=True).count(),
        "history": _history(kandidat),
        "Status": Status,
    }
    if scope.edits_utveckling and kandidat.status == Status.BEDOMS:
        ctx["forslag_form"] = forms.get("forslag") or ForslagForm(
            initial={"proposal": kandidat.proposal}
        )
    if scope.decides_utveckling and kandidat.status == Status.FORESLAGEN:
        ctx["styrgrupp_form"] = forms.get("styrgrupp") or StyrgruppForm()
    if scope.edits_utveckling and kandidat.status in (Status.TILLSTYRKT, Status.AVSTYRKT):
        ctx["fs_form"] = forms.get("fs") or ForbundsstyrelsenForm(
            initial={"samordnare": kandidat.samordnare_id}
        )
    return render(request, "utveckling/kandidat.html", ctx, status=status)


def kandidat(request, pk):
    """One candidate: the three questions, the criteria beside their evidence, the effect
    on the cost split, where the decision stands, and the next step's form."""
    k, scope = get_kandidat_or_404(request.user, pk)
    return _detail(request, k, scope)


def bedom(request, pk):
    """The project leader's assessment: the three questions, the coordinator, the criteria."""
    k, scope = get_kandidat_or_404(request.user, pk, write=True)
    if not k.open_for_assessment:
        messages.error(request, "Bedömningen är låst: kandidaten är redan föreslagen.")
        return redirect(k)
    form = BedomningForm(request.POST or None, initial=BedomningForm.initial_for(k))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.kandidat_assess(
                    kandidat=k,
                    answers=form.answers(),
                    samordnare=form.cleaned_data["samordnare"],
                    criteria=form.criteria(),
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                    request=request,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Bedömningen är sparad.")
                return redirect(k)
        status = 400
    year = underlag.figures_year()
    ctx = {
        "k": k,
        "form": form,
        "figures_year": year,
        "area": underlag.area_figures([k.nuts_omrade_id], year=year)[k.nuts_omrade_id],
        "activities": underlag.activities(k),
    }
    return render(request, "utveckling/bedom.html", ctx, status=status)


@require_POST
def foresla(request, pk):
    k, scope = get_kandidat_or_404(request.user, pk, write=True)
    form = ForslagForm(request.POST)
    if form.is_valid():
        try:
            services.kandidat_propose(
                kandidat=k,
                proposal=form.cleaned_data["proposal"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Förslaget är lämnat till styrgruppen.")
            return redirect(k)
    return _detail(request, k, scope, forms={"forslag": form}, status=400)


@require_POST
def styrgrupp(request, pk):
    k, scope = get_kandidat_or_404(request.user, pk, decide=True)
    form = StyrgruppForm(request.POST)
    if form.is_valid():
        try:
            services.kandidat_sg_decide(
                kandidat=k,
                recommended=form.cleaned_data["recommended"],
                decided_on=form.cleaned_data["decided_on"],
                paragraph=form.cleaned_data["paragraph"],
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Styrgruppens beslut är registrerat.")
            return redirect(k)
    return _detail(request, k, scope, forms={"styrgrupp": form}, status=400)


@require_POST
def forbundsstyrelsen(request, pk):
    """The national board's decision; a yes makes the area take part (one action)."""
    k, scope = get_kandidat_or_404(request.user, pk, write=True)
    form = ForbundsstyrelsenForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["yes"]:
                services.kandidat_delta(
                    kandidat=k,
                    decided_on=data["decided_on"],
                    joined_on=data["joined_on"],
                    samordnare=data["samordnare"],
                    user=request.user,
                    request=request,
                )
                done = f"{k.nuts_omrade} deltar i projektet från {data['joined_on']}."
            else:
                services.kandidat_reject(
                    kandidat=k, decided_on=data["decided_on"], user=request.user, request=request
                )
                done = "Förbundsstyrelsens nej är registrerat."
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(k)
    return _detail(request, k, scope, forms={"fs": form}, status=400)


def samordnare(request, pk):
    """The candidate coordinator against the requirement profile (personal data: the
    project leader and the steering group only)."""
    k, scope = get_kandidat_or_404(request.user, pk, write=request.method == "POST")
    krav = list(Krav.objects.filter(active=True))
    rows = []
    if k.samordnare_id:
        rows = list(Kravbedomning.objects.filter(kandidat=k, person_id=k.samordnare_id))
    editable = (
        scope.edits_utveckling
        and k.samordnare_id is not None
        and k.status in (Status.BEDOMS, Status.FORESLAGEN)
    )
    form = None
    status = 200
    if editable:
        form = KravbedomningForm(
            request.POST or None, krav=krav, initial=KravbedomningForm.initial_for(rows)
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, "Samordnarbedömningen kan inte ändras nu.")
            return redirect("utveckling:samordnare", pk=k.pk)
        if form.is_valid():
            try:
                services.kravbedomning_save(
                    kandidat=k, values=form.values(), user=request.user, request=request
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Samordnarbedömningen är sparad.")
                return redirect("utveckling:samordnare", pk=k.pk)
        status = 400
    by_krav = {b.krav_id: b for b in rows}
    ctx = {
        "k": k,
        "form": form,
        "rows": [
            {
                "krav": kr,
                "score": getattr(by_krav.get(kr.pk), "score", None),
                "comment": getattr(by_krav.get(kr.pk), "comment", ""),
            }
            for kr in krav
        ],
    }
    return render(request, "utveckling/samordnare.html", ctx, status=status)


def kravprofil(request):
    """The requirement profile for regional coordinators: the project leader edits it (each
    change in the trail); the steering group reads it."""
    scope = require_utveckling(request.user, write=request.method == "POST")
    formset = None
    status = 200
    if scope.edits_utveckling:
        formset = KravFormSet(request.POST or None, queryset=Krav.objects.all())
    if request.method == "POST":
        if formset.is_valid():
            services.kravprofil_save(formset=formset, user=request.user, request=request)
            messages.success(request, "Kravprofilen är sparad.")
            return redirect("utveckling:kravprofil")
        status = 400
    ctx = {"formset": formset, "krav": Krav.objects.all()}
    return render(request, "utveckling/kravprofil.html", ctx, status=status)


def jamfor(request, year):
    """Every candidate of a start year side by side: scores per criterion, departments,
    members, key figures. A constant number of queries."""
    require_utveckling(request.user)
    kandidater = list(
        Kandidat.objects.of_year(year).prefetch_related(
            Prefetch("kriterier", queryset=Kriteriebedomning.objects.order_by())
        )
    )
    if not kandidater:
        raise Http404("Inga kandidater det året.")
    fyear = underlag.figures_year()
    areas = underlag.area_figures([k.nuts_omrade_id for k in kandidater], year=fyear)
    columns = []
    for k in kandidater:
        scores = {r.kriterium: r.score for r in k.kriterier.all()}
        known = [s for s in scores.values() if s is not None]
        columns.append(
            {
                "k": k,
                "scores": [scores.get(key) for key in Kriterium.values],
                "total": sum(known),
                "scored": len(known),
                "area": areas[k.nuts_omrade_id],
            }
        )
    figure_rows = [
        {"label": f["label"], "values": [c["area"]["figures"][i]["value"] for c in columns]}
        for i, f in enumerate(columns[0]["area"]["figures"])
    ]
    ctx = {
        "year": year,
        "columns": columns,
        "criteria": [
            {"label": underlag.breakable(label), "scores": [c["scores"][i] for c in columns]}
            for i, (_key, label) in enumerate(Kriterium.choices)
        ],
        "figure_rows": figure_rows,
        "figures_year": fyear,
        "years": sorted(set(Kandidat.objects.values_list("year", flat=True)), reverse=True),
    }
    return render(request, "utveckling/jamfor.html", ctx)
