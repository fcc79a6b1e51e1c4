"""Gathering the report's numbers into one JSON-able dict: the frozen snapshot.

Everything the HTML, PDF and XLSX show comes from this dict and nothing else, so the three
agree and a compiled version never changes. The goals and activities are read only through
the two apps' contracts, ``mal.reporting`` and ``aktiviteter.reporting`` (never their models):
the report year's numbers from ``report_data``, the trend's from ``trend_data``, which groups
by year, so a constant number of queries however many years; last year's counts per goal
(the front page's change) from ``goal_counts``, the maturity guidance from ``guidance``.
The organisation (areas, departments) and the report's own rows (costs, narratives) are
read directly.
"""

import datetime
from collections import Counter, defaultdict

from django.utils import timezone

from aktiviteter import reporting as aktiviteter_reporting
from avdelningar.models import Avdelning, Deltagande, Projektbeslut
from larande import reporting as larande_reporting
from mal import reporting as mal_reporting
from natverk import reporting as natverk_reporting
from nyckeltal import reporting as nyckeltal_reporting
from utveckling import reporting as utveckling_reporting

from . import kostnad
from .models import Berattelse, Rapportversion

# 3: the goals' on-track count, the areas' forums, fund projects and guideline, and
# last year's counts per goal (previous_year), for the front page.
# 4: the national activities apart (national) and the comparison with the departments
# outside the pilot (comparison, the steering group's edition).
# 5: the analysis meetings (larande), new areas (utveckling), the decision log
# (beslutslogg) and an area's network map (natverk, the steering group's area edition).
SCHEMA = 5
GOAL_KEYS = [str(n) for n in range(1, 9)]
OUTCOMES = ("achieved", "at_risk", "not_achieved")
TALLY_KEYS = ("total", "approved", "achieved", "at_risk", "not_achieved", "targets", "targets_met")

# The key figures compared with the previous approved version, in this order.
KEY_FIGURES = [
    ("commitments", "Åtaganden (alla, oavsett status)"),
    ("commitments_approved", "Godkända åtaganden"),
    ("commitments_achieved", "Uppnådda åtaganden"),
    ("commitments_at_risk", "Åtaganden i riskzonen"),
    ("commitments_not_achieved", "Ej uppnådda åtaganden"),
    ("activities", "Aktiviteter"),
    ("participants_women", "Deltagare, kvinnor"),
    ("participants_men", "Deltagare, män"),
    ("participants_other", "Deltagare, annat"),
    ("forums", "Samverkansforum"),
    ("forums_with_seat", "Forum med plats för IF Metall"),
    ("forums_initiated", "Forum som IF Metall initierat"),
    ("fund_projects", "Strukturfondsprojekt"),
    ("cost_total", "Projektkostnad (kr)"),
    ("cost_national", "Förbundets del (kr)"),
    ("cost_departments", "Avdelningarnas del (kr)"),
]


def gather(*, year, nuts_omrade=None, edition):
    """The snapshot dict for a report; raises ValueError if no area participates.

    Each section comes from its own function below; this one reads what several share
    (the areas and their departments, the two apps' report_data, the goals) once and
    assembles them.
    Queries: a constant number, none per year of the trend, area, commitment or activity.
    """
    nuts_ids = [nuts_omrade.pk] if nuts_omrade else None
    areas = _areas(year, nuts_ids)
    if not areas:
        raise ValueError(f"Inget område deltar i projektet {year}.")
    full = edition == Rapportversion.Edition.STYRGRUPP

    mal_data = mal_reporting.report_data(year=year, nuts_ids=nuts_ids)
    akt_data = aktiviteter_reporting.report_data(year=year, nuts_ids=nuts_ids)
    commitments = [
        {**c, "outcome": mal_reporting.commitment_outcome(c)} for c in mal_data["commitments"]
    ]
    tree = mal_reporting.goal_tree()
    indicators = _indicators(mal_data, commitments)
    allocation = _costs(year, nuts_ids)
    departments = _departments(areas)

    return {
        "schema": SCHEMA,
        "year": year,
        "edition": edition,
        "full": full,
        "area": {"code": nuts_omrade.code, "name": nuts_omrade.name} if nuts_omrade else None,
        "compiled_at": timezone.now().isoformat(),
        "projektmal": _projektmal(tree, commitments),
        "goals": _goals(tree, mal_data, akt_data, commitments, indicators, full=full),
        "key_figures": _key_figures(mal_data, akt_data, allocation),
        "indicators": indicators,
        "activities": _activities(akt_data),
        "forums": akt_data["forums"],
        "fund_projects": akt_data["fund_projects"],
        "area_details": _area_details(year, areas, tree, commitments, akt_data, departments)
        if full
        else [],
        "areas": _area_rows(year, areas, tree, commitments, akt_data, departments),
        "trend": _trend(year, areas, nuts_ids),
        "costs": allocation,
        "overall": _overall(year),
        "changes": None,
        "previous_year": _previous_year(year, areas, nuts_ids),
        "larande": _larande(year, nuts_ids),
        "utveckling": _utveckling(year, nuts_ids),
        "beslutslogg": _beslutslogg(year, nuts_ids),
        # The national activities and the comparison (issue 16 §2, §4).
        "national": _national(year, akt_data, area=nuts_omrade, full=full),
        "comparison": _comparison(year, areas, nuts_omrade) if full else None,
        # The area's network map (issue 17 §3), the steering group's area edition only.
        "natverk": _natverk(year, nuts_omrade) if full and nuts_omrade else None,
    }


# --- what the sections share ----------------------------------------------------------


def _areas(year, nuts_ids):
    """Areas participating in the year (restricted to nuts_ids): the first participation
    (the year the area joined) and the one covering the year (its coordinator)."""
    by_area = defaultdict(list)
    for d in Deltagande.objects.select_related("nuts_omrade", "samordnare").order_by(
        "nuts_omrade__code", "joined_on"
    ):
        if nuts_ids is None or d.nuts_omrade_id in nuts_ids:
            by_area[d.nuts_omrade_id].append(d)
    areas = []
    for rows in by_area.values():
        covering = [d for d in rows if d.covers_year(year)]
        if covering:
            areas.append({"first": rows[0], "current": covering[-1]})
    return areas


def _code(area):
    return area["current"].nuts_omrade.code


def _departments(areas):
    """The areas' departments, by area and name (one query, both editions)."""
    return list(
        Avdelning.objects.filter(nuts_omrade_id__in=[a["current"].nuts_omrade_id for a in areas])
        .select_related("nuts_omrade")
        .order_by("nuts_omrade__code", "name")
    )


def tally(commitments):
    """Commitments against outcomes for a group of commitments (an area, a department,
    a goal): counts by status and outcome, and how many measurable targets were met."""
    t = dict.fromkeys(TALLY_KEYS, 0)
    for c in commitments:
        t["total"] += 1
        t["approved"] += c["status_code"] == "approved"
        if c["outcome"] in OUTCOMES:
            t[c["outcome"]] += 1
        for target in c["targets"]:
            t["targets"] += 1
            t["targets_met"] += target["share"] is not None and target["share"] >= 1
    return t


def _by(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _year_figures(commitments, activities, fund_projects):
    """The key figures of a year from commitment counts ("total", "approved", outcomes)
    and report_data's or trend_data's activity figures."""
    participants = activities["participants"]
    return {
        "commitments": commitments["total"],
        "commitments_approved": commitments["approved"],
        "commitments_achieved": commitments["achieved"],
        "commitments_at_risk": commitments["at_risk"],
        "commitments_not_achieved": commitments["not_achieved"],
        "activities": activities["total"],
        "participants_women": participants["women"],
        "participants_men": participants["men"],
        "participants_other": participants["other"],
        "forums": activities["forums"]["total"],
        "forums_with_seat": activities["forums"]["with_seat"],
        "forums_initiated": activities["forums"]["initiated"],
        "fund_projects": fund_projects,
    }


# --- the sections ---------------------------------------------------------------------


def _projektmal(tree, commitments):
    """The three project goals, each with its activity goals and their commitments' tally."""
    return [
        {**p, "commitments": tally([c for c in commitments if c["goal"] in p["goals"]])}
        for p in tree["projektmal"]
    ]


def _goals(tree, mal_data, akt_data, commitments, indicators, *, full):
    """The eight activity goals: commitment counts, targets met, activities; the full
    edition lists each goal's commitments too."""
    commitments_by_goal = _by(commitments, "goal")
    indicators_by_goal = _by(indicators, "goal")
    rows = []
    for g in tree["goals"]:
        counts = mal_data["by_goal"].get(str(g["number"]), {})
        own = commitments_by_goal.get(g["number"], [])
        met = tally(own)
        rows.append(
            {
                "number": g["number"],
                "title": g["title"],
                "projektmal": g["projektmal"],
                "commitments": {
                    **{k: counts.get(k, 0) for k in TALLY_KEYS[:5]},
                    "targets": met["targets"],
                    "targets_met": met["targets_met"],
                    # Followed up and on plan: the front page tells "on track" from
                    # "not followed up" (docs/rapport.md, "Framsidan").
                    "on_track": sum(1 for c in own if c["outcome"] == "on_track"),
                },
                "activities": akt_data["by_goal"].get(str(g["number"]), 0),
                "items": commitments_by_goal.get(g["number"], []) if full else [],
                "indicators": indicators_by_goal.get(g["number"], []),
            }
        )
    return rows


def _key_figures(mal_data, akt_data, allocation):
    """The report year's key figures (KEY_FIGURES), compared with the previous version's."""
    totals = Counter()
    for key in GOAL_KEYS:
        totals.update(mal_data["by_goal"].get(key, {}))
    figures = _year_figures(totals, akt_data, len(akt_data["fund_projects"]))
    figures["cost_total"] = allocation["total"]
    figures["cost_national"] = allocation["national"]
    figures["cost_departments"] = allocation["departments_half"]
    return [{"key": key, "label": label, "value": figures[key]} for key, label in KEY_FIGURES]


def _gender_targets(commitments):
    """{(indicator, unit, goal): [target women, target men]} summed like the indicator
    totals (None where no target of the indicator has a split)."""
    sums = {}
    for c in commitments:
        for t in c["targets"]:
            key = (t["indicator"], t["unit"], c["goal"])
            row = sums.setdefault(key, [None, None])
            for i, name in enumerate(("target_women", "target_men")):
                if t[name] is not None:
                    row[i] = (row[i] or 0.0) + t[name]
    return sums


def _indicators(mal_data, commitments):
    """The indicators summed over the commitments, with their gender-split targets."""
    gender = _gender_targets(commitments)
    return [
        {
            **i,
            "target_women": gender.get((i["indicator"], i["unit"], i["goal"]), [None, None])[0],
            "target_men": gender.get((i["indicator"], i["unit"], i["goal"]), [None, None])[1],
        }
        for i in mal_data["indicators"]
    ]


def _activities(akt_data):
    return {
        "total": akt_data["total"],
        "by_area": akt_data["by_area"],
        "by_type": akt_data["by_type"],
        "participants": akt_data["participants"],
        "actors_by_type": akt_data["actors_by_type"],
    }


def _area_details(year, areas, tree, commitments, akt_data, departments):
    """Per area and department (full edition): commitments against outcomes, activities."""
    dept_activities = aktiviteter_reporting.department_counts(year=year)
    by_owner = defaultdict(list)
    for c in commitments:
        by_owner[(c["owner_type"], c["nuts_code"], c["avdelning"])].append(c)
    rows = []
    for area in areas:
        code, nuts = _code(area), area["current"].nuts_omrade
        own = [c for c in commitments if c["nuts_code"] == code]
        akt_goals = akt_data["by_area_goal"].get(code, {})
        rows.append(
            {
                "code": code,
                "name": nuts.name,
                "commitments": tally(own),
                "area_commitments": tally(by_owner.get(("omrade", code, None), [])),
                "goals": [
                    {
                        "number": g["number"],
                        "title": g["title"],
                        "commitments": tally([c for c in own if c["goal"] == g["number"]]),
                        "activities": akt_goals.get(str(g["number"]), 0),
                    }
                    for g in tree["goals"]
                ],
                "departments": [
                    {
                        "avdelning": d.name,
                        "commitments": tally(by_owner.get(("avdelning", code, d.name), [])),
                        "activities": dept_activities.get(d.pk, 0),
                    }
                    for d in departments
                    if d.nuts_omrade_id == nuts.pk
                ],
            }
        )
    return rows


def _area_rows(year, areas, tree, commitments, akt_data, departments):
    """The areas: when each joined, its project year (maturity), coordinator, figures, the
    coordinator's narrative, and its departments' commitments against the guidance."""
    narratives = {
        b.nuts_omrade_id: b.text
        for b in Berattelse.objects.filter(year=year).filter(
            nuts_omrade_id__in=[a["current"].nuts_omrade_id for a in areas]
        )
    }
    rules = mal_reporting.guidance(maturities=[a["first"].maturity(year) for a in areas])
    forums = akt_data["forums"]["list"]
    return [
        {
            "code": _code(a),
            "name": a["current"].nuts_omrade.name,
            "joined": a["first"].joined_on.isoformat(),
            "maturity": a["first"].maturity(year),
            "coordinator": a["current"].samordnare.name if a["current"].samordnare else "",
            "activities": akt_data["by_area"].get(_code(a), 0),
            "commitments": sum(1 for c in commitments if c["nuts_code"] == _code(a)),
            "commitments_achieved": sum(
                1 for c in commitments if c["nuts_code"] == _code(a) and c["outcome"] == "achieved"
            ),
            "narrative": narratives.get(a["current"].nuts_omrade_id, ""),
            # Counted from the year's forum and project lists: a forum belongs to one area,
            # a project in two areas counts in both.
            "forums_with_seat": sum(1 for f in forums if f["area"] == _code(a) and f["seats"]),
            "fund_projects": sum(1 for p in akt_data["fund_projects"] if _code(a) in p["areas"]),
            "guideline": _guideline(
                _code(a),
                a["first"].maturity(year),
                rules.get(a["first"].maturity(year), {}),
                tree,
                commitments,
                [d.name for d in departments if d.nuts_omrade_id == a["current"].nuts_omrade_id],
            ),
        }
        for a in areas
    ]


def _guideline(code, maturity, minimums, tree, commitments, names):
    """The area's departments against the maturity guidance of its project year: per
    project goal with a rule, the minimum and how many departments reach it; and each
    department short of a rule. Counted as the goals' pages count (mal/overview.py): a
    department's commitments of the year, whatever their status."""
    projektmal_of = {g["number"]: g["projektmal"] for g in tree["goals"]}
    counts = Counter(
        (c["avdelning"], projektmal_of.get(c["goal"]))
        for c in commitments
        if c["owner_type"] == "avdelning" and c["nuts_code"] == code
    )
    goals = [p for p in tree["projektmal"] if p["number"] in minimums]
    short = []
    for name in names:
        gaps = [
            {
                "projektmal": p["number"],
                "title": p["title"],
                "commitments": counts[(name, p["number"])],
                "minimum": minimums[p["number"]],
            }
            for p in goals
            if counts[(name, p["number"])] < minimums[p["number"]]
        ]
        if gaps:
            short.append({"avdelning": name, "gaps": gaps})
    return {
        "maturity": maturity,
        "departments": len(names),
        "meeting": len(names) - len(short),
        "rules": [
            {
                "projektmal": p["number"],
                "title": p["title"],
                "minimum": minimums[p["number"]],
                "meeting": sum(counts[(n, p["number"])] >= minimums[p["number"]] for n in names),
            }
            for p in goals
        ],
        "short": short,
    }


def _trend(year, areas, nuts_ids):
    """Every year since the first area joined, each figure grouped by year (one call per
    app, whatever the number of years)."""
    first_year = min(a["first"].joined_on.year for a in areas)
    mal_trend = mal_reporting.trend_data(first_year=first_year, last_year=year, nuts_ids=nuts_ids)
    akt_trend = aktiviteter_reporting.trend_data(
        first_year=first_year, last_year=year, nuts_ids=nuts_ids
    )
    trend = []
    for y in range(first_year, year + 1):
        m, a = mal_trend[y], akt_trend[y]
        by_area = {}
        for area in areas:
            if area["first"].joined_on.year > y:
                continue
            c = m["by_area"].get(_code(area), {"total": 0, "achieved": 0})
            by_area[_code(area)] = {
                "maturity": area["first"].maturity(y),
                "activities": a["by_area"].get(_code(area), 0),
                "commitments": c["total"],
                "commitments_achieved": c["achieved"],
            }
        trend.append({"year": y, **_year_figures(m, a, a["fund_projects"]), "by_area": by_area})
    return trend


def _previous_year(year, areas, nuts_ids):
    """Last year's commitment counts per activity goal (one grouped query), for the front
    page's change per goal; None when no area of the report took part last year."""
    if year - 1 < min(a["first"].joined_on.year for a in areas):
        return None
    by_goal = mal_reporting.goal_counts(year=year - 1, nuts_ids=nuts_ids)
    return {
        "year": year - 1,
        "goals": [{"number": int(key), "commitments": counts} for key, counts in by_goal.items()],
    }


def _larande(year, nuts_ids):
    """The year's actions from analysis meetings with their status, and the areas' lessons
    (larande.reporting): the edition's areas, or every area and the national meetings."""
    return larande_reporting.report_data(year=year, nuts_ids=nuts_ids)


def _national(year, akt_data, *, area, full):
    """The year's national activities apart (docs/raknregler.md rule 9): counted in the
    whole project's totals and in no area's, so an area's edition has none (None). The
    full edition lists them one by one."""
    if area is not None:
        return None
    national = akt_data["national"]
    return {
        "total": national["total"],
        "by_type": national["by_type"],
        "by_goal": national["by_goal"],
        "participants": national["participants"],
        "list": aktiviteter_reporting.national_activities(year=year) if full else [],
    }


def _natverk(year, nuts_omrade):
    """The area's network map as it stood at the end of the year (today for this year's
    report), without contact persons: natverk.reporting.area_map. Drawn when rendering."""
    until = min(timezone.localdate(), datetime.date(year, 12, 31))
    data = natverk_reporting.area_map(nuts_omrade.pk, until=until)
    # An area's edition names no other area's department (they appear on the page's map
    # through joint activities): those nodes and their relations are left out here.
    own = set(Avdelning.objects.filter(nuts_omrade=nuts_omrade).values_list("pk", flat=True))
    foreign = {
        n["id"]
        for n in data["nodes"]
        if n["kind"] == "avdelning" and int(n["id"].rsplit("-", 1)[1]) not in own
    }
    if not foreign:
        return data
    edges = [e for e in data["edges"] if not {e["source"], e["target"]} & foreign]
    kept = {e["id"] for e in edges}
    measures = {k: [i for i in v if i not in foreign] for k, v in data["measures"].items()}
    measures["bridges"] = [i for i in data["measures"]["bridges"] if i in kept]
    return {
        **data,
        "nodes": [n for n in data["nodes"] if n["id"] not in foreign],
        "edges": edges,
        "measures": measures,
    }


def _comparison(year, areas, nuts_omrade):
    """The key figures of the pilot's departments against the others' (the comparison
    page's computation, nyckeltal.reporting.comparison_data), from the year before the
    report's first area joined (so that each area has a year before) to the report year.
    An area's edition compares that area's departments."""
    first_year = min(a["first"].joined_on.year for a in areas)
    return nyckeltal_reporting.comparison_data(
        years=range(first_year - 1, year + 1),
        nuts_id=nuts_omrade.pk if nuts_omrade else None,
    )


def _costs(year, nuts_ids):
    """The year's cost allocation; an area's edition lists only the area's departments."""
    allocation = kostnad.allocate(year=year)
    if nuts_ids is not None:
        allocation["rows"] = kostnad.rows_for(allocation, nuts_ids)
    return allocation


def _utveckling(year, nuts_ids):
    """The year's proposals and decisions on new areas (the whole project's report only)."""
    return utveckling_reporting.report_data(year=year) if nuts_ids is None else []


def _overall(year):
    """The project leader's overall assessment of the year."""
    overall = Berattelse.objects.filter(year=year, nuts_omrade__isnull=True).first()
    return overall.text if overall else ""


def compare(current, previous):
    """Key figures side by side with the previous approved version's (or None): the same
    year's, or else the latest earlier year's (Rapportversion.objects.previous_approved).
    ``basis`` says which, in the report's words (without one, the report says "Ingen
    tidigare godkänd rapport att jämföra med")."""
    if previous is None:
        return None
    before = {k["key"]: k["value"] for k in previous.snapshot.get("key_figures", [])}
    same_year = previous.year == current["year"]
    approved_on = (
        timezone.localtime(previous.approved_at).date().isoformat()
        if previous.approved_at
        else None
    )
    if same_year:
        basis = f"Jämfört med version {previous.number} av {previous.year}"
    else:
        basis = f"Jämfört med {previous.year} års godkända rapport (version {previous.number}"
    if approved_on:
        basis += f", godkänd {approved_on}"
    basis += "." if same_year else ")."
    return {
        "version": previous.number,
        "year": previous.year,
        "label": f"Version {previous.number}"
        if same_year
        else f"{previous.year}, version {previous.number}",
        "approved_at": previous.approved_at.isoformat() if previous.approved_at else None,
        "basis": basis,
        "rows": [
            {
                "label": k["label"],
                "previous": before.get(k["key"]),
                "current": k["value"],
                "diff": (k["value"] - before[k["key"]])
                if before.get(k["key"]) is not None
                else None,
            }
            for k in current["key_figures"]
        ],
    }


def _beslutslogg(year, nuts_ids):
    """The year's decisions in the decision log (avdelningar.Projektbeslut), oldest first:
    the whole project's, and in an area's edition also the area's own (not another
    area's). Frozen with the snapshot: a later edit does not change a compiled report.
    Two queries (the decisions, their links)."""
    rows = Projektbeslut.objects.in_year(year).select_related("nuts_omrade")
    if nuts_ids is not None:
        rows = rows.filter(nuts_omrade__isnull=True) | rows.filter(nuts_omrade_id__in=nuts_ids)
    return [
        {
            "date": b.decided_on.isoformat(),
            "body": b.get_body_display(),
            "kind": b.get_kind_display(),
            "title": b.title,
            "paragraph": b.paragraph,
            "area": b.nuts_omrade.code if b.nuts_omrade else "",
            "description": b.description,
            "links": [{"label": link.label, "url": link.url} for link in b.lankar.all()],
        }
        for b in rows.prefetch_related("lankar").order_by("decided_on", "pk")
    ]
