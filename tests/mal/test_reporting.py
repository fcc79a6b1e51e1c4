import json
from decimal import Decimal

import pytest

from mal import reporting
from mal.models import Atagande, Uppfoljning, Utfall
from tests import factories as f

pytestmark = pytest.mark.django_db


def build(cast, mk, periods, n=1):
    """n departments' worth of commitments in both areas with follow-ups."""
    for i in range(n):
        a = mk(
            f.AvdelningFactory(nuts_omrade=cast.se21), title=f"A{i}", status="approved", targets=2
        )
        uf = Uppfoljning.objects.create(atagande=a, period=periods[0], status="at_risk")
        for j, m in enumerate(a.malvarden.all()):
            Utfall.objects.create(
                uppfoljning=uf, malvarde=m, actual=Decimal(3 + j), actual_women=Decimal(1)
            )
        uf2 = Uppfoljning.objects.create(atagande=a, period=periods[1], status="achieved")
        # Full year has a value for the first target only: the second keeps mid-year's.
        first = a.malvarden.order_by("pk").first()
        Utfall.objects.create(uppfoljning=uf2, malvarde=first, actual=Decimal(9))
        Utfall.objects.create(
            uppfoljning=uf2, malvarde=a.malvarden.order_by("pk").last(), actual=None
        )
        mk(f.AvdelningFactory(nuts_omrade=cast.se22), title=f"B{i}", goal=5, status="submitted")
    mk(nuts=cast.se21, title="Områdets", goal=3)
    mk(None, title="Nationellt", goal=1, status="approved")


def independent(year, nuts_ids=None):
    """The same numbers, the slow obvious way: one object at a time."""
    out = []
    for a in Atagande.objects.filter(year=year):
        area = a.avdelning.nuts_omrade_id if a.avdelning_id else a.nuts_omrade_id
        if nuts_ids is not None and area not in nuts_ids:
            continue
        ufs = sorted(a.uppfoljningar.all(), key=lambda u: (u.period.year, u.period.kind == "helar"))
        targets = []
        for m in a.malvarden.all():
            actual = None
            for uf in ufs:
                u = uf.utfall.filter(malvarde=m).first()
                if u and u.actual is not None:
                    actual = float(u.actual)
            targets.append((m.indicator_name, float(m.target), actual))
        out.append((a.title, a.status, ufs[-1].status if ufs else None, sorted(targets)))
    return sorted(out)


def summarise(data):
    by_status = {
        "achieved": "Uppnått",
        "at_risk": "I riskzonen",
        "not_achieved": "Ej uppnått",
        "on_track": "Enligt plan",
    }
    back = {v: k for k, v in by_status.items()}
    return sorted(
        (
            c["title"],
            c["status_code"],
            back.get(c["targets"][0]["followup_status"]) if c["targets"] else None,
            sorted((t["indicator"], t["target"], t["actual"]) for t in c["targets"]),
        )
        for c in data["commitments"]
    )


def test_matches_independent_computation(cast, mk, periods):
    build(cast, mk, periods, n=2)
    data = reporting.report_data(year=2024)
    json.dumps(data)  # JSON-serialisable
    assert summarise(data) == independent(2024)
    assert set(data["by_goal"]) == {str(n) for n in range(1, 9)}
    approved = Atagande.objects.filter(year=2024, status="approved").count()
    assert sum(g["approved"] for g in data["by_goal"].values()) == approved
    assert data["by_goal"]["2"]["achieved"] == 2
    first = [c for c in data["commitments"] if c["title"] == "A0"][0]["targets"]
    assert sorted(t["actual"] for t in first) == [4.0, 9.0]


def test_restricted_to_areas_has_no_national(cast, mk, periods):
    build(cast, mk, periods)
    data = reporting.report_data(year=2024, nuts_ids=[cast.se21.pk])
    assert summarise(data) == independent(2024, [cast.se21.pk])
    assert {c["owner_type"] for c in data["commitments"]} == {"avdelning", "omrade"}
    assert all(c["nuts_code"] == "SE21" for c in data["commitments"])


def test_indicator_totals(cast, mk, periods):
    build(cast, mk, periods, n=3)
    data = reporting.report_data(year=2024)
    goal2 = [i for i in data["indicators"] if i["goal"] == 2]
    total_target = sum(
        float(m.target)
        for a in Atagande.objects.filter(verksamhetsmal__number=2)
        for m in a.malvarden.all()
    )
    assert sum(i["target"] for i in goal2) == total_target


def test_query_count_is_constant(cast, mk, periods, django_assert_num_queries):
    build(cast, mk, periods, n=1)
    with django_assert_num_queries(3):
        reporting.report_data(year=2024)
    build_more = 4
    for i in range(build_more):
        mk(f.AvdelningFactory(nuts_omrade=cast.se21), title=f"X{i}", status="approved")
    with django_assert_num_queries(3):
        reporting.report_data(year=2024)


def test_trend_matches_independent_computation(cast, mk, periods, django_assert_num_queries):
    build(cast, mk, periods, n=2)
    with django_assert_num_queries(1):
        trend = reporting.trend_data(first_year=2023, last_year=2024)
    assert list(trend) == [2023, 2024]
    assert trend[2023] == {
        "total": 0,
        "approved": 0,
        "achieved": 0,
        "at_risk": 0,
        "not_achieved": 0,
        "by_area": {},
    }
    rows = independent(2024)
    t = trend[2024]
    assert t["total"] == len(rows)
    assert t["approved"] == sum(status == "approved" for _, status, _, _ in rows)
    for outcome in ("achieved", "at_risk", "not_achieved"):
        assert t[outcome] == sum(o == outcome for _, _, o, _ in rows)
    # The same counts as the year's report_data, goal by goal summed.
    by_goal = reporting.report_data(year=2024)["by_goal"]
    for key in ("total", "approved", "achieved", "at_risk", "not_achieved"):
        assert t[key] == sum(g[key] for g in by_goal.values()), key
    for area in (cast.se21, cast.se22):
        own = independent(2024, nuts_ids=[area.pk])
        assert t["by_area"][area.code] == {
            "total": len(own),
            "achieved": sum(o == "achieved" for _, _, o, _ in own),
        }
    assert t["achieved"] > 0 and t["at_risk"] == 0  # the full year's status wins
    one = reporting.trend_data(first_year=2024, last_year=2024, nuts_ids=[cast.se22.pk])
    assert set(one[2024]["by_area"]) == {"SE22"}
    assert one[2024]["total"] == len(independent(2024, nuts_ids=[cast.se22.pk]))


def test_goal_tree_is_the_reference_goals(django_assert_num_queries):
    with django_assert_num_queries(2):
        tree = reporting.goal_tree()
    json.dumps(tree)
    assert [p["number"] for p in tree["projektmal"]] == [1, 2, 3]
    assert [g["number"] for g in tree["goals"]] == list(range(1, 9))
    # Each activity goal under its project goal, once (the plan: 1-3, 4-6, 7-8).
    assert [p["goals"] for p in tree["projektmal"]] == [[1, 2, 3], [4, 5, 6], [7, 8]]
    under = {n: p["number"] for p in tree["projektmal"] for n in p["goals"]}
    assert all(under[g["number"]] == g["projektmal"] for g in tree["goals"])


def test_commitment_outcome_is_the_followup_code(cast, mk, periods):
    build(cast, mk, periods)
    data = reporting.report_data(year=2024)
    by_title = {c["title"]: reporting.commitment_outcome(c) for c in data["commitments"]}
    assert by_title["A0"] == "achieved"  # the full year's status wins over mid-year's
    assert by_title["B0"] is None  # not followed up
    assert reporting.commitment_outcome({"targets": []}) is None
