import datetime
import json
from collections import Counter

import pytest

from aktiviteter.models import Aktivitet, Aktor, ForumPlats
from aktiviteter.reporting import department_counts, report_data, trend_data
from tests import factories as f

from .helpers import make_aktivitet, make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


def build(cast):
    region = make_aktor(nuts=cast.se21)
    iuc = make_aktor(name="IUC Skåne", typ=Aktor.Typ.IUC, nuts=cast.se22)
    d = datetime.date
    make_aktivitet(
        cast.se21,
        avdelningar=[cast.a1],
        mal=(1, 2),
        date=d(2024, 2, 1),
        participants_women=3,
        participants_men=4,
    ).aktorer.add(region)
    # Two departments in two areas: once in the total, once in each area.
    two = make_aktivitet(
        cast.se21,
        avdelningar=[cast.a1, cast.b1],
        mal=(3,),
        date=d(2024, 5, 1),
        typ=Aktivitet.Typ.WORKSHOP,
        participants_other=2,
        participants_men=5,
    )
    two.aktorer.add(region, iuc)
    make_aktivitet(
        cast.se22, avdelningar=[cast.b1], mal=(8,), date=d(2024, 9, 1), participants_women=10
    )
    make_aktivitet(cast.se21, mal=(8,), date=d(2023, 12, 31), participants_women=99)
    forum = make_forum(cast.se21, union_initiated=True, active_from=d(2020, 1, 1))
    ForumPlats.objects.create(forum=forum, person=f.PersonFactory(), start=d(2021, 1, 1))
    make_forum(cast.se22, name="Partnerskapet Syd", active_to=d(2023, 6, 30))
    make_forum(cast.se22, name="Omställningsrådet", typ="omstallningsrad")
    make_projekt(
        [cast.se21, cast.se22],
        budget_sek=1_000_000,
        participants_women=7,
        participants_men=8,
        start=d(2023, 1, 1),
        end=d(2025, 12, 31),
    )
    make_projekt([cast.se21], name="Gammalt", end=d(2022, 1, 1))


def independent(year, codes=None):
    """The counting rules recomputed in Python, row by row."""
    acts = []
    for a in Aktivitet.objects.prefetch_related("avdelningar__nuts_omrade", "verksamhetsmal"):
        areas = {a.nuts_omrade.code} | {d.nuts_omrade.code for d in a.avdelningar.all()}
        if a.date.year == year and (codes is None or areas & set(codes)):
            acts.append((a, areas))
    by_area = Counter(c for _, areas in acts for c in areas if codes is None or c in codes)
    by_goal = Counter(str(g.number) for a, _ in acts for g in a.verksamhetsmal.all())
    return {
        "total": len(acts),
        "by_area": dict(by_area),
        "by_goal": {str(i): by_goal.get(str(i), 0) for i in range(1, 9)},
        "women": sum(a.participants_women for a, _ in acts),
        "men": sum(a.participants_men for a, _ in acts),
        "other": sum(a.participants_other for a, _ in acts),
        "types": Counter(a.get_typ_display() for a, _ in acts),
    }


def test_report_matches_independent_computation(cast):
    build(cast)
    data = report_data(year=2024)
    exp = independent(2024)
    assert data["total"] == exp["total"] == 3
    assert data["by_area"] == exp["by_area"] == {"SE21": 2, "SE22": 2}
    assert data["by_goal"] == exp["by_goal"]
    assert data["participants"] == {"women": exp["women"], "men": exp["men"], "other": exp["other"]}
    assert data["by_type"] == dict(exp["types"])
    assert data["actors_by_type"] == {"Region": 1, "IUC": 1}
    assert data["forums"]["total"] == 2  # the partnership ended in 2023
    assert data["forums"]["with_seat"] == 1 and data["forums"]["initiated"] == 1
    assert [p["name"] for p in data["fund_projects"]] == ["CO-Skill"]
    assert data["fund_projects"][0] == {
        "name": "CO-Skill",
        "fund": "ESF+",
        "role": "Partner",
        "budget": 1000000.0,
        "participants": 15,
        "areas": ["SE21", "SE22"],
    }
    json.dumps(data)


def test_report_restricted_to_an_area(cast):
    build(cast)
    data = report_data(year=2024, nuts_ids=[cast.se22.pk])
    exp = independent(2024, codes=["SE22"])
    assert data["total"] == exp["total"] == 2
    assert data["by_area"] == {"SE22": 2}
    assert data["by_goal"] == exp["by_goal"]
    assert data["participants"]["women"] == exp["women"]
    assert {f["area"] for f in data["forums"]["list"]} == {"SE22"}


def test_report_query_count_is_constant(cast, django_assert_num_queries):
    build(cast)
    with django_assert_num_queries(9):
        report_data(year=2024)
    for i in range(20):
        make_aktivitet(cast.se21, avdelningar=[cast.a1, cast.b1], mal=(1, 5), title=f"n{i}")
        make_forum(cast.se21, name=f"Forum {i}")
        make_projekt([cast.se21], name=f"P{i}")
    with django_assert_num_queries(9):
        report_data(year=2024, nuts_ids=[cast.se21.pk])


def test_empty_year_has_all_goal_keys(cast):
    data = report_data(year=2030)
    assert data["total"] == 0 and list(data["by_goal"]) == [str(i) for i in range(1, 9)]


@pytest.mark.parametrize("codes", [None, ["SE22"]])
def test_trend_matches_independent_computation(cast, codes, django_assert_num_queries):
    build(cast)
    nuts_ids = [getattr(cast, c.lower()).pk for c in codes] if codes else None
    with django_assert_num_queries(4):
        trend = trend_data(first_year=2021, last_year=2025, nuts_ids=nuts_ids)
    assert list(trend) == [2021, 2022, 2023, 2024, 2025]
    for year, t in trend.items():
        exp = independent(year, codes)
        assert t["total"] == exp["total"], year
        assert t["by_area"] == exp["by_area"], year
        assert t["participants"] == {k: exp[k] for k in ("women", "men", "other")}, year
        # Forums and projects as report_data counts them for that year.
        data = report_data(year=year, nuts_ids=nuts_ids)
        assert t["forums"] == {k: data["forums"][k] for k in ("total", "with_seat", "initiated")}
        assert t["fund_projects"] == len(data["fund_projects"])
    assert trend[2024]["total"] > 0 and (codes or trend[2023]["total"] > 0)


def test_report_by_area_and_goal(cast):
    build(cast)
    data = report_data(year=2024)
    acts = [
        (a, {a.nuts_omrade.code} | {d.nuts_omrade.code for d in a.avdelningar.all()})
        for a in Aktivitet.objects.filter(date__year=2024)
    ]
    for code in ("SE21", "SE22"):
        expected = Counter(
            str(g.number) for a, areas in acts if code in areas for g in a.verksamhetsmal.all()
        )
        assert data["by_area_goal"][code] == {str(n): expected[str(n)] for n in range(1, 9)}
    # The two-area activity (goal 3) counts in both areas.
    assert data["by_area_goal"]["SE22"]["3"] == data["by_area_goal"]["SE21"]["3"] == 1


def test_department_counts(cast, django_assert_num_queries):
    build(cast)
    with django_assert_num_queries(1):
        counts = department_counts(year=2024)
    # Each activity once for every department with it; the area-only one for none.
    expected = Counter(
        d.pk for a in Aktivitet.objects.filter(date__year=2024) for d in a.avdelningar.all()
    )
    assert counts == dict(expected) == {cast.a1.pk: 2, cast.b1.pk: 2}
