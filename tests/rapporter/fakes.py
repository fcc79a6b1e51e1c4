"""Contract-shaped data for mal/aktiviteter ``report_data`` (brief/contracts.md).

The real modules land from other branches; these fakes let the report be tested against
the agreed shape, with numbers that differ per year and area so mix-ups show.
"""

CALLS = []


def mal_data(*, year, nuts_ids=None):
    CALLS.append(("mal", year, tuple(nuts_ids) if nuts_ids else None))
    n = year - 2018
    commitments = [
        {
            "id": 1,
            "owner": "Avdelning A1",
            "owner_type": "avdelning",
            "nuts_code": "SE21",
            "avdelning": "Avdelning A1",
            "goal": 2,
            "title": f"Kompetenslyft {year}",
            "status": "Godkänt",
            "status_code": "approved",
            "targets": [
                {
                    "indicator": "Arbetare i kompetensutveckling",
                    "unit": "personer",
                    "baseline": 10.0,
                    "target": 40.0,
                    "target_women": 20.0,
                    "target_men": 20.0,
                    "actual": 30.0 + n,
                    "actual_women": 14.0,
                    "actual_men": 16.0 + n,
                    "share": (30.0 + n) / 40.0,
                    "followup_status": "Enligt plan",
                }
            ],
        },
        {
            "id": 2,
            "owner": "Avdelning B1",
            "owner_type": "avdelning",
            "nuts_code": "SE22",
            "avdelning": "Avdelning B1",
            "goal": 7,
            "title": "=Forum i Skåne",  # formula-looking: must be neutralised in XLSX
            "status": "Inskickat",
            "status_code": "submitted",
            "targets": [],
        },
    ]
    if nuts_ids:
        commitments = [c for c in commitments if c["nuts_code"] == "SE21"]
    by_goal = {
        str(g): {"total": 0, "approved": 0, "achieved": 0, "at_risk": 0, "not_achieved": 0}
        for g in range(1, 9)
    }
    for c in commitments:
        by_goal[str(c["goal"])]["total"] += 1
        if c["status_code"] == "approved":
            by_goal[str(c["goal"])]["approved"] += 1
    return {
        "commitments": commitments,
        "by_goal": by_goal,
        "indicators": [
            {
                "indicator": "Arbetare i kompetensutveckling",
                "unit": "personer",
                "goal": 2,
                "target": 40.0,
                "actual": 30.0 + n,
                "actual_women": 14.0,
                "actual_men": 16.0 + n,
            }
        ],
    }


def akt_data(*, year, nuts_ids=None):
    CALLS.append(("akt", year, tuple(nuts_ids) if nuts_ids else None))
    n = year - 2018
    by_area = {"SE21": 10 * n + 1}
    if not nuts_ids and year >= 2020:
        by_area["SE22"] = 5 * n
    total = sum(by_area.values()) - (1 if len(by_area) > 1 else 0)  # one two-area activity
    return {
        "total": total,
        "by_area": by_area,
        "by_goal": {str(g): (total if g == 7 else g) for g in range(1, 9)},
        "by_type": {"Möte": total - 3, "Utbildning": 3},
        "participants": {"women": 7 * n, "men": 9 * n, "other": 1},
        "forums": {
            "total": 2,
            "with_seat": 1,
            "initiated": 1,
            "list": [
                {
                    "name": "Industrirådet",
                    "area": "SE21",
                    "type": "Industriråd",
                    "seats": 2,
                    "initiated": True,
                },
                {
                    "name": "+Kompetensplattform",
                    "area": "SE21",
                    "type": "Kompetensplattform",
                    "seats": 0,
                    "initiated": False,
                },
            ],
        },
        "actors_by_type": {"Region": 2, "Arbetsförmedlingen": 1},
        "fund_projects": [
            {
                "name": "Framtidssäkrad industri",
                "fund": "ESF",
                "role": "Partner",
                "budget": 1250000.0,
                "participants": 40 + n,
                "areas": ["SE21"],
            }
        ],
    }
