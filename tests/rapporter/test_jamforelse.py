"""The report's comparison with the departments outside the pilot and its national
activities (issue 16 §2, §4): the numbers equal a computation written here from the rows
(not through nyckeltal.comparison), the editions that carry them, the workbook's sheets,
and an approved report that does not change when the key figures are edited afterwards.

The comparison's data set is the one of tests/nyckeltal/test_comparison.py (skills_women,
2018-2021): SE21 (A1, A2) joins in 2019, SE22 (B1) in 2020, SE33 (C1, C2) never.
"""

import io
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from aktiviteter.models import Aktivitet
from avdelningar.models import Avdelning, Deltagande, NutsOmrade
from nyckeltal.models import Nyckeltal
from presentation.templatetags.tal import tal
from rapporter import render, services
from rapporter.models import Rapportversion
from tests import factories as f

from .dataset import add_national, build

pytestmark = pytest.mark.django_db

STYR = Rapportversion.Edition.STYRGRUPP
FS = Rapportversion.Edition.FORBUNDSSTYRELSE
YEARS = [2018, 2019, 2020, 2021]
VALUES = {
    "a1": [10, 20, 30, 40],
    "a2": [6, 12, 14, 16],
    "b1": [4, 5, 9, 11],
    "c1": [8, 8, 10, 12],
    "c2": [2, 4, None, 6],
}


@pytest.fixture
def figures(cast):
    se33 = NutsOmrade.objects.get(code="SE33")
    cast.c1 = f.AvdelningFactory(name="Avdelning C1", nuts_omrade=se33)
    cast.c2 = f.AvdelningFactory(name="Avdelning C2", nuts_omrade=se33)
    for name, values in VALUES.items():
        for year, value in zip(YEARS, values, strict=True):
            if value is not None:
                Nyckeltal.objects.create(
                    avdelning=getattr(cast, name), year=year, skills_women=value
                )
    return cast


def compile_now(year, nuts=None, edition=STYR):
    v = services.rapport_request(year=year, nuts_omrade=nuts, edition=edition, enqueue=False)
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return done


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def expected(key, years, nuts_code=None):
    """The comparison of one entered figure, the slow way: every department's row, its
    area's first joining year from Deltagande."""
    joined = {}
    for d in Deltagande.objects.order_by("joined_on"):
        joined.setdefault(d.nuts_omrade.code, d.joined_on.year)
    values = {
        (r.avdelning_id, r.year): getattr(r, key) for r in Nyckeltal.objects.filter(year__in=years)
    }
    groups = {y: defaultdict(list) for y in years}
    area_values = defaultdict(lambda: defaultdict(list))
    for d in Avdelning.objects.select_related("nuts_omrade"):
        code = d.nuts_omrade.code
        for y in years:
            value = values.get((d.pk, y))
            if value is None:
                continue
            if code not in joined:
                groups[y]["others"].append(value)
            elif nuts_code in (None, code):
                groups[y]["pilot" if y >= joined[code] else "before"].append(value)
                area_values[code][y].append(value)
    by_year = {y: {g: mean(groups[y][g]) for g in ("pilot", "before", "others")} for y in years}
    did = {}
    for code, start in joined.items():
        if nuts_code not in (None, code):
            continue
        parts = {}
        for part, span in (
            ("before", [y for y in years if y < start]),
            ("after", [y for y in years if y >= start]),
        ):
            both = [y for y in span if area_values[code][y] and groups[y]["others"]]
            parts[part] = (
                mean([mean(area_values[code][y]) for y in both]),
                mean([mean(groups[y]["others"]) for y in both]),
            )
        (ab, ob), (aa, oa) = parts["before"], parts["after"]
        did[code] = None if None in (ab, ob, aa, oa) else (aa - oa) - (ab - ob)
    return by_year, did


def figure_of(snap, key):
    return next(f for f in snap["comparison"]["figures"] if f["key"] == key)


def approx(value):
    return None if value is None else pytest.approx(value, abs=1e-4)


def test_the_comparison_equals_an_independent_computation(figures):
    v = compile_now(2021)
    snap = v.snapshot
    assert snap["comparison"]["years"] == YEARS  # the year before SE21 joined to the report's
    exp_years, exp_did = expected("skills_women", YEARS)
    fig = figure_of(snap, "skills_women")
    for row in fig["by_year"]:
        for g in ("pilot", "before", "others"):
            assert row[g]["mean"] == approx(exp_years[row["year"]][g]), (row["year"], g)
    areas = {a["code"]: a for a in fig["areas"]}
    assert set(areas) == {"SE21", "SE22"}
    for code, value in exp_did.items():
        assert areas[code]["did"] == approx(value), code
    # By hand, SE21: before (2018) 8 against 5; after 2019-2021: (16+22+28)/3 = 22 against
    # (6+10+9)/3 = 25/3; the gap grew from 3 to 22 - 25/3.
    assert areas["SE21"]["did"] == approx((22 - 25 / 3) - 3)
    assert exp_did["SE21"] == pytest.approx((22 - 25 / 3) - 3)
    # Every key figure is there, in the contract's order.
    assert [f["key"] for f in snap["comparison"]["figures"]][:3] == [
        "members",
        "workplaces",
        "clubs",
    ]

    # The workbook has the same numbers.
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    rows = list(wb["Jämförelse per år"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    labels = snap["comparison"]["groups"]
    cells = {
        (r[col["År"]], r[col["Grupp"]]): r[col["Medel per avdelning"]]
        for r in rows[1:]
        if r[col["Nyckeltal"]] == fig["label"]
    }
    for y in YEARS:
        for g in ("pilot", "others"):
            assert cells[(y, labels[g])] == approx(exp_years[y][g])
    rows = list(wb["Jämförelse före och efter"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    did_cells = {
        r[col["NUTS"]]: r[col["Förändring av skillnaden"]]
        for r in rows[1:]
        if r[col["Nyckeltal"]] == fig["label"]
    }
    assert did_cells == {code: approx(value) for code, value in exp_did.items()}

    # The page (and so the PDF) shows them: each chart, and its rows in the tables.
    html = render.render_html(v)
    assert 'id="bilaga-jamforelse"' in html
    assert 'id="diagram-jamforelse-skills_women"' in html
    assert 'id="diagram-jamforelse-did-skills_women-tabell"' in html
    assert tal(round(exp_did["SE21"], 4)) in html
    assert "Jämförelsen visar skillnaden, inte orsaken." in html


def test_an_area_edition_compares_the_areas_departments(figures):
    v = compile_now(2021, nuts=figures.se22)
    fig = figure_of(v.snapshot, "skills_women")
    exp_years, exp_did = expected("skills_women", [2019, 2020, 2021], nuts_code="SE22")
    assert v.snapshot["comparison"]["years"] == [2019, 2020, 2021]
    assert [a["code"] for a in fig["areas"]] == ["SE22"]
    assert fig["areas"][0]["did"] == approx(exp_did["SE22"])
    for row in fig["by_year"]:
        assert row["pilot"]["mean"] == approx(exp_years[row["year"]]["pilot"])


def test_the_national_boards_edition_has_no_comparison(figures):
    v = compile_now(2021, edition=FS)
    assert v.snapshot["comparison"] is None
    html = render.render_html(v)
    assert "bilaga-jamforelse" not in html
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    assert "Jämförelse per år" not in wb.sheetnames


def test_an_approved_report_keeps_its_comparison_when_figures_change(figures):
    v = compile_now(2021)
    services.rapport_approve(version=v, user=figures.steering)
    v = Rapportversion.objects.get(pk=v.pk)
    snap, html = v.snapshot, render.render_html(v)
    before = figure_of(snap, "skills_women")

    row = Nyckeltal.objects.get(avdelning=figures.a1, year=2020)
    row.skills_women = 300
    row.save()

    again = Rapportversion.objects.get(pk=v.pk)
    assert again.snapshot == snap
    assert render.render_html(again) == html
    # A new compilation would show the edit: the test above could fail.
    fresh = figure_of(compile_now(2021).snapshot, "skills_women")
    assert fresh["by_year"] != before["by_year"]


# --- the national activities -----------------------------------------------------------


def test_national_activities_are_shown_apart_and_counted_as_documented(cast):
    data = build(cast)
    made = add_national(data, 3)
    v = compile_now(2024)
    snap = v.snapshot
    national = [a for a in Aktivitet.objects.filter(date__year=2024) if a.nuts_omrade_id is None]
    assert len(national) == 3
    assert snap["national"]["total"] == 3
    assert snap["national"]["participants"]["women"] == sum(a.participants_women for a in made)
    goals = defaultdict(int)
    for a in national:
        for g in a.verksamhetsmal.all():
            goals[str(g.number)] += 1
    assert {k: v for k, v in snap["national"]["by_goal"].items() if v} == dict(goals)
    assert [a["title"] for a in snap["national"]["list"]] == sorted(
        (a.title for a in national), key=lambda t: next(x.date for x in national if x.title == t)
    )
    # In the whole project's total once each, in no area's count (rule 9), even though each
    # has a department in SE21 or SE22.
    everything = Aktivitet.objects.filter(date__year=2024)
    assert {k["key"]: k["value"] for k in snap["key_figures"]}["activities"] == everything.count()
    for code in ("SE21", "SE22"):
        in_area = {
            a.pk
            for a in everything.exclude(nuts_omrade__isnull=True)
            if a.nuts_omrade.code == code
            or any(d.nuts_omrade.code == code for d in a.avdelningar.all())
        }
        assert snap["activities"]["by_area"][code] == len(in_area)

    html = render.render_html(v)
    assert "Nationella och tvärgående aktiviteter" in html
    assert all(a.title in html for a in national)
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    rows = list(wb["Nationella aktiviteter"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == [a["title"] for a in snap["national"]["list"]]
    activity_rows = list(wb["Aktiviteter"].iter_rows(values_only=True))
    assert ("Nationella", "Totalt", 3) in activity_rows

    # An area's edition has none of them, and says why.
    area = compile_now(2024, nuts=data.se21)
    assert area.snapshot["national"] is None
    assert "ingår därför inte i områdets rapport" in render.render_html(area)
    # The national board's summary says how many there were, without the list.
    board = compile_now(2024, edition=FS)
    assert board.snapshot["national"]["total"] == 3 and board.snapshot["national"]["list"] == []
    assert "var 3 nationella" in render.render_html(board)
