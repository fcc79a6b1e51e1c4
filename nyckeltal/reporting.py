"""The key figures' contract: what the comparison page, the candidate-area assessment and
the annual report may read of nyckeltal. They read it only through this module.

The same figures for every department and year, pilot or not (issue 16 §3):

- ``FIGURES``: the figures in their order, each ``Figure(key, label, unit, source)``;
  ``source`` is "register" (counted from the register) or "inmatad" (entered by the
  department, or by the working-life unit outside the pilot). ``SOURCES`` says, per key,
  where the number comes from in words a user reads beside it.
- ``key_figures(*, years, avdelning_ids=None)``: {department id: {year: {key: value}}}
  for every department asked for (None: all) and every year asked for; a value is an
  int (a bool for the two yes/no figures) or None where it is not known. A constant
  number of queries whatever the number of departments and years.
- ``pilot_years(*, years)``: {department id: the year its area joined the project, or
  None when the area takes part in none of the years}.
- ``comparison_data(*, years, nuts_id=None)``: the comparison (nyckeltal/comparison.py)
  of every figure over the years, as plain values the annual report's snapshot keeps.

How each figure is counted for a department D and a year Y (a period "during Y" overlaps
1 January–31 December; an open end runs on):

- members: D's active members on 1 January Y (Medlemsantal); None when not recorded.
- workplaces, clubs: the register has no dates for them. For this year, D's count in the
  register now. For a year that has passed, the number kept with Y's figures: the
  register's count when Y's figures were last saved during Y, or what was entered for Y
  afterwards; None when neither.
- workplaces_change_started, skills_women, skills_men: entered for Y; None when not.
- labour_market_committee: D has a labour-market committee or working group (Kommitte of
  type arbetsmarknadskommitté or arbetsgrupp) with a member during Y.
- labour_market_officer: someone held the assignment "arbetsmarknadsansvarig ombudsman"
  for D during Y.
- change_leaders: the people holding the assignment "förändringsledare" for D during Y.
- forum_seats: the union's seats in cooperation forums held during Y by people with an
  assignment in D during Y (aktiviteter.reporting.department_register_counts).
- fund_projects: structural-fund projects D is in that run during Y (the register holds
  projects in which IF Metall has a role: initiator, partner, steering or reference group).

A year after this one has no figures yet: every value is None.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils import timezone

from aktiviteter.reporting import department_register_counts
from avdelningar.models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Medlemsantal,
    Roll,
    Uppdrag,
)

from .models import ENTERED, Nyckeltal


class Figure(NamedTuple):
    key: str
    label: str
    unit: str
    source: str  # "register" or "inmatad"


REGISTER, ENTERED_SOURCE = "register", "inmatad"

FIGURES = [
    Figure("members", "Aktiva medlemmar 1 januari", "medlemmar", REGISTER),
    Figure("workplaces", "Arbetsplatser", "arbetsplatser", REGISTER),
    Figure("clubs", "Klubbar", "klubbar", REGISTER),
    Figure(
        "workplaces_change_started",
        "Arbetsplatser där förändringsarbete (Hållbart arbete) har startat",
        "arbetsplatser",
        ENTERED_SOURCE,
    ),
    Figure("skills_women", "Arbetare i kompetensutveckling, kvinnor", "personer", ENTERED_SOURCE),
    Figure("skills_men", "Arbetare i kompetensutveckling, män", "personer", ENTERED_SOURCE),
    Figure("labour_market_committee", "Arbetsmarknadskommitté", "ja/nej", REGISTER),
    Figure("labour_market_officer", "Arbetsmarknadsansvarig ombudsman utsedd", "ja/nej", REGISTER),
    Figure("change_leaders", "Förändringsledare", "personer", REGISTER),
    Figure("forum_seats", "Platser i samverkansforum", "platser", REGISTER),
    Figure("fund_projects", "Strukturfondsprojekt med IF Metall som partner", "projekt", REGISTER),
]
KEYS = [f.key for f in FIGURES]
BY_KEY = {f.key: f for f in FIGURES}

SOURCES = {
    "members": "Medlemsantalet 1 januari i registret.",
    "workplaces": "Arbetsplatserna i registret (i år); för ett tidigare år det antal som "
    "sparades med årets nyckeltal.",
    "clubs": "Klubbarna i registret (i år); för ett tidigare år det antal som sparades med "
    "årets nyckeltal.",
    "workplaces_change_started": "Inmatat av avdelningen för året.",
    "skills_women": "Inmatat av avdelningen för året.",
    "skills_men": "Inmatat av avdelningen för året.",
    "labour_market_committee": "En arbetsmarknadskommitté eller arbetsgrupp med ledamöter "
    "under året, i registrets kommittéer.",
    "labour_market_officer": "Ett uppdrag som arbetsmarknadsansvarig ombudsman under året.",
    "change_leaders": "Personer med uppdrag som förändringsledare under året.",
    "forum_seats": "Förbundets platser i samverkansforum som avdelningens personer har haft "
    "under året (forumregistret).",
    "fund_projects": "Strukturfondsprojekt med avdelningen som har pågått under året "
    "(projektregistret).",
}

COMMITTEE_TYPES = [Kommitte.Typ.ARBETSMARKNADSKOMMITTE, Kommitte.Typ.ARBETSGRUPP]


def _during(year: int, prefix: str = "") -> Q:
    """A period (start, end) that overlaps the year; an open end runs on."""
    return Q(**{f"{prefix}start__lte": f"{year}-12-31"}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": f"{year}-01-01"})
    )


def key_figures(
    *, years: Iterable[int], avdelning_ids: Iterable[int] | None = None
) -> dict[int, dict[int, dict[str, int | bool | None]]]:
    """{department id: {year: {key: value}}}, keys in FIGURES' order (see the module's
    docstring for each figure). Ten queries whatever the number of departments and
    years (fewer when there is nothing to count); departments that do not exist are left
    out."""
    years = sorted(set(years))
    this_year = timezone.localdate().year
    departments = Avdelning.objects.order_by()
    if avdelning_ids is not None:
        departments = departments.filter(pk__in=list(avdelning_ids))
    ids = list(departments.values_list("pk", flat=True))
    out = {pk: {y: dict.fromkeys(KEYS) for y in years} for pk in ids}
    past = [y for y in years if y <= this_year]
    if not ids or not past:
        return out

    members = Medlemsantal.objects.filter(avdelning_id__in=ids, year__in=past)
    for pk, year, n in members.values_list("avdelning_id", "year", "active_members"):
        out[pk][year]["members"] = n

    entered = Nyckeltal.objects.filter(avdelning_id__in=ids, year__in=past)
    for row in entered.values("avdelning_id", "year", *ENTERED):
        figures = out[row["avdelning_id"]][row["year"]]
        for key in ENTERED:
            figures[key] = row[key]

    if this_year in past:
        # Workplaces and clubs have no dates: this year's are the register's count.
        for model, key in ((Arbetsplats, "workplaces"), (Klubb, "clubs")):
            counts = dict(
                model.objects.filter(avdelning_id__in=ids)
                .order_by()
                .values("avdelning_id")
                .annotate(n=Count("pk"))
                .values_list("avdelning_id", "n")
            )
            for pk in ids:
                out[pk][this_year][key] = counts.get(pk, 0)

    committees = _per_year(
        KommitteLedamot.objects.filter(
            kommitte__avdelning_id__in=ids, kommitte__typ__in=COMMITTEE_TYPES
        ),
        "kommitte__avdelning_id",
        {"committee": lambda y: Count("pk", filter=_during(y))},
        past,
    )
    assignments = _per_year(
        Uppdrag.objects.filter(
            avdelning_id__in=ids, role__in=[Roll.ARBETSMARKNADSANSVARIG, Roll.FORANDRINGSLEDARE]
        ),
        "avdelning_id",
        {
            "officer": lambda y: Count(
                "pk", filter=Q(role=Roll.ARBETSMARKNADSANSVARIG) & _during(y)
            ),
            "leaders": lambda y: Count(
                "person_id", distinct=True, filter=Q(role=Roll.FORANDRINGSLEDARE) & _during(y)
            ),
        },
        past,
    )
    register = department_register_counts(years=past, avdelning_ids=ids)
    for pk in ids:
        for y in past:
            figures = out[pk][y]
            figures["labour_market_committee"] = committees[pk][y]["committee"] > 0
            figures["labour_market_officer"] = assignments[pk][y]["officer"] > 0
            figures["change_leaders"] = assignments[pk][y]["leaders"]
            counts = register.get(pk, {}).get(y, {})
            figures["forum_seats"] = counts.get("forum_seats", 0)
            figures["fund_projects"] = counts.get("fund_projects", 0)
    return out


def _per_year(qs, group, counts, years):
    """{group value: {year: {name: n}}} (0 where no row): one GROUP BY with a filtered
    count per name and year."""
    rows = (
        qs.order_by()
        .values(group)
        .annotate(**{f"{name}_{y}": make(y) for name, make in counts.items() for y in years})
    )
    out = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(counts, 0)))
    for row in rows:
        for y in years:
            out[row[group]][y] = {name: row[f"{name}_{y}"] for name in counts}
    return out


def pilot_years(*, years: Iterable[int]) -> dict[int, int | None]:
    """{department id: the year its area first joined the project, or None}: for the
    departments of an area that takes part in any of the years, the joining year of the
    earliest such participation; None for the others (never in the pilot during those
    years). Two queries."""
    years = sorted(set(years))
    joined = {}
    for d in Deltagande.objects.order_by("joined_on"):
        if any(d.covers_year(y) for y in years):
            joined.setdefault(d.nuts_omrade_id, d.joined_on.year)
    return {
        pk: joined.get(nuts_id)
        for pk, nuts_id in Avdelning.objects.order_by().values_list("pk", "nuts_omrade_id")
    }


def _plain(value):
    return None if value is None else round(value, 4)


def comparison_data(*, years: Iterable[int], nuts_id: int | None = None) -> dict:
    """The comparison page's numbers for every figure (FIGURES' order), JSON-able, for
    the annual report: {"years", "caveat", "groups" {group: label}, "figures": [{"key",
    "label", "unit", "yes_no", "count", "by_year": [{"year", "pilot"|"before"|"others":
    {"n", "total", "mean", "per_1000"}}], "areas": [{"code", "name", "joined",
    "departments", "before_years", "after_years", "area_before", "others_before",
    "area_after", "others_after", "did", "missing"}]}]}. Computed by
    comparison.comparisons_compute (the page's computation); means rounded to four
    decimals. Thirteen queries."""
    from . import comparison  # it imports this module

    years = sorted(set(years))
    computed = comparison.comparisons_compute(keys=KEYS, years=years, nuts_id=nuts_id)
    figures = []
    for f in FIGURES:
        comp = computed[f.key]
        figures.append(
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "yes_no": comp.yes_no,
                "count": comp.count,
                "by_year": [
                    {
                        "year": y,
                        **{
                            g: {
                                "n": cell.n,
                                "total": cell.total,
                                "mean": _plain(cell.mean),
                                "per_1000": _plain(cell.per_1000),
                            }
                            for g, cell in comp.by_year[y].items()
                        },
                    }
                    for y in comp.years
                ],
                "areas": [
                    {
                        "code": a.code,
                        "name": a.name,
                        "joined": a.joined,
                        "departments": a.departments,
                        "before_years": a.before_years,
                        "after_years": a.after_years,
                        "area_before": _plain(a.area_before),
                        "others_before": _plain(a.others_before),
                        "area_after": _plain(a.area_after),
                        "others_after": _plain(a.others_after),
                        "did": _plain(a.did),
                        "missing": a.missing,
                    }
                    for a in comp.areas
                ],
            }
        )
    return {
        "years": years,
        "caveat": comparison.CAVEAT,
        "groups": dict(comparison.GROUP_LABELS),
        "figures": figures,
    }
