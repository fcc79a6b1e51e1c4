"""The report's charts (presentation/charts.py): accessible SVG that carries its numbers as
text in Swedish formats, the same bytes for the same data, and a figure for empty data.

The data is built in the snapshot's shape (rapporter/snapshot.py); one database test feeds
the functions a real snapshot of the report dataset.
"""

import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import matplotlib
import pytest
from django.conf import settings

from presentation import charts
from rapporter.models import Rapportversion
from rapporter.snapshot import gather
from tests.rapporter.dataset import build

NS = {"svg": "http://www.w3.org/2000/svg"}
NBSP = "\u00a0"
TITLES = [
    "Åtaganden på samtliga nivåer",
    "Kompetenssprång för industriarbetare",
    "Avdelningssamverkan",
    "Tillgång till Strukturfonder",
    "Utveckling på arbetsplatsen",
    "En central uppgift för politiken",
    "Etablerade samverkansforum",
    "Stärkt regional samverkan",
]


def goal(number, approved, achieved, at_risk, not_achieved, total=None):
    return {
        "number": number,
        "title": TITLES[number - 1],
        "projektmal": (number + 2) // 3,
        "commitments": {
            "total": approved if total is None else total,
            "approved": approved,
            "achieved": achieved,
            "at_risk": at_risk,
            "not_achieved": not_achieved,
            "targets": approved,
            "targets_met": achieved,
        },
        "activities": 3 * number,
    }


# (approved, achieved, at risk, not achieved) per goal, this year and last.
THIS_YEAR = [(12, 8, 2, 1), (7, 3, 1, 1), (10, 5, 2, 1), (13, 6, 2, 1)]
THIS_YEAR += [(2, 1, 0, 0), (5, 2, 1, 0), (8, 4, 1, 1), (11, 5, 2, 1)]
LAST_YEAR = [(10, 6, 1, 1), (6, 3, 0, 2), (9, 6, 1, 0), (4, 1, 1, 0)]
LAST_YEAR += [(3, 2, 0, 0), (5, 4, 0, 1), (8, 5, 1, 0), (9, 7, 0, 1)]
GOALS = [goal(n, *row, total=row[0] + 2) for n, row in enumerate(THIS_YEAR, 1)]
PREVIOUS = [goal(n, *row) for n, row in enumerate(LAST_YEAR, 1)]

AREAS = [
    {
        "code": "SE21",
        "name": "Småland med öarna",
        "joined": "2019-01-01",
        "maturity": 6,
        "activities": 1234,
        "commitments": 40,
        "commitments_achieved": 17,
    },
    {
        "code": "SE22",
        "name": "Sydsverige",
        "joined": "2020-01-01",
        "maturity": 5,
        "activities": 56,
        "commitments": 31,
        "commitments_achieved": 9,
    },
]
FORUMS = {
    "total": 4,
    "with_seat": 3,
    "initiated": 1,
    "list": [
        {"name": "Industrirådet Kalmar", "area": "SE21", "type": "Industriråd", "seats": 2},
        {"name": "Kompetensplattformen", "area": "SE21", "type": "Plattform", "seats": 1},
        {"name": "Programrådet", "area": "SE21", "type": "Programråd", "seats": 0},
        {"name": "Omställningsrådet", "area": "SE22", "type": "Råd", "seats": 1},
    ],
}
FUND_PROJECTS = [
    {"name": "CO-Skill", "areas": ["SE22"]},
    {"name": "Framtidssäkrad industri", "areas": ["SE21", "SE22"]},
    {"name": "Lyftet", "areas": ["SE21"]},
]


def trend_row(year, by_area, **whole):
    return {
        "year": year,
        "forums_with_seat": whole.get("forums", 0),
        "fund_projects": whole.get("projects", 0),
        "by_area": {
            code: {
                "maturity": maturity,
                "activities": activities,
                "commitments": achieved + 3,
                "commitments_achieved": achieved,
            }
            for code, (maturity, activities, achieved) in by_area.items()
        },
    }


TREND = [
    trend_row(2022, {"SE21": (4, 310, 11)}, forums=2, projects=1),
    trend_row(2023, {"SE21": (5, 480, 14), "SE22": (4, 25, 4)}, forums=3, projects=2),
    trend_row(2024, {"SE21": (6, 1234, 17), "SE22": (5, 56, 9)}, forums=3, projects=3),
]
COSTS = {
    "year": 2024,
    "entered": True,
    "total": 1_000_000,
    "national": 500_000,
    "departments_half": 500_000,
    "undistributed": 0,
    "complete": True,
    "warnings": [],
    "rows": [
        {"avdelning": "Avdelning A1", "nuts_code": "SE21", "members": 1000, "share": 0.25,
         "amount": 125_000},
        {"avdelning": "Avdelning A2", "nuts_code": "SE21", "members": 1000, "share": 0.25,
         "amount": 125_000},
        {"avdelning": "Avdelning B1", "nuts_code": "SE22", "members": 2000, "share": 0.5,
         "amount": 250_000},
    ],
}  # fmt: skip


def all_four():
    return {
        "goals": charts.goal_status(GOALS, year=2024, previous=PREVIOUS, previous_year=2023),
        "areas": charts.areas_side_by_side(
            AREAS, forums=FORUMS, fund_projects=FUND_PROJECTS, year=2024
        ),
        "trends": charts.area_trends(TREND, AREAS),
        "costs": charts.cost_split(COSTS),
    }


@pytest.fixture(scope="module")
def drawn():
    return all_four()


def root(chart):
    return ET.fromstring(chart.svg)


def texts(chart):
    """Every text drawn in the chart, one string per <text> element (a line)."""
    return ["".join(t.itertext()) for t in root(chart).iter(f"{{{NS['svg']}}}text")]


# --- Every chart ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["goals", "areas", "trends", "costs"])
def test_svg_is_an_accessible_image_that_scales(drawn, name):
    chart = drawn[name]
    svg = root(chart)  # parses as XML
    assert svg.tag == f"{{{NS['svg']}}}svg"
    assert svg.get("role") == "img"
    title = svg.find("svg:title", NS)
    desc = svg.find("svg:desc", NS)
    assert title.text == chart.caption and desc.text == chart.alt
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert list(svg)[:2] == [title, desc]  # first children: read before anything else
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg.get("viewBox"))
    assert svg.get("width") == "100%" and svg.get("height") is None
    # Nothing that dates the file, styles the whole page or embeds a font.
    assert "<metadata" not in chart.svg and "<style" not in chart.svg
    assert "<?xml" not in chart.svg and "<!DOCTYPE" not in chart.svg
    assert "@font-face" not in chart.svg and "DejaVuSans-" not in chart.svg
    assert texts(chart), "text stays text (svg.fonttype none)"
    assert "DejaVu Sans" in svg.get("font-family")  # said once, inherited by every text
    assert not [t for t in svg.iter(f"{{{NS['svg']}}}text") if t.get("font-family")]
    assert not [e for e in svg.iter() if e.get("style")]  # presentation attributes, no CSS
    assert len(chart.svg) < 60_000
    assert chart.table.header and chart.table.rows


def test_ids_are_prefixed_and_unique_on_a_page(drawn):
    page_ids = []
    for chart in drawn.values():
        ids = [e.get("id") for e in root(chart).iter() if e.get("id")]
        prefix = ids[0].rsplit("-title", 1)[0]
        assert all(i.startswith(prefix + "-") for i in ids)
        for ref in re.findall(r'(?:url\(#|xlink:href="#)([^")]+)', chart.svg):
            assert ref in ids
        page_ids += ids
    assert len(page_ids) == len(set(page_ids))
    again = charts.cost_split(COSTS, chart_id="kostnad-2")
    assert 'id="kostnad-2-title"' in again.svg and "diagram-kostnad" not in again.svg


def test_the_same_data_gives_the_same_bytes(drawn):
    assert all_four() == drawn
    assert {k: c.svg for k, c in all_four().items()} == {k: c.svg for k, c in drawn.items()}


def test_text_from_the_data_is_escaped():
    area = {**AREAS[0], "name": "Väst & <Syd>"}
    chart = charts.areas_side_by_side([area])
    assert "Väst & <Syd>" in texts(chart)  # parsed back from &amp; and &lt;
    assert "<Syd>" not in chart.svg
    assert root(chart).find("svg:desc", NS).text.startswith("Väst & <Syd>: aktiviteter")


def test_a_chart_in_a_template_is_its_svg(drawn):
    from django.template import Context, Template

    html = Template("<figure>{{ chart }}</figure>").render(Context({"chart": drawn["goals"]}))
    assert html == f"<figure>{drawn['goals'].svg}</figure>"


def test_palette_is_okabe_ito_and_never_colour_alone():
    palette = list(charts.OKABE_ITO.values())
    assert len(set(palette)) == 8
    status = charts.STATUS.values()
    assert {s.colour for s in status} <= set(palette)
    assert len({s.colour for s in status}) == len(charts.STATUS)
    # A grey print tells the statuses apart by their pattern.
    assert len({s.hatch for s in status}) == len(charts.STATUS)
    areas = charts.AREA_STYLES
    assert len({s.colour for s in areas}) == len({s.marker for s in areas}) == 8
    assert {s.colour for s in areas} == set(palette)


# --- 1. Per activity goal -----------------------------------------------------------------


def test_goal_status_writes_every_number(drawn):
    chart = drawn["goals"]
    lines = texts(chart)
    for g, prev in zip(GOALS, PREVIOUS, strict=True):
        c, p = g["commitments"], prev["commitments"]
        assert f"{g['number']} {g['title']}" in lines
        assert f"{c['achieved']} av {c['approved']} uppnådda" in lines
        assert f"2023: {p['achieved']}" in lines
        diff = c["achieved"] - p["achieved"]
        assert (f"{diff:+d}" if diff else "oförändrat") + " mot 2023" in lines
    # Each segment carries its number (here every one is wide enough to hold it).
    segments = Counter(
        str(n)
        for approved, *outcomes in THIS_YEAR
        for n in [*outcomes, approved - sum(outcomes)]
        if n
    )
    assert not segments - Counter(t for t in lines if t.isdigit())
    assert "Övriga godkända" in lines
    assert chart.alt.startswith("Totalt 68 godkända åtaganden, 34 uppnådda.")
    assert "Mål 1, Åtaganden på samtliga nivåer: 12 godkända; uppnådda 8 (2023: 6)" in chart.alt
    assert chart.table.rows[0] == [1, TITLES[0], 14, 12, 8, 2, 1, 1, 10, 6]


def test_goal_status_without_last_year():
    chart = charts.goal_status(GOALS, year=2024)
    assert "8 av 12 uppnådda" in texts(chart)
    assert not [t for t in texts(chart) if "mot" in t]
    assert chart.table.header[-1] == "Övriga godkända"


# --- 2. The areas side by side ---------------------------------------------------------------


def test_areas_side_by_side_in_swedish_numbers(drawn):
    chart = drawn["areas"]
    lines = texts(chart)
    assert f"1{NBSP}234" in lines  # activities: a no-break space between thousands
    assert {"56", "17", "9"} <= set(lines)
    # Forums with a seat and fund projects per area, counted from the year's lists.
    assert chart.table.rows == [
        ["SE21", "Småland med öarna", 1234, 17, 2, 2],
        ["SE22", "Sydsverige", 56, 9, 1, 2],
    ]
    assert "Småland med öarna" in lines and "Sydsverige" in lines
    assert "Sydsverige: aktiviteter 56, uppnådda åtaganden 9, forum med plats 1 och " in chart.alt


def test_areas_own_figures_come_first():
    own = [{**a, "forums_with_seat": 7, "fund_projects": 5} for a in AREAS]
    chart = charts.areas_side_by_side(own, forums=FORUMS, fund_projects=FUND_PROJECTS)
    assert [r[-2:] for r in chart.table.rows] == [[7, 5], [7, 5]]


def test_areas_without_forum_lists_leave_those_figures_out():
    chart = charts.areas_side_by_side(AREAS)
    assert chart.table.header == ["NUTS", "Område", "Aktiviteter", "Uppnådda åtaganden"]


# --- 3. Each area's trend ---------------------------------------------------------------------


def test_area_trends_from_the_year_each_area_joined(drawn):
    chart = drawn["trends"]
    lines = texts(chart)
    assert {"2022", "2023", "2024"} <= set(lines)  # years as whole numbers, no separator
    assert f"2{NBSP}022" not in lines
    for value in (f"1{NBSP}234", "480", "310", "25", "56", "11", "14", "17", "4", "9"):
        assert value in lines, value
    assert ["Sydsverige", 2023, 4, 25, 4, 3, 2] in chart.table.rows
    assert ["Småland med öarna", 2022, 4, 310, 11, 2, 1] in chart.table.rows
    assert len(chart.table.rows) == 5  # SE22 has no row before it joined
    # Forums and projects are not in the rows per area: drawn for the whole project.
    assert "Forum med plats (hela projektet)" in chart.table.header
    assert "Forum med plats, hela projektet" in lines
    assert "Aktiviteter: Småland med öarna från 310 (2022) till 1 234 (2024)" in chart.alt.replace(
        NBSP, " "
    )


def test_area_trends_per_area_where_the_rows_have_them():
    rows = [
        {**t, "by_area": {c: {**v, "forums_with_seat": 2, "fund_projects": 1}
                          for c, v in t["by_area"].items()}}
        for t in TREND
    ]  # fmt: skip
    chart = charts.area_trends(rows, AREAS)
    assert "Forum med plats" in chart.table.header
    assert not [h for h in chart.table.header if "hela projektet" in h]


# --- 4. The cost split ------------------------------------------------------------------------


def test_cost_split_in_kronor_and_percent(drawn):
    chart = drawn["costs"]
    lines = texts(chart)
    assert f"500{NBSP}000{NBSP}kr" in lines
    assert f"125{NBSP}000{NBSP}kr" in lines and f"250{NBSP}000{NBSP}kr" in lines
    assert f"12,5{NBSP}%" in lines and f"25{NBSP}%" in lines and f"50{NBSP}%" in lines
    assert f"Totalt 1{NBSP}000{NBSP}000{NBSP}kr" in lines
    assert chart.table.rows[1] == ["Avdelning A1", "SE21", 125_000, 0.125]
    assert chart.table.rows[-1] == ["Totalt", "", 1_000_000, 1.0]
    assert chart.alt.startswith(f"Projektkostnaden är 1{NBSP}000{NBSP}000{NBSP}kr.")


def test_cost_split_by_area():
    chart = charts.cost_split(COSTS, by="omrade", areas=AREAS)
    assert [r[:3] for r in chart.table.rows] == [
        ["IF Metall (förbundet)", "", 500_000],
        ["Avdelningarna i Småland med öarna", "SE21", 250_000],
        ["Avdelningarna i Sydsverige", "SE22", 250_000],
        ["Totalt", "", 1_000_000],
    ]


def test_cost_split_that_is_incomplete_says_so():
    costs = {
        **COSTS,
        "complete": False,
        "undistributed": 500_000,
        "warnings": ["Medlemsantal 1 januari saknas för Avdelning B1."],
        "rows": [{**r, "amount": None} for r in COSTS["rows"]],
    }
    chart = charts.cost_split(costs)
    assert {"Avdelningarnas del, ej", "fördelad"} <= set(texts(chart))  # a label on two lines
    assert chart.table.rows[1] == ["Avdelningarnas del, ej fördelad", "", 500_000, 0.5]
    assert chart.alt.endswith("Medlemsantal 1 januari saknas för Avdelning B1.")


# --- Empty data ---------------------------------------------------------------------------------


NO_COMMITMENTS = [goal(n, 0, 0, 0, 0) for n in range(1, 9)]
ONE_YEAR = [trend_row(2019, {"SE21": (1, 20, 3)})]


@pytest.mark.parametrize(
    "draw, expect",
    [
        (lambda: charts.goal_status([]), "Inga åtaganden."),
        (lambda: charts.goal_status(NO_COMMITMENTS, year=2026), "Inga åtaganden."),
        (lambda: charts.goal_status(GOALS[:1], previous=[]), "8 av 12 uppnådda"),
        (lambda: charts.goal_status([goal(1, 0, 0, 0, 0, total=3)]), "inga godkända"),
        (lambda: charts.areas_side_by_side([]), "Inget område deltar."),
        (lambda: charts.areas_side_by_side(AREAS[:1], forums={"list": []}), "Småland med öarna"),
        (lambda: charts.area_trends([], []), "Ingen utveckling att visa."),
        (lambda: charts.area_trends(ONE_YEAR, AREAS[:1]), "2019"),
        (lambda: charts.area_trends(TREND, []), "Forum med plats, hela projektet"),
        (lambda: charts.cost_split({}), "Projektkostnaderna är inte inlagda."),
        (lambda: charts.cost_split({**COSTS, "total": 0}), "Projektkostnaden är 0 kr."),
        (lambda: charts.cost_split({**COSTS, "rows": []}), "Totalt 1 000 000 kr"),
    ],
)
def test_empty_or_thin_data_draws_a_figure(draw, expect):
    chart = draw()
    assert root(chart).get("role") == "img"
    assert expect in [t.replace(NBSP, " ") for t in texts(chart)]


# --- Machinery ------------------------------------------------------------------------------------


def test_fast_enough_for_a_page(drawn):
    """Well under 100 ms each on a quiet machine; the bound leaves room for a busy one
    (CPU time, not wall time) and catches a layout pass doubling the work."""
    for draw in (
        lambda: charts.goal_status(GOALS, year=2024, previous=PREVIOUS, previous_year=2023),
        lambda: charts.areas_side_by_side(AREAS, forums=FORUMS, fund_projects=FUND_PROJECTS),
        lambda: charts.area_trends(TREND, AREAS),
        lambda: charts.cost_split(COSTS),
    ):
        best = min(_cpu(draw) for _ in range(3))
        assert best < 0.3


def _cpu(draw):
    start = time.process_time()
    draw()
    return time.process_time() - start


def test_matplotlib_writes_nothing_into_the_repository():
    repo = Path(settings.BASE_DIR).resolve()
    for directory in (matplotlib.get_cachedir(), matplotlib.get_configdir()):
        assert not Path(directory).resolve().is_relative_to(repo)


def test_a_real_snapshot(cast):
    """The functions take the snapshot as rapporter.snapshot.gather makes it, and draw
    the same numbers as its tables."""
    build(cast)
    snap = gather(year=2024, edition=Rapportversion.Edition.STYRGRUPP)
    last = gather(year=2023, edition=Rapportversion.Edition.STYRGRUPP)
    drawn = charts.for_snapshot(snap, previous=last)

    goals = {r[0]: r for r in drawn["goals"].table.rows}
    for g in snap["goals"]:
        c = g["commitments"]
        row = goals[g["number"]]
        assert row[2:7] == [c["total"], c["approved"], c["achieved"], c["at_risk"]] + [
            c["not_achieved"]
        ]
        prev = next(p for p in last["goals"] if p["number"] == g["number"])
        assert row[-1] == prev["commitments"]["achieved"]
        if c["approved"]:
            assert f"{c['achieved']} av {c['approved']} uppnådda" in texts(drawn["goals"])

    areas = {r[0]: r for r in drawn["areas"].table.rows}
    for a in snap["areas"]:
        assert areas[a["code"]][2:4] == [a["activities"], a["commitments_achieved"]]
    # The dataset's forum with a seat and its fund project are Småland's.
    assert areas["SE21"][4:] == [1, 1] and areas["SE22"][4:] == [0, 0]

    per_area = {(r[0], r[1]): r for r in drawn["trends"].table.rows}
    names = {a["code"]: a["name"] for a in snap["areas"]}
    for t in snap["trend"]:
        for code, v in t["by_area"].items():
            assert per_area[(names[code], t["year"])][2:5] == [
                v["maturity"],
                v["activities"],
                v["commitments_achieved"],
            ]

    costs = drawn["costs"].table.rows
    assert costs[0][2] == snap["costs"]["national"]
    assert [r[2] for r in costs[1:-1]] == [r["amount"] for r in snap["costs"]["rows"]]
    assert costs[-1][2] == snap["costs"]["total"]
    assert f"Totalt {charts.belopp(snap['costs']['total'])}" in texts(drawn["costs"])
