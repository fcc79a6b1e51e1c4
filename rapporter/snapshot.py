"""Gathering the report's numbers into one JSON-able dict: the frozen snapshot.

Everything the HTML, PDF and XLSX show comes from this dict and nothing else, so the three
agree and a compiled version never changes. The report year's numbers come from the two
apps' ``report_data`` functions (their reporting.py modules, the contract), the trend's from their
``trend_data``, which group by year: a constant number of queries, however many years.
"""

from collections import Counter, defaultdict

from django.utils import timezone

from aktiviteter import reporting as aktiviteter_reporting
from aktiviteter.models import Aktivitet
from avdelningar.models import Avdelning, Deltagande
from mal import reporting as mal_reporting
from mal.models import Projektmal, Uppfoljning, Verksamhetsmal

from . import kostnad
from .models import Berattelse, Rapportversion

SCHEMA = 2
GOAL_KEYS = [str(n) for n in range(1, 9)]
OUTCOMES = ("achieved", "at_risk", "not_achieved")
TALLY_KEYS = ("total", "approved", "achieved", "at_risk", "not_achieved", "targets", "targets_met")
# The contract gives the follow-up status as its label; the codes are mal's own.
_FOLLOWUP_CODES = {str(label): code for code, label in Uppfoljning.Status.choices}

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


def _goal_totals(by_goal):
    totals = Counter()
    for key in GOAL_KEYS:
        totals.update(by_goal.get(key, {}))
    return totals


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


def _outcome(commitment):
    """The code of the commitment's latest follow-up status (the same on each of its
    targets), or None if it has not been followed up."""
    for t in commitment["targets"]:
        if t["followup_status"]:
            return _FOLLOWUP_CODES.get(t["followup_status"])
    return None


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


def gather(*, year, nuts_omrade=None, edition):
    """The snapshot dict for a report; raises ValueError if no area participates.

    Queries: a constant number, none per year of the trend, area, commitment or activity.
    """
    nuts_ids = [nuts_omrade.pk] if nuts_omrade else None
    areas = _areas(year, nuts_ids)
    if not areas:
        raise ValueError(f"Inget område deltar i projektet {year}.")
    area_codes = [a["current"].nuts_omrade.code for a in areas]
    area_ids = [a["current"].nuts_omrade_id for a in areas]

    mal_data = mal_reporting.report_data(year=year, nuts_ids=nuts_ids)
    akt_data = aktiviteter_reporting.report_data(year=year, nuts_ids=nuts_ids)
    commitments = [{**c, "outcome": _outcome(c)} for c in mal_data["commitments"]]

    # The trend: every year since the first area joined, each figure grouped by year.
    first_year = min(a["first"].joined_on.year for a in areas)
    mal_trend = mal_reporting.trend_data(first_year=first_year, last_year=year, nuts_ids=nuts_ids)
    akt_trend = aktiviteter_reporting.trend_data(
        first_year=first_year, last_year=year, nuts_ids=nuts_ids
    )
    trend = []
    for y in range(first_year, year + 1):
        m, a = mal_trend[y], akt_trend[y]
        by_area = {}
        for code, area in zip(area_codes, areas, strict=True):
            if area["first"].joined_on.year > y:
                continue
            c = m["by_area"].get(code, {"total": 0, "achieved": 0})
            by_area[code] = {
                "maturity": area["first"].maturity(y),
                "activities": a["by_area"].get(code, 0),
                "commitments": c["total"],
                "commitments_achieved": c["achieved"],
            }
        trend.append({"year": y, **_year_figures(m, a, a["fund_projects"]), "by_area": by_area})

    projektmal = list(Projektmal.objects.order_by("number"))
    goals = list(Verksamhetsmal.objects.select_related("projektmal").order_by("number"))
    goals_of = defaultdict(list)
    for g in goals:
        goals_of[g.projektmal_id].append(g.number)
    commitments_by_goal = defaultdict(list)
    for c in commitments:
        commitments_by_goal[c["goal"]].append(c)
    gender = _gender_targets(commitments)
    indicators = [
        {
            **i,
            "target_women": gender.get((i["indicator"], i["unit"], i["goal"]), [None, None])[0],
            "target_men": gender.get((i["indicator"], i["unit"], i["goal"]), [None, None])[1],
        }
        for i in mal_data["indicators"]
    ]
    indicators_by_goal = defaultdict(list)
    for i in indicators:
        indicators_by_goal[i["goal"]].append(i)

    full = edition == Rapportversion.Edition.STYRGRUPP
    goal_rows = []
    for g in goals:
        counts = mal_data["by_goal"].get(str(g.number), {})
        met = tally(commitments_by_goal.get(g.number, []))
        goal_rows.append(
            {
                "number": g.number,
                "title": g.title,
                "projektmal": g.projektmal.number,
                "commitments": {
                    **{k: counts.get(k, 0) for k in TALLY_KEYS[:5]},
                    "targets": met["targets"],
                    "targets_met": met["targets_met"],
                },
                "activities": akt_data["by_goal"].get(str(g.number), 0),
                "items": commitments_by_goal.get(g.number, []) if full else [],
                "indicators": indicators_by_goal.get(g.number, []),
            }
        )

    # Per area and department (full edition): commitments against outcomes, activities.
    area_rows = []
    if full:
        dept_activities = Aktivitet.objects.in_year(year).by_department()
        departments = list(
            Avdelning.objects.filter(nuts_omrade_id__in=area_ids)
            .select_related("nuts_omrade")
            .order_by("nuts_omrade__code", "name")
        )
        by_owner = defaultdict(list)
        for c in commitments:
            by_owner[(c["owner_type"], c["nuts_code"], c["avdelning"])].append(c)
        for area, code in zip(areas, area_codes, strict=True):
            nuts = area["current"].nuts_omrade
            own = [c for c in commitments if c["nuts_code"] == code]
            akt_goals = akt_data["by_area_goal"].get(code, {})
            area_rows.append(
                {
                    "code": code,
                    "name": nuts.name,
                    "commitments": tally(own),
                    "area_commitments": tally(by_owner.get(("omrade", code, None), [])),
                    "goals": [
                        {
                            "number": g.number,
                            "title": g.title,
                            "commitments": tally([c for c in own if c["goal"] == g.number]),
                            "activities": akt_goals.get(str(g.number), 0),
                        }
                        for g in goals
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

    allocation = kostnad.allocate(year=year)
    if nuts_ids is not None:
        allocation["rows"] = kostnad.rows_for(allocation, nuts_ids)

    berattelser = {
        b.nuts_omrade_id: b.text
        for b in Berattelse.objects.filter(year=year).filter(nuts_omrade_id__in=area_ids)
    }
    overall = Berattelse.objects.filter(year=year, nuts_omrade__isnull=True).first()

    figures = _year_figures(
        _goal_totals(mal_data["by_goal"]), akt_data, len(akt_data["fund_projects"])
    )
    figures["cost_total"] = allocation["total"]
    figures["cost_national"] = allocation["national"]
    figures["cost_departments"] = allocation["departments_half"]

    return {
        "schema": SCHEMA,
        "year": year,
        "edition": edition,
        "full": full,
        "area": {"code": nuts_omrade.code, "name": nuts_omrade.name} if nuts_omrade else None,
        "compiled_at": timezone.now().isoformat(),
        "projektmal": [
            {
                "number": p.number,
                "title": p.title,
                "heading": p.heading,
                "goals": goals_of[p.pk],
                "commitments": tally([c for c in commitments if c["goal"] in goals_of[p.pk]]),
            }
            for p in projektmal
        ],
        "goals": goal_rows,
        "key_figures": [
            {"key": key, "label": label, "value": figures[key]} for key, label in KEY_FIGURES
        ],
        "indicators": indicators,
        "activities": {
            "total": akt_data["total"],
            "by_area": akt_data["by_area"],
            "by_type": akt_data["by_type"],
            "participants": akt_data["participants"],
            "actors_by_type": akt_data["actors_by_type"],
        },
        "forums": akt_data["forums"],
        "fund_projects": akt_data["fund_projects"],
        "area_details": area_rows,
        "areas": [
            {
                "code": code,
                "name": a["current"].nuts_omrade.name,
                "joined": a["first"].joined_on.isoformat(),
                "maturity": a["first"].maturity(year),
                "coordinator": a["current"].samordnare.name if a["current"].samordnare else "",
                "activities": akt_data["by_area"].get(code, 0),
                "commitments": sum(1 for c in commitments if c["nuts_code"] == code),
                "commitments_achieved": sum(
                    1 for c in commitments if c["nuts_code"] == code and c["outcome"] == "achieved"
                ),
                "narrative": berattelser.get(a["current"].nuts_omrade_id, ""),
            }
            for code, a in zip(area_codes, areas, strict=True)
        ],
        "trend": trend,
        "costs": allocation,
        "overall": overall.text if overall else "",
        "changes": None,
    }


def compare(current, previous):
    """Key figures side by side with the previous approved version's (or None): the same
    year's, or else the latest earlier year's."""
    if previous is None:
        return None
    before = {k["key"]: k["value"] for k in previous.snapshot.get("key_figures", [])}
    same_year = previous.year == current["year"]
    return {
        "version": previous.number,
        "year": previous.year,
        "label": f"Version {previous.number}"
        if same_year
        else f"{previous.year}, version {previous.number}",
        "approved_at": previous.approved_at.isoformat() if previous.approved_at else None,
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
