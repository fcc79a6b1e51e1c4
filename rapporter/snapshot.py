"""Gathering the report's numbers into one JSON-able dict: the frozen snapshot.

Everything the HTML, PDF and XLSX show comes from this dict and nothing else, so the three
agree and a compiled version never changes. The numbers come from the two apps'
``report_data`` functions (see brief/contracts.md), called once per year of the trend, each
with a constant number of queries.
"""

from collections import Counter, defaultdict

from django.utils import timezone

from aktiviteter import reporting as aktiviteter_reporting
from avdelningar.models import Deltagande
from mal import reporting as mal_reporting
from mal.models import Projektmal, Verksamhetsmal

from . import kostnad
from .models import Berattelse, Rapportversion

SCHEMA = 1
GOAL_KEYS = [str(n) for n in range(1, 9)]

# The key figures compared with the previous approved version, in this order.
KEY_FIGURES = [
    ("commitments", "Åtaganden"),
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


def _year_figures(mal_data, akt_data):
    totals = _goal_totals(mal_data["by_goal"])
    participants = akt_data["participants"]
    return {
        "commitments": totals["total"],
        "commitments_approved": totals["approved"],
        "commitments_achieved": totals["achieved"],
        "commitments_at_risk": totals["at_risk"],
        "commitments_not_achieved": totals["not_achieved"],
        "activities": akt_data["total"],
        "participants_women": participants["women"],
        "participants_men": participants["men"],
        "participants_other": participants["other"],
        "forums": akt_data["forums"]["total"],
        "forums_with_seat": akt_data["forums"]["with_seat"],
        "forums_initiated": akt_data["forums"]["initiated"],
        "fund_projects": len(akt_data["fund_projects"]),
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


def gather(*, year, nuts_omrade=None, edition):
    """The snapshot dict for a report; raises ValueError if no area participates."""
    nuts_ids = [nuts_omrade.pk] if nuts_omrade else None
    areas = _areas(year, nuts_ids)
    if not areas:
        raise ValueError(f"Inget område deltar i projektet {year}.")
    area_codes = [a["current"].nuts_omrade.code for a in areas]

    mal_data = mal_reporting.report_data(year=year, nuts_ids=nuts_ids)
    akt_data = aktiviteter_reporting.report_data(year=year, nuts_ids=nuts_ids)

    # The trend: one report_data call per app and year, since the first area joined.
    first_year = min(a["first"].joined_on.year for a in areas)
    trend = []
    for y in range(first_year, year + 1):
        if y == year:
            m, a = mal_data, akt_data
        else:
            m = mal_reporting.report_data(year=y, nuts_ids=nuts_ids)
            a = aktiviteter_reporting.report_data(year=y, nuts_ids=nuts_ids)
        per_area_commitments = Counter(c["nuts_code"] for c in m["commitments"])
        trend.append(
            {
                "year": y,
                **_year_figures(m, a),
                "by_area": {
                    code: {
                        "activities": a["by_area"].get(code, 0),
                        "commitments": per_area_commitments.get(code, 0),
                    }
                    for code, area in zip(area_codes, areas, strict=True)
                    if area["first"].joined_on.year <= y
                },
            }
        )

    projektmal = list(Projektmal.objects.order_by("number"))
    goals = list(Verksamhetsmal.objects.select_related("projektmal").order_by("number"))
    commitments_by_goal = defaultdict(list)
    for c in mal_data["commitments"]:
        commitments_by_goal[c["goal"]].append(c)
    indicators_by_goal = defaultdict(list)
    for i in mal_data["indicators"]:
        indicators_by_goal[i["goal"]].append(i)

    full = edition == Rapportversion.Edition.STYRGRUPP
    goal_rows = [
        {
            "number": g.number,
            "title": g.title,
            "projektmal": g.projektmal.number,
            "commitments": {
                k: mal_data["by_goal"].get(str(g.number), {}).get(k, 0)
                for k in ("total", "approved", "achieved", "at_risk", "not_achieved")
            },
            "activities": akt_data["by_goal"].get(str(g.number), 0),
            "items": commitments_by_goal.get(g.number, []) if full else [],
            "indicators": indicators_by_goal.get(g.number, []),
        }
        for g in goals
    ]

    by_department = defaultdict(Counter)
    for c in mal_data["commitments"]:
        if c["owner_type"] == "avdelning":
            key = (c["nuts_code"] or "", c["avdelning"] or c["owner"])
            by_department[key]["total"] += 1
            by_department[key][c["status_code"]] += 1

    allocation = kostnad.allocate(year=year)
    if nuts_ids is not None:
        allocation["rows"] = kostnad.rows_for(allocation, nuts_ids)

    berattelser = {
        b.nuts_omrade_id: b.text
        for b in Berattelse.objects.filter(year=year).filter(
            nuts_omrade_id__in=[a["current"].nuts_omrade_id for a in areas]
        )
    }
    overall = Berattelse.objects.filter(year=year, nuts_omrade__isnull=True).first()

    figures = _year_figures(mal_data, akt_data)
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
                "goals": [g.number for g in goals if g.projektmal_id == p.pk],
            }
            for p in projektmal
        ],
        "goals": goal_rows,
        "key_figures": [
            {"key": key, "label": label, "value": figures[key]} for key, label in KEY_FIGURES
        ],
        "indicators": mal_data["indicators"],
        "activities": {
            "total": akt_data["total"],
            "by_area": akt_data["by_area"],
            "by_type": akt_data["by_type"],
            "participants": akt_data["participants"],
            "actors_by_type": akt_data["actors_by_type"],
        },
        "forums": akt_data["forums"],
        "fund_projects": akt_data["fund_projects"],
        "departments": [
            {
                "nuts_code": code,
                "avdelning": name,
                "total": c["total"],
                "approved": c["approved"],
                "achieved": c["achieved"],
            }
            for (code, name), c in sorted(by_department.items())
        ]
        if full
        else [],
        "areas": [
            {
                "code": a["current"].nuts_omrade.code,
                "name": a["current"].nuts_omrade.name,
                "joined": a["first"].joined_on.isoformat(),
                "maturity": a["first"].maturity(year),
                "coordinator": a["current"].samordnare.name if a["current"].samordnare else "",
                "activities": akt_data["by_area"].get(a["current"].nuts_omrade.code, 0),
                "commitments": sum(
                    1
                    for c in mal_data["commitments"]
                    if c["nuts_code"] == a["current"].nuts_omrade.code
                ),
                "narrative": berattelser.get(a["current"].nuts_omrade_id, ""),
            }
            for a in areas
        ],
        "trend": trend,
        "costs": allocation,
        "overall": overall.text if overall else "",
        "changes": None,
    }


def compare(current, previous):
    """Key figures side by side with the previous approved version's (or None)."""
    if previous is None:
        return None
    before = {k["key"]: k["value"] for k in previous.snapshot.get("key_figures", [])}
    return {
        "version": previous.number,
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
