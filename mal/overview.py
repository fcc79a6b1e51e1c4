"""The commitment overviews' figures: a department's year, an area's and the national
matrix, the indicator table, the review queue, and the rows their exports write.

Read functions, beside reporting.py (which serves the annual report): the views in
views/oversikter.py check the user's right, call these and render. Each one issues the
same queries whatever the number of rows (tests/performance pins them).
"""

from collections import defaultdict

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from avdelningar.access import Scope
from avdelningar.models import Avdelning, Deltagande, NutsOmrade

from .models import Atagande, Malvarde, Mognadsriktlinje, Projektmal, Utfall, Verksamhetsmal
from .progress import annotate, percent, progress_subquery

ROW_HEADER = ["Ägare", "År", "Mål", "Rubrik", "Status", "Indikator", "Enhet", "Målvärde", "Utfall"]


def commitment_rows(ataganden):
    """The export's rows of annotated commitments: one per target, or one with no target."""
    for a in ataganden:
        base = [a.owner_label, a.year, a.verksamhetsmal.number, a.title, a.get_status_display()]
        if not a.rows:
            yield [*base, "", "", None, None]
        for m, u, _ in a.rows:
            yield [*base, m.indicator_name, m.unit_label, m.target, u.actual if u else None]


# --- the years an area takes part, and its maturity ----------------------------------


def _participations(nuts_id=None):
    """The areas' participations (one area's, or all), fetched once for a page's year
    links and its year's participation."""
    qs = Deltagande.objects.all()
    if nuts_id:
        qs = qs.filter(nuts_omrade_id=nuts_id)
    return list(qs)


def _years(deltaganden):
    years = set()
    this = timezone.localdate().year
    for d in deltaganden:
        end = d.left_on.year if d.left_on else this + 1
        years.update(range(d.joined_on.year, end + 1))
    return sorted(years)


def _deltagande(deltaganden, year):
    for d in deltaganden:
        if d.covers_year(year):
            return d
    return None


def _area_year(nuts_id, year):
    """(the area's participations, its participation this year or None, its maturity)."""
    deltaganden = _participations(nuts_id)
    deltagande = _deltagande(deltaganden, year)
    return deltaganden, deltagande, deltagande.maturity(year) if deltagande else None


def _goals():
    """[(projektmal, [its verksamhetsmal])] in one query."""
    goals = {}
    for vm in Verksamhetsmal.objects.select_related("projektmal").order_by(
        "projektmal__number", "number"
    ):
        goals.setdefault(vm.projektmal, []).append(vm)
    return list(goals.items())


def _groups(ataganden):
    """The three project goals with their activity goals and the commitments under each."""
    by_goal = defaultdict(list)
    for a in ataganden:
        by_goal[a.verksamhetsmal_id].append(a)
    groups = []
    for pm in Projektmal.objects.prefetch_related("verksamhetsmal"):
        goals = [(vm, by_goal[vm.pk]) for vm in pm.verksamhetsmal.all()]
        groups.append((pm, goals, sum(len(c) for _, c in goals)))
    return groups


# --- a department's year ---------------------------------------------------------------


def department_commitments(*, avdelning: Avdelning, year: int) -> list[Atagande]:
    """The department's commitments of the year, annotated (progress.annotate)."""
    return annotate(
        Atagande.objects.filter(avdelning=avdelning, year=year).select_related(
            "verksamhetsmal", "avdelning"
        )
    )


def department_year(*, avdelning: Avdelning, year: int, ataganden: list[Atagande]) -> dict:
    """The department page's figures: its commitments grouped under the project goals,
    each group against the maturity guidance, and its area's shared commitments."""
    deltaganden, deltagande, maturity = _area_year(avdelning.nuts_omrade_id, year)
    guidance = Mognadsriktlinje.for_maturity(maturity)
    groups = [
        (pm, goals, n, guidance.get(pm.pk), guidance.get(pm.pk, 0) > n)
        for pm, goals, n in _groups(ataganden)
    ]
    area = annotate(
        Atagande.objects.filter(nuts_omrade_id=avdelning.nuts_omrade_id, year=year).select_related(
            "verksamhetsmal", "nuts_omrade"
        )
    )
    return {
        "years": _years(deltaganden),
        "in_project": deltagande is not None,
        "maturity": maturity,
        "groups": groups,
        "area_ataganden": area,
    }


# --- an area's year --------------------------------------------------------------------


def area_commitments(*, nuts: NutsOmrade, avdelningar: list[Avdelning], year: int) -> QuerySet:
    """The year's commitments of the area and of those of its departments the user sees."""
    return Atagande.objects.filter(
        Q(avdelning__in=avdelningar) | Q(nuts_omrade=nuts), year=year
    ).select_related("verksamhetsmal", "avdelning", "nuts_omrade")


def area_year(
    *, nuts: NutsOmrade, avdelningar: list[Avdelning], year: int, commitments: QuerySet
) -> dict:
    """The area page's figures: a matrix of its departments against the activity goals,
    each cell the department's commitments under that goal with their progress, each row
    with its shortfalls against the maturity guidance; and the area's shared commitments."""
    # The matrix shows each department commitment's status and progress: the progress
    # comes from SQL, without building every target and actual in Python (docs/performance.md).
    ataganden = list(
        commitments.filter(avdelning__isnull=False).annotate(progress=progress_subquery())
    )
    for a in ataganden:
        a.progress_pct = percent(a.progress)
    deltaganden, deltagande, maturity = _area_year(nuts.pk, year)
    guidance = Mognadsriktlinje.for_maturity(maturity)
    goals = _goals()
    vms = [vm for _, pm_vms in goals for vm in pm_vms]
    cells = defaultdict(list)
    for a in ataganden:
        cells[(a.avdelning_id, a.verksamhetsmal_id)].append(a)
    matrix = []
    for avd in avdelningar:
        row = [cells[(avd.pk, vm.pk)] for vm in vms]
        shortfalls = []
        for pm, pm_vms in goals:
            n = sum(len(cells[(avd.pk, vm.pk)]) for vm in pm_vms)
            if guidance.get(pm.pk, 0) > n:
                shortfalls.append(f"{pm.title}: {n} av minst {guidance[pm.pk]}")
        matrix.append((avd, row, shortfalls))
    return {
        "years": _years(deltaganden),
        "maturity": maturity,
        "vms": vms,
        "matrix": matrix,
        "area_ataganden": annotate(commitments.filter(avdelning__isnull=True)),
        "in_project": deltagande is not None,
    }


# --- the national year -----------------------------------------------------------------


def national_commitments(*, year: int) -> QuerySet:
    return Atagande.objects.filter(year=year).select_related(
        "verksamhetsmal", "avdelning", "nuts_omrade"
    )


def national_year(*, year: int, commitments: QuerySet) -> dict:
    """The national page's figures: a matrix of the areas in the project against the
    activity goals (commitments, approved ones, mean progress), each area with its
    maturity; and the national commitments."""
    areas = list(NutsOmrade.objects.filter(deltaganden__isnull=False).distinct())
    participations = _participations()
    deltaganden = {d.nuts_omrade_id: d for d in participations if d.covers_year(year)}
    vms = [vm for _, pm_vms in _goals() for vm in pm_vms]
    # Counted in SQL (GROUP BY area and goal): building every commitment of the year with
    # its targets and actuals in Python took 300+ ms on ten years of data (docs/performance.md).
    cells = {
        (c["area"], c["verksamhetsmal_id"]): c
        for c in Atagande.objects.filter(year=year)
        .annotate(
            area=Coalesce("avdelning__nuts_omrade_id", "nuts_omrade_id"),
            progress=progress_subquery(),
        )
        .order_by()
        .values("area", "verksamhetsmal_id")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(status=Atagande.Status.APPROVED)),
            mean=Avg("progress"),
        )
    }
    matrix = []
    for area in areas:
        row = []
        for vm in vms:
            c = cells.get((area.pk, vm.pk), {"total": 0, "approved": 0, "mean": None})
            row.append({"total": c["total"], "approved": c["approved"], "pct": percent(c["mean"])})
        d = deltaganden.get(area.pk)
        matrix.append((area, d.maturity(year) if d else None, row))
    return {
        "years": _years(participations),
        "vms": vms,
        "matrix": matrix,
        "national": annotate(commitments.filter(avdelning__isnull=True, nuts_omrade__isnull=True)),
    }


# --- indicators and the review queue ---------------------------------------------------

INDICATOR_COLUMNS = {"mal": "mål", "halvar": "halvår", "helar": "helår"}


def indicator_table(*, scope: Scope) -> tuple[list[str], list[list]]:
    """(header, rows): target against actual per indicator over the years, sums over the
    approved commitments the user may see, targets and actuals alike (only approved
    commitments are followed up, so a draft's target has no actual to be set against)."""
    visible = Atagande.objects.visible_to(scope).filter(status=Atagande.Status.APPROVED)
    targets = (
        Malvarde.objects.filter(atagande__in=visible)
        .values("indikator__name", "indikator__unit", "name", "unit", "atagande__year")
        .annotate(total=Sum("target"))
    )
    actuals = (
        Utfall.objects.filter(malvarde__atagande__in=visible, actual__isnull=False)
        .values(
            "malvarde__indikator__name",
            "malvarde__indikator__unit",
            "malvarde__name",
            "malvarde__unit",
            "uppfoljning__period__year",
            "uppfoljning__period__kind",
        )
        .annotate(total=Sum("actual"))
    )
    table = defaultdict(dict)
    years = set()
    for t in targets:
        key = (t["indikator__name"] or t["name"], t["unit"] or t["indikator__unit"] or "")
        table[key][(t["atagande__year"], "mal")] = t["total"]
        years.add(t["atagande__year"])
    for u in actuals:
        key = (
            u["malvarde__indikator__name"] or u["malvarde__name"],
            u["malvarde__unit"] or u["malvarde__indikator__unit"] or "",
        )
        year = u["uppfoljning__period__year"]
        table[key][(year, u["uppfoljning__period__kind"])] = u["total"]
        years.add(year)
    columns = [(y, k) for y in sorted(years) for k in INDICATOR_COLUMNS]
    header = ["Indikator", "Enhet"] + [f"{y} {INDICATOR_COLUMNS[k]}" for y, k in columns]
    rows = [
        [name, unit] + [values.get(c) for c in columns]
        for (name, unit), values in sorted(table.items())
    ]
    return header, rows


def review_queue(*, scope: Scope) -> list[Atagande]:
    """Submitted commitments this user may approve or return, oldest first, annotated."""
    return annotate(
        Atagande.objects.awaiting_review(scope)
        .select_related("verksamhetsmal", "avdelning", "nuts_omrade")
        .order_by("submitted_at", "pk")
    )
