"""The goals' contract with the annual report (rapporter): what the report may read of mal.

The report reads mal only through these functions, never mal's models, so mal can change
its tables without the report knowing. Each makes a constant number of queries whatever
the number of rows, and returns only JSON-serialisable values.

- ``goal_tree()``: the project goals and activity goals the report is organised by.
- ``report_data(year=, nuts_ids=None)``: the year's commitments with their targets,
  actuals and latest follow-up status; counts per activity goal; the indicators summed.
- ``commitment_outcome(commitment)``: the outcome code of one of report_data's commitments.
- ``trend_data(first_year=, last_year=, nuts_ids=None)``: commitment counts per year.
- ``commitment_gaps(year=, nuts_ids=None)``: per owner, what is unfinished before the year's
  report is compiled (drafts, submitted, approved without a full-year follow-up), each with
  the address of the owner's year page; and the address of the review queue.
- ``goal_counts(year=, nuts_ids=None)``: report_data's counts per activity goal, alone (the
  report's change from last year).
- ``guidance(maturities=)``: the maturity guidance (minimum commitments per department
  under each project goal) for an area's years in the project.

``nuts_ids`` restricts to commitments of the areas' departments and of the areas themselves
(national commitments then drop out); None is the whole project.
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from .models import (
    Atagande,
    Malvarde,
    Mognadsriktlinje,
    Projektmal,
    Uppfoljning,
    Uppfoljningsperiod,
    Verksamhetsmal,
    owner_year_url,
)
from .progress import latest_actual_values, latest_status_subquery, share

GOALS = [str(n) for n in range(1, 9)]
OUTCOMES = ("achieved", "at_risk", "not_achieved")


def _f(value):
    return float(value) if value is not None else None


def goal_tree():
    """{"projektmal": [{"number", "title", "heading", "goals": [activity goal numbers]}],
    "goals": [{"number", "title", "projektmal": its project goal's number}]}, by number.
    Two queries."""
    projektmal = list(Projektmal.objects.order_by("number"))
    goals = list(Verksamhetsmal.objects.select_related("projektmal").order_by("number"))
    goals_of = {p.pk: [] for p in projektmal}
    for g in goals:
        goals_of[g.projektmal_id].append(g.number)
    return {
        "projektmal": [
            {"number": p.number, "title": p.title, "heading": p.heading, "goals": goals_of[p.pk]}
            for p in projektmal
        ],
        "goals": [
            {"number": g.number, "title": g.title, "projektmal": g.projektmal.number} for g in goals
        ],
    }


def report_data(*, year, nuts_ids=None):
    """{"commitments": [...], "by_goal": {"1".."8": counts}, "indicators": [...]}.

    A commitment: id, owner (label), owner_type, nuts_code (its area, None for national),
    avdelning (name or None), goal (number), title, status (label), status_code, targets.
    A target: indicator, unit, baseline, target, target_women, target_men, actual,
    actual_women, actual_men (the latest actuals of the year), share (actual / target) and
    followup_status (the label of the commitment's latest follow-up status, or None).
    by_goal: total, approved and the outcomes achieved, at_risk, not_achieved. An indicator
    (per indicator, unit and goal): target (every commitment), target_approved, and the
    actuals summed.
    """
    qs = Atagande.objects.filter(year=year)
    if nuts_ids is not None:
        qs = qs.filter(Q(avdelning__nuts_omrade_id__in=nuts_ids) | Q(nuts_omrade_id__in=nuts_ids))
    targets = defaultdict(list)
    rows = Malvarde.objects.filter(atagande__in=qs.values("pk")).select_related("indikator")
    for m in rows.order_by():  # sorted per commitment below, not by the default ordering
        targets[m.atagande_id].append(m)
    actuals = latest_actual_values(qs.values("pk"))
    qs = qs.select_related("verksamhetsmal", "avdelning__nuts_omrade", "nuts_omrade").annotate(
        outcome=latest_status_subquery()
    )
    ataganden = sorted(qs, key=lambda a: (a.verksamhetsmal.number, a.owner_label, a.title, a.pk))

    commitments = []
    by_goal = {
        g: {"total": 0, "approved": 0, "achieved": 0, "at_risk": 0, "not_achieved": 0}
        for g in GOALS
    }
    indicators = {}
    for a in ataganden:
        goal = a.verksamhetsmal.number
        status = str(Uppfoljning.Status(a.outcome).label) if a.outcome else None
        rows = []
        for m in sorted(targets[a.pk], key=lambda m: m.pk):
            actual, actual_women, actual_men = actuals.get(m.pk, (None, None, None))
            rows.append(
                {
                    "indicator": m.indicator_name,
                    "unit": m.unit_label,
                    "baseline": _f(m.baseline),
                    "target": float(m.target),
                    "target_women": _f(m.target_women),
                    "target_men": _f(m.target_men),
                    "actual": _f(actual),
                    "actual_women": _f(actual_women),
                    "actual_men": _f(actual_men),
                    "share": share(actual, m.target),
                    "followup_status": status,
                }
            )
            key = (m.indicator_name, m.unit_label, goal)
            ind = indicators.setdefault(
                key,
                {
                    "indicator": key[0],
                    "unit": key[1],
                    "goal": goal,
                    "target": 0.0,
                    "target_approved": 0.0,
                    "actual": None,
                    "actual_women": None,
                    "actual_men": None,
                },
            )
            # "target" sums every commitment of the year, "target_approved" the approved
            # ones: only those are followed up, so only those have actuals to compare.
            ind["target"] += float(m.target)
            if a.status == Atagande.Status.APPROVED:
                ind["target_approved"] += float(m.target)
            for name in ("actual", "actual_women", "actual_men"):
                value = rows[-1][name]
                if value is not None:
                    ind[name] = (ind[name] or 0.0) + value
        area = a.avdelning.nuts_omrade if a.avdelning_id else a.nuts_omrade
        commitments.append(
            {
                "id": a.pk,
                "owner": a.owner_label,
                "owner_type": a.owner_type,
                "nuts_code": area.code if area else None,
                "avdelning": a.avdelning.name if a.avdelning_id else None,
                "goal": goal,
                "title": a.title,
                "status": a.get_status_display(),
                "status_code": a.status,
                "targets": rows,
            }
        )
        g = by_goal[str(goal)]
        g["total"] += 1
        g["approved"] += a.status == Atagande.Status.APPROVED
        if a.outcome in OUTCOMES:
            g[a.outcome] += 1
    return {
        "commitments": commitments,
        "by_goal": by_goal,
        "indicators": sorted(indicators.values(), key=lambda i: (i["goal"], i["indicator"])),
    }


# The follow-up status as report_data gives it (its label) back to its code.
_FOLLOWUP_CODES = {str(label): code for code, label in Uppfoljning.Status.choices}


def commitment_outcome(commitment):
    """The code of the latest follow-up status ("on_track", "at_risk", "achieved",
    "not_achieved") of one of report_data's commitments, as its targets give it (the same
    on each); None if it has not been followed up, or has no targets to show it."""
    for t in commitment["targets"]:
        if t["followup_status"]:
            return _FOLLOWUP_CODES.get(t["followup_status"])
    return None


def trend_data(*, first_year, last_year, nuts_ids=None):
    """{year: counts} for each year first_year..last_year, from one grouped query: the
    commitments (the same as report_data's by_goal summed over the goals: "total",
    "approved" and the outcomes) and "by_area" {code: {"total", "achieved"}}.

    An area's "achieved" counts, like the report's per-area tallies of report_data's
    commitments, only commitments with at least one target: there the outcome is read
    from the targets' follow-up status. (Approved, followed-up commitments always have
    targets when entered through the app; loaded or imported ones need not.)
    """
    qs = Atagande.objects.filter(year__gte=first_year, year__lte=last_year)
    if nuts_ids is not None:
        qs = qs.filter(Q(avdelning__nuts_omrade_id__in=nuts_ids) | Q(nuts_omrade_id__in=nuts_ids))
    # Grouped by outcome too, rather than counted with FILTER (outcome = ...): PostgreSQL
    # would run the latest-follow-up subquery once per FILTER and row.
    rows = (
        qs.annotate(
            code=Coalesce("avdelning__nuts_omrade__code", "nuts_omrade__code"),
            outcome=latest_status_subquery(),
            measurable=Exists(Malvarde.objects.filter(atagande=OuterRef("pk"))),
        )
        .order_by()
        .values_list("year", "code", "status", "outcome", "measurable")
        .annotate(n=Count("pk"))
    )
    trend = {
        y: {"total": 0, "approved": 0, **dict.fromkeys(OUTCOMES, 0), "by_area": {}}
        for y in range(first_year, last_year + 1)
    }
    for year, code, status, outcome, measurable, n in rows:
        t = trend[year]
        t["total"] += n
        t["approved"] += n if status == Atagande.Status.APPROVED else 0
        if outcome in OUTCOMES:
            t[outcome] += n
        if code is not None:  # national commitments count only in the totals
            area = t["by_area"].setdefault(code, {"total": 0, "achieved": 0})
            area["total"] += n
            area["achieved"] += n if outcome == "achieved" and measurable else 0
    return trend


def commitment_gaps(*, year, nuts_ids=None):
    """What is unfinished in the year's commitments, for the report's readiness list.

    {"owners": [...], "review_url": the review queue's address}. An owner (a department,
    an area, or the national level) appears when it has any of: ``drafts`` (draft or
    returned: not yet submitted), ``submitted`` (waiting for review), ``without_full_year``
    (approved, but no follow-up in the year's full-year period). Each: owner (label),
    owner_type, nuts_code (its area, None for national), url (its year page), and the three
    counts. National first, then the areas by code, then the departments by name. One query.
    """
    qs = Atagande.objects.filter(year=year)
    if nuts_ids is not None:
        qs = qs.filter(Q(avdelning__nuts_omrade_id__in=nuts_ids) | Q(nuts_omrade_id__in=nuts_ids))
    full_year = Uppfoljning.objects.filter(
        atagande=OuterRef("pk"), period__year=year, period__kind=Uppfoljningsperiod.Kind.HELAR
    )
    rows = (
        qs.annotate(followed_up=Exists(full_year))
        # Names in Swedish order by the database's collation (both are grouped on anyway).
        .order_by("nuts_omrade__code", "avdelning__name")
        .values_list(
            "avdelning_id",
            "avdelning__name",
            "avdelning__nuts_omrade__code",
            "nuts_omrade__code",
            "nuts_omrade__name",
            "status",
            "followed_up",
        )
        .annotate(n=Count("pk"))
    )
    owners = {}
    S = Atagande.Status
    for avd_id, avd_name, avd_area, area_code, area_name, status, followed_up, n in rows:
        key = (avd_id, area_code)
        owner = owners.get(key)
        if owner is None:
            owner_type = "avdelning" if avd_id else "omrade" if area_code else "nationell"
            owner = owners[key] = {
                "owner": avd_name or (f"{area_code} {area_name}" if area_code else "Nationellt"),
                "owner_type": owner_type,
                "nuts_code": avd_area or area_code,
                "url": owner_year_url(year, avd_id, area_code),
                "drafts": 0,
                "submitted": 0,
                "without_full_year": 0,
            }
        if status in (S.DRAFT, S.RETURNED):
            owner["drafts"] += n
        elif status == S.SUBMITTED:
            owner["submitted"] += n
        elif status == S.APPROVED and not followed_up:
            owner["without_full_year"] += n
    order = {"nationell": 0, "omrade": 1, "avdelning": 2}
    listed = [o for o in owners.values() if o["drafts"] or o["submitted"] or o["without_full_year"]]
    listed.sort(key=lambda o: order[o["owner_type"]])  # stable: the names stay in order
    return {"owners": listed, "review_url": reverse("mal:granskning")}


def goal_counts(*, year, nuts_ids=None):
    """{"1".."8": {"total", "approved", "achieved", "at_risk", "not_achieved"}}: the same
    counts as report_data's by_goal, from one grouped query (no commitments or targets
    built), for the report's comparison with last year."""
    qs = Atagande.objects.filter(year=year)
    if nuts_ids is not None:
        qs = qs.filter(Q(avdelning__nuts_omrade_id__in=nuts_ids) | Q(nuts_omrade_id__in=nuts_ids))
    # Grouped by outcome rather than counted with FILTER, as in trend_data.
    rows = (
        qs.annotate(outcome=latest_status_subquery())
        .order_by()
        .values_list("verksamhetsmal__number", "status", "outcome")
        .annotate(n=Count("pk"))
    )
    by_goal = {g: {"total": 0, "approved": 0, **dict.fromkeys(OUTCOMES, 0)} for g in GOALS}
    for number, status, outcome, n in rows:
        g = by_goal[str(number)]
        g["total"] += n
        g["approved"] += n if status == Atagande.Status.APPROVED else 0
        if outcome in OUTCOMES:
            g[outcome] += n
    return by_goal


def guidance(*, maturities):
    """{maturity: {project goal number: minimum}} for each of the maturities (years in the
    project), as Mognadsriktlinje.for_maturity reads the rules: each project goal's rule
    holds from the year it names until a later year's rule takes over. One query; an
    empty dict for a maturity without rules (or None)."""
    wanted = sorted({m for m in maturities if m})
    if not wanted:
        return {}
    rules = (
        Mognadsriktlinje.objects.filter(maturity__lte=wanted[-1])
        .order_by("maturity")
        .values_list("maturity", "projektmal__number", "min_commitments")
    )
    rules = list(rules)
    out = {}
    for m in wanted:
        minimums = {}
        for maturity, number, minimum in rules:
            if maturity <= m:
                minimums[number] = minimum
        out[m] = minimums
    return out
