"""The report's front page (docs/rapport.md, "Framsidan"): the overall assessment, each
goal's status and chart with last year's change, the areas with their year against the
guidance, the trend and the costs; "Att besluta" in the steering group's edition; and the
figures in its charts equal to those in the appendix tables and in the workbook.

The HTML tests render an unsaved version of a gathered snapshot (no PDF: fast); the one
test that compiles for real reads the stored workbook.
"""

import datetime
import io
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mal import reporting as mal_reporting
from mal.models import Atagande, Mognadsriktlinje, Projektmal
from presentation.templatetags.tal import andel, antal
from rapporter import render, services
from rapporter.models import Berattelse, Rapportversion
from rapporter.snapshot import gather

from .dataset import build

STYR = Rapportversion.Edition.STYRGRUPP
FS = Rapportversion.Edition.FORBUNDSSTYRELSE
NBSP = "\u00a0"


def version_of(snap, **fields):
    """An unsaved, finished version holding the snapshot (what render reads)."""
    return Rapportversion(
        year=snap["year"],
        edition=snap["edition"],
        number=1,
        status=Rapportversion.Status.DONE,
        snapshot=snap,
        **fields,
    )


class Tables(HTMLParser):
    """The tables of a page: id, caption and the text of each row's cells."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._in_caption = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"id": dict(attrs).get("id"), "caption": "", "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace(NBSP, " "))
        elif self._in_caption:
            self.tables[-1]["caption"] += data


def tables_of(html):
    parser = Tables()
    parser.feed(html)
    return parser.tables


def by_id(tables, table_id):
    return next(t for t in tables if t["id"] == table_id)


def by_header(tables, *first):
    """Every table whose header row starts with these cells."""
    return [t for t in tables if t["rows"] and t["rows"][0][: len(first)] == list(first)]


def n(value):
    return antal(value).replace(NBSP, " ")


@pytest.fixture
def data(cast):
    return build(cast)


# --- the status rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "approved, achieved, at_risk, not_achieved, on_track, state",
    [
        (0, 0, 0, 0, 0, "inga"),
        (4, 0, 0, 0, 0, "ej_uppfoljt"),
        (4, 0, 0, 0, 4, "pa_vag"),  # followed up, all on plan
        (8, 7, 1, 0, 0, "pa_vag"),  # an eighth at risk
        (8, 6, 2, 0, 0, "risk"),  # a quarter at risk
        (8, 5, 2, 1, 0, "risk"),
        (6, 3, 1, 2, 0, "efter"),  # a third not achieved
        (10, 4, 5, 1, 0, "efter"),  # more than half at risk or not achieved
        (10, 5, 4, 1, 0, "risk"),  # exactly half: not yet behind
    ],
)
def test_goal_state(approved, achieved, at_risk, not_achieved, on_track, state):
    counts = {
        "approved": approved,
        "achieved": achieved,
        "at_risk": at_risk,
        "not_achieved": not_achieved,
        "on_track": on_track,
    }
    assert render.goal_state(counts) == state
    word, symbol = render.GOAL_STATES[state]
    assert word and symbol  # a word and a symbol, never colour alone


def test_a_snapshot_before_the_on_track_count_is_never_not_followed_up():
    old = {"approved": 4, "achieved": 0, "at_risk": 0, "not_achieved": 0}
    assert render.goal_state(old) == "pa_vag"


# --- last year's figures and the guidance in the snapshot ----------------------------------


def test_last_years_counts_per_goal_equal_last_years_report(data, django_assert_num_queries):
    snap = gather(year=2024, edition=FS)
    last = gather(year=2023, edition=FS)
    assert snap["previous_year"]["year"] == 2023
    before = {g["number"]: g["commitments"] for g in snap["previous_year"]["goals"]}
    for g in last["goals"]:
        for key in ("total", "approved", "achieved", "at_risk", "not_achieved"):
            assert before[g["number"]][key] == g["commitments"][key], (g["number"], key)
    # One grouped query, whatever the number of commitments or goals.
    with django_assert_num_queries(1):
        mal_reporting.goal_counts(year=2023)
    with django_assert_num_queries(1):
        mal_reporting.goal_counts(year=2023, nuts_ids=[data.se22.pk])
    # The first year of the project has no last year.
    assert gather(year=2019, edition=FS)["previous_year"] is None


def test_gather_queries_do_not_grow_with_last_years_rows(cast, django_assert_num_queries):
    build(cast)
    # 30 before issues 16 and 17; the comparison adds 11 on this dataset and the national
    # list 1, the decision log's year 1, the analysis meetings 2, the new areas 1.
    with django_assert_num_queries(46) as few:
        gather(year=2024, edition=STYR)
    # Three times last year's commitments: the same queries.
    goal = Atagande.objects.filter(year=2023).first().verksamhetsmal
    for i in range(2 * Atagande.objects.filter(year=2023).count()):
        Atagande.objects.create(
            avdelning=cast.a1, year=2023, verksamhetsmal=goal, title=f"Fler {i}", action_plan="."
        )
    with django_assert_num_queries(len(few.captured_queries)):
        gather(year=2024, edition=STYR)


def test_each_areas_departments_against_the_guidance(data, django_assert_num_queries):
    pm = {p.number: p for p in Projektmal.objects.all()}
    Mognadsriktlinje.objects.create(maturity=1, projektmal=pm[1], min_commitments=2)
    Mognadsriktlinje.objects.create(maturity=5, projektmal=pm[2], min_commitments=1)
    Mognadsriktlinje.objects.create(maturity=6, projektmal=pm[1], min_commitments=3)
    with django_assert_num_queries(1):
        rules = mal_reporting.guidance(maturities=[5, 6, None])
    assert rules == {5: {1: 2, 2: 1}, 6: {1: 3, 2: 1}}

    snap = gather(year=2024, edition=FS)
    for area in snap["areas"]:
        g = area["guideline"]
        minimums = rules[area["maturity"]]
        # Recounted from the rows: every commitment of each of the area's departments.
        counts = Counter(
            (a.avdelning.name, a.verksamhetsmal.projektmal.number)
            for a in Atagande.objects.filter(
                year=2024, avdelning__nuts_omrade__code=area["code"]
            ).select_related("avdelning", "verksamhetsmal__projektmal")
        )
        names = sorted(d.name for d in data.departments if d.nuts_omrade.code == area["code"])
        assert g["maturity"] == area["maturity"] and g["departments"] == len(names)
        assert [r["projektmal"] for r in g["rules"]] == sorted(minimums)
        for r in g["rules"]:
            assert r["minimum"] == minimums[r["projektmal"]]
            assert r["meeting"] == sum(counts[(d, r["projektmal"])] >= r["minimum"] for d in names)
        short = {d for d in names if any(counts[(d, p)] < m for p, m in minimums.items())}
        assert {s["avdelning"] for s in g["short"]} == short
        assert g["meeting"] == len(names) - len(short)

    html = render.render_html(version_of(snap))
    se21 = next(a for a in snap["areas"] if a["code"] == "SE21")
    g = se21["guideline"]
    assert (
        f"projektår {se21['maturity']}: {g['meeting']} av {g['departments']} avdelningar når "
        "riktlinjen (minst 3 under En effektiv organisation, 1 under Trygghet och omställning)"
    ) in html
    # The workbook has it too.
    sheets = {title: (header, rows) for title, header, rows in render.workbook_sheets(snap)}
    header, rows = sheets["Riktlinjer"]
    assert [
        "SE21",
        6,
        "En effektiv organisation",
        3,
        g["departments"],
        g["rules"][0]["meeting"],
    ] in [list(r) for r in rows]


# --- the page ------------------------------------------------------------------------------


def h2_ids(html):
    return re.findall(r'<h2 id="([^"]+)"', html)


@pytest.mark.parametrize("edition", [STYR, FS])
def test_front_page_first_then_the_appendices(data, edition):
    html = render.render_html(version_of(gather(year=2024, edition=edition)))
    ids = h2_ids(html)
    front = ["samlad-bedomning", "verksamhetsmalen", "omradena", "utvecklingen", "kostnaden"]
    assert ids[:5] == front
    if edition == STYR:
        assert ids[5:7] == ["innehall-rubrik", "att-besluta-rubrik"]
    else:
        assert "att-besluta-rubrik" not in ids and "innehall-rubrik" not in ids
    assert all(i.startswith("bilaga-") for i in ids[len(front) + (2 if edition == STYR else 0) :])
    # The page's own "skip to content" target is main#innehall: no id of the report repeats it.
    assert 'id="innehall"' not in html
    # The front page answers without a table: the first table is in an appendix.
    assert html.index("<table") > html.index('id="bilaga-nyckeltal"')
    # Each goal has its status as a word (and a symbol) on the front page.
    front_page = html[: html.index('id="bilaga-nyckeltal"')]
    for g in render.goal_states(version_of(gather(year=2024, edition=edition)).snapshot):
        assert f"<strong>{g['word']}</strong>: {g['number']} {g['title']}" in front_page


def test_every_chart_is_a_figure_with_caption_text_alternative_and_its_table(data):
    html = render.render_html(version_of(gather(year=2024, edition=STYR)))
    tables = tables_of(html)
    for chart_id in render.CHART_IDS.values():
        figure = re.search(
            rf'<figure class="rapport-figure" id="{chart_id}">(.*?)</figure>', html, re.S
        )
        assert figure, chart_id
        svg = figure[1]
        root = re.search(r"<svg [^>]*>", svg)[0]
        assert 'width="100%"' in root and 'role="img"' in root and "viewBox=" in root
        assert not re.search(r'(width|height)="\d+(\.\d+)?(px)?"', root)  # scales, no fixed size
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in root
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]*\d[^<]*</desc>', svg)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", svg, re.S)[1]
        assert f'href="#{chart_id}-tabell">Tabell: ' in caption
        table = by_id(tables, f"{chart_id}-tabell")  # in the appendix
        assert table["caption"].startswith("Tabell: ") and len(table["rows"]) > 1
        assert html.index(f'id="{chart_id}-tabell"') > html.index('id="bilaga-nyckeltal"')


def test_a_long_assessment_is_cut_with_a_link_to_the_whole(data):
    Berattelse.objects.filter(year=2024, nuts_omrade__isnull=True).delete()
    text = " ".join(f"Mening {i} om hur året gick." for i in range(60))
    Berattelse.objects.create(year=2024, nuts_omrade=None, text=text)
    html = render.render_html(version_of(gather(year=2024, edition=FS)))
    front = html[: html.index('id="verksamhetsmalen"')]
    shown = re.search(r'<section class="bedomning".*?<p>(.*?)</p>', front, re.S)[1]
    assert shown.endswith(" …") and len(shown) <= render.EXCERPT_CHARS + 2
    assert text.startswith(shown[:-2])
    assert '<a href="#bilaga-bedomning">Läs hela bedömningen' in front
    appendix = html[html.index('id="bilaga-bedomning"') :]
    assert text in appendix

    Berattelse.objects.filter(year=2024, nuts_omrade__isnull=True).update(text="Kort.")
    html = render.render_html(version_of(gather(year=2024, edition=FS)))
    assert "Läs hela" not in html and 'id="bilaga-bedomning"' not in html


def test_att_besluta_says_what_needs_a_decision(data):
    Berattelse.objects.filter(year=2024, nuts_omrade=data.se22).delete()
    snap = gather(year=2024, edition=STYR)
    html = render.render_html(version_of(snap))
    section = html[html.index('id="att-besluta"') : html.index('id="bilaga-nyckeltal"')]
    assert "Godkänna rapporten" in section and "Version 1 väntar på styrgruppens beslut" in section
    open_ = Counter(a.status for a in Atagande.objects.filter(year=2024) if a.status != "approved")
    assert f"{sum(open_.values())} av årets {Atagande.objects.filter(year=2024).count()}" in section
    assert "SE22 Sydsverige: samordnarens berättelse" in section
    # The table of contents lists "Att besluta" and every appendix, each a link on the page.
    toc = re.search(r'<nav class="innehall".*?</nav>', html, re.S)[0]
    for target in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{target}"' in html, target
    # No decision recorded yet: no decisions table (test_beslut.py has them once recorded).
    assert "Styrgruppens beslut" not in html


def test_the_cover_stamp(data, cast):
    snap = gather(year=2024, edition=FS)
    html = render.render_html(version_of(snap))
    assert "Utkast: rapporten är ej godkänd av styrgruppen." in html
    cast.steering.person.name = "Stina Styrgrupp"
    cast.steering.person.save()
    when = timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0))
    html = render.render_html(version_of(snap, approved_at=when, approved_by=cast.steering))
    assert "Rapporten är godkänd av styrgruppen 2025-02-03 (Stina Styrgrupp)." in html
    assert "ej godkänd" not in html


def test_a_snapshot_from_before_the_front_page_still_renders(data):
    snap = gather(year=2024, edition=STYR)
    snap["schema"] = 2
    del snap["previous_year"]
    for a in snap["areas"]:
        for key in ("forums_with_seat", "fund_projects", "guideline"):
            del a[key]
    for g in snap["goals"]:
        del g["commitments"]["on_track"]
    html = render.render_html(version_of(snap))
    assert 'id="diagram-mal"' in html and "Verksamhetsmålen 2024" in html
    assert render.workbook_sheets(snap)


# --- the figures agree ------------------------------------------------------------------------


def test_front_page_figures_equal_the_appendix_and_the_workbook(data):
    """Every number the four charts were drawn from (Chart.table) is the same in the
    appendix tables of the page and in the compiled workbook."""
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    v = services.rapport_compile(version_id=v.pk)
    snap = v.snapshot
    html = render.render_html(v)
    tables = tables_of(html)
    wb = load_workbook(io.BytesIO(v.xlsx.read()))

    def sheet(name):
        rows = list(wb[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]

    drawn = render.draw_charts(snap)

    # Each chart's own table in the appendix, cell by cell.
    for f in drawn.values():
        page = by_id(tables, f"{f['id']}-tabell")["rows"]
        assert page[0] == f["chart"].table.header
        assert page[1:] == [[c["text"].replace(NBSP, " ") for c in r] for r in f["table"]["rows"]]

    # 1. Per goal: the projektmål tables (today's appendix) and the Verksamhetsmål sheet.
    goal_rows = {r[0]: r for r in drawn["goals"]["chart"].table.rows}
    header = drawn["goals"]["chart"].table.header
    assert header[-2:] == ["Godkända 2023", "Uppnådda 2023"]
    appendix = {
        row[0]: row
        for t in by_header(tables, "Verksamhetsmål", "Åtaganden", "Godkända")
        for row in t["rows"][1:]
    }
    workbook = {r["Mål"]: r for r in sheet("Verksamhetsmål")}
    for number, (
        _,
        title,
        total,
        approved,
        achieved,
        at_risk,
        not_achieved,
        other,
        *prev,
    ) in goal_rows.items():
        cells = appendix[f"{number} {title}"]
        assert cells[1:6] == [n(total), n(approved), n(achieved), n(at_risk), n(not_achieved)]
        w = workbook[number]
        assert [w["Åtaganden"], w["Godkända"], w["Uppnådda"], w["I riskzonen"]] == [
            total,
            approved,
            achieved,
            at_risk,
        ]
        assert w["Ej uppnådda"] == not_achieved
        assert other == max(w["Godkända"] - w["Uppnådda"] - w["I riskzonen"] - w["Ej uppnådda"], 0)
        assert prev == [w["Godkända förra året"], w["Uppnådda förra året"]]
        if approved:  # the chart writes the same numbers beside the bar
            assert f"{antal(achieved)} av {antal(approved)} uppnådda" in drawn["goals"]["chart"].svg

    # 2. The areas: the Områden table and sheet.
    areas_page = {r[0]: r for r in by_header(tables, "Område", "Med sedan")[0]["rows"][1:]}
    areas_book = {r["NUTS"]: r for r in sheet("Områden")}
    for code, name, activities, achieved, forums, projects in drawn["areas"]["chart"].table.rows:
        row = areas_page[f"{code} {name}"]
        assert [row[4], row[5]] == [n(achieved), n(activities)]
        w = areas_book[code]
        assert [w["Aktiviteter"], w["Uppnådda"], w["Forum med plats"]] == [
            activities,
            achieved,
            forums,
        ]
        assert w["Strukturfondsprojekt"] == projects

    # 3. The trend: each area's table from the year it joined, the whole project's year by
    # year; the sheets Trend per område and Trend.
    codes = {a["name"]: a["code"] for a in snap["areas"]}
    per_area_book = {(r["NUTS"], r["År"]): r for r in sheet("Trend per område")}
    whole_book = {r["År"]: r for r in sheet("Trend")}
    whole_page = {
        r[0]: r
        for r in next(t for t in tables if t["caption"] == "Hela rapporten år för år")["rows"]
    }
    for name, year, maturity, activities, achieved, forums, projects in drawn["trends"][
        "chart"
    ].table.rows:
        code = codes[name]
        table = next(t for t in tables if t["caption"].startswith(f"{code} {name} sedan"))
        row = next(r for r in table["rows"] if r[0] == str(year))
        assert [row[1], row[3], row[4]] == [str(maturity), n(achieved), n(activities)]
        w = per_area_book[(code, year)]
        assert [w["Projektår"], w["Uppnådda"], w["Aktiviteter"]] == [maturity, achieved, activities]
        assert [whole_page[str(year)][5], whole_page[str(year)][6]] == [n(forums), n(projects)]
        assert [whole_book[year]["Forum med plats"], whole_book[year]["Strukturfondsprojekt"]] == [
            forums,
            projects,
        ]

    # 4. The costs by area: the national half, each area's departments summed, the total.
    cost_page = next(
        t for t in tables if t["rows"] and t["rows"][0][:2] == ["Part", "Medlemmar 1 jan"]
    )
    page_amounts = {r[0]: r[3] for r in cost_page["rows"][1:]}
    book = sheet("Kostnadsfördelning")
    nuts_of = {r["avdelning"]: r["nuts_code"] for r in snap["costs"]["rows"]}
    chart_rows = drawn["costs"]["chart"].table.rows
    assert chart_rows[0][0] == "IF Metall (förbundet)"
    assert chart_rows[0][2] == book[0]["Belopp (kr)"]
    assert n(chart_rows[0][2]) == page_amounts["IF Metall (förbundet)"]
    for part, code, amount, share in chart_rows[1:-1]:
        in_book = sum(r["Belopp (kr)"] for r in book if r["NUTS"] == code)
        in_page = sum(
            int(page_amounts[d].replace(" ", "")) for d, c in nuts_of.items() if c == code
        )
        assert amount == in_book == in_page, part
        assert andel(share) == andel(amount / snap["costs"]["total"])
    assert chart_rows[-1][2] == book[-1]["Belopp (kr)"] == snap["costs"]["total"]
