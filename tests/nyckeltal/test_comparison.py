"""The comparison (nyckeltal.comparison and its page): the groups' numbers and the
difference in differences against a hand computation on a small data set written here,
the filters with junk input, the export, who sees it, and a constant number of queries.

The data set (skills_women; members on 1 January in brackets), years 2018-2021. SE21
(A1, A2) joins in 2019, SE22 (B1) in 2020 (the cast), SE33 (C1, C2) is not in the project:

    dept  2018       2019       2020       2021
    A1    10 (1000)  20 (1000)  30 (1000)  40 (1000)
    A2     6 (500)   12 (500)   14 (500)   16 (500)
    B1     4 (400)    5 (400)    9 (400)   11 (400)
    C1     8 (800)    8 (800)   10 (800)   12 (800)
    C2     2 (200)    4 (200)    –  (200)   6 (–)
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from avdelningar.models import Medlemsantal, NutsOmrade, Roll, Uppdrag
from historik.models import Handelse
from historik.services import handelse_record
from nyckeltal import comparison as c
from nyckeltal.models import Nyckeltal
from tests import factories as f

pytestmark = pytest.mark.django_db

YEARS = [2018, 2019, 2020, 2021]
VALUES = {
    "a1": [10, 20, 30, 40],
    "a2": [6, 12, 14, 16],
    "b1": [4, 5, 9, 11],
    "c1": [8, 8, 10, 12],
    "c2": [2, 4, None, 6],
}
MEMBERS = {"a1": 1000, "a2": 500, "b1": 400, "c1": 800, "c2": 200}
URL = reverse("nyckeltal:jamforelse")
QUERY = {"figure": "skills_women", "year_from": "2018", "year_to": "2021"}


@pytest.fixture
def data(cast):
    se33 = NutsOmrade.objects.get(code="SE33")
    cast.c1 = f.AvdelningFactory(name="Avdelning C1", nuts_omrade=se33)
    cast.c2 = f.AvdelningFactory(name="Avdelning C2", nuts_omrade=se33)
    for name, values in VALUES.items():
        avd = getattr(cast, name)
        for year, value in zip(YEARS, values, strict=True):
            if value is not None:
                Nyckeltal.objects.create(avdelning=avd, year=year, skills_women=value)
            if not (name == "c2" and year == 2021):
                Medlemsantal.objects.create(avdelning=avd, year=year, active_members=MEMBERS[name])
    return cast


def approx(value):
    return pytest.approx(value, abs=1e-9)


def test_the_groups_per_year_against_the_hand_computation(data):
    comp = c.comparison_compute(key="skills_women", years=YEARS)
    cell = comp.by_year
    # 2018: nobody has joined; SE21 and SE22 are "before", SE33 the others.
    assert cell[2018][c.PILOT].n == 0
    assert (cell[2018][c.BEFORE].n, cell[2018][c.BEFORE].total) == (3, 20)
    assert (cell[2018][c.OTHERS].n, cell[2018][c.OTHERS].total) == (2, 10)
    assert cell[2018][c.OTHERS].mean == approx(5)
    assert cell[2018][c.OTHERS].per_1000 == approx(10)
    # 2019: SE21 in the project, SE22 still before.
    assert (cell[2019][c.PILOT].total, cell[2019][c.PILOT].mean) == (32, approx(16))
    assert cell[2019][c.PILOT].per_1000 == approx(32 / 1500 * 1000)
    assert (cell[2019][c.BEFORE].n, cell[2019][c.BEFORE].total) == (1, 5)
    assert cell[2019][c.OTHERS].mean == approx(6)
    # 2020: C2 has no value: not counted (neither in n nor in the members).
    assert (cell[2020][c.PILOT].n, cell[2020][c.PILOT].total) == (3, 53)
    assert cell[2020][c.PILOT].per_1000 == approx(53 / 1900 * 1000)
    assert (cell[2020][c.OTHERS].n, cell[2020][c.OTHERS].mean) == (1, approx(10))
    assert cell[2020][c.OTHERS].per_1000 == approx(12.5)
    assert cell[2020][c.BEFORE].n == 0
    # 2021: C2's members are unknown: in the mean, not in per 1 000.
    assert cell[2021][c.PILOT].mean == approx(67 / 3)
    assert cell[2021][c.OTHERS].mean == approx(9)
    assert cell[2021][c.OTHERS].per_1000 == approx(15)


def test_the_difference_in_differences_against_the_hand_computation(data):
    comp = c.comparison_compute(key="skills_women", years=YEARS)
    se21, se22 = comp.areas
    assert (se21.code, se21.joined, se21.departments) == ("SE21", 2019, 2)
    # SE21 before (2018): (10+6)/2 = 8 against 5; after (2019-2021): the yearly means
    # 16, 22, 28 -> 22 against 6, 10, 9 -> 25/3.
    assert se21.before_years == [2018] and se21.after_years == [2019, 2020, 2021]
    assert (se21.area_before, se21.others_before) == (approx(8), approx(5))
    assert (se21.area_after, se21.others_after) == (approx(22), approx(25 / 3))
    assert se21.did == approx((22 - 25 / 3) - (8 - 5))
    # SE22 before (2018, 2019): 4, 5 against 5, 6; after (2020, 2021): 9, 11 against 10, 9.
    assert (se22.code, se22.joined) == ("SE22", 2020)
    assert (se22.area_before, se22.others_before) == (approx(4.5), approx(5.5))
    assert (se22.area_after, se22.others_after) == (approx(10), approx(9.5))
    assert se22.did == approx(1.5)
    assert se22.missing == ""


def test_an_area_without_years_before_it_joined_has_no_result(data):
    comp = c.comparison_compute(key="skills_women", years=[2020, 2021])
    se21 = comp.areas[0]
    assert se21.did is None and se21.missing == "Inga år före anslutningen i det valda spannet."


def test_the_area_filter_keeps_the_others_whole(data):
    comp = c.comparison_compute(key="skills_women", years=YEARS, nuts_id=data.se22.pk)
    assert [a.code for a in comp.areas] == ["SE22"]
    assert comp.by_year[2021][c.PILOT].total == 11  # B1 only
    assert comp.by_year[2021][c.OTHERS].total == 18  # C1 and C2, as without the filter


def test_a_yes_no_figure_counts_departments_and_its_mean_is_a_share(data):
    Uppdrag.objects.create(
        person=f.PersonFactory(user=None),
        role=Roll.ARBETSMARKNADSANSVARIG,
        avdelning=data.c1,
        start="2019-01-01",
    )
    comp = c.comparison_compute(key="labour_market_officer", years=[2019])
    others = comp.by_year[2019][c.OTHERS]
    assert comp.yes_no and not comp.count
    assert (others.n, others.total, others.mean) == (2, 1, approx(0.5))
    header, _ = c.table_rows(comp)
    assert "Per 1 000 medlemmar" not in header


def test_the_page_shows_the_numbers_charts_and_the_caveat(client, data):
    client.force_login(data.leader)
    r = client.get(URL, QUERY)
    page = r.content.decode()
    assert r.status_code == 200
    assert c.CAVEAT in page
    assert page.count('class="rapport-chart"') == 2
    assert "Övriga avdelningar" in page and "Pilotområden innan de anslöt" in page
    # SE22's difference in differences, 1.5, as the page writes it.
    assert "+1,5" in page
    # The per-1 000 column for a count: 2020 in the project, 53 / 1 900 * 1 000.
    assert "27,89" in page


@pytest.mark.parametrize(
    "junk",
    [
        {"figure": "nope"},
        {"year_from": "abc"},
        {"year_from": "2025", "year_to": "2019"},
        {"year_from": "1066"},
        {"year_to": "99999999999999999999"},
        {"area": "x"},
        {"area": "999999"},
        {"year_from": "1990", "year_to": "2025"},
    ],
)
def test_junk_input_gives_a_message_and_the_defaults(client, cast, junk):
    client.force_login(cast.leader)
    r = client.get(URL, junk)
    page = r.content.decode()
    assert r.status_code == 200
    assert "standardurvalet visas" in page
    assert "Aktiva medlemmar 1 januari, 2019–" in page


def test_the_csv_export_holds_the_table(client, data):
    client.force_login(data.steering)
    r = client.get(reverse("nyckeltal:jamforelse_export", args=["csv"]), QUERY)
    assert r.status_code == 200
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].split(";")[:3] == ["Nyckeltal", "År", "Grupp"]
    assert (
        "Arbetare i kompetensutveckling, kvinnor;2020;Avdelningar i projektet;3;53;17.67;27.89"
        in lines
    )
    assert "Arbetare i kompetensutveckling, kvinnor;2020;Övriga avdelningar;1;10;10.0;12.5" in lines


def test_the_xlsx_export_holds_both_tables(client, data):
    client.force_login(data.board_national)
    r = client.get(reverse("nyckeltal:jamforelse_export", args=["xlsx"]), QUERY)
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["Per år", "Skillnad i skillnader"]
    did = [[cell.value for cell in row] for row in book["Skillnad i skillnader"].iter_rows()]
    assert did[0][-2:] == ["Förändring av skillnaden", "Not"]
    se22 = next(row for row in did if str(row[0]).startswith("SE22"))
    assert se22[-2:] == [1.5, c.CAVEAT]


def test_an_unknown_format_is_404(client, cast):
    client.force_login(cast.leader)
    assert client.get(reverse("nyckeltal:jamforelse_export", args=["pdf"])).status_code == 404


def test_department_users_and_the_working_life_unit(client, cast):
    working_life = f.user_with_role("working_life", Roll.ARBETSLIVSENHETEN)
    client.force_login(working_life)
    assert client.get(URL).status_code == 200
    client.force_login(cast.changeleader)
    assert client.get(URL).status_code == 403


def test_a_constant_number_of_queries(client, data, django_assert_num_queries):
    client.force_login(data.leader)
    client.get(URL, QUERY)  # the session's first request writes it
    # Computed: the request's own (session, user, scope), the data stamp and the figures.
    with django_assert_num_queries(16):
        client.get(URL, {**QUERY, "year_from": "2019"})
    for i in range(6):
        avd = f.AvdelningFactory(name=f"Fler {i}", nuts_omrade=data.c1.nuts_omrade)
        Nyckeltal.objects.create(avdelning=avd, year=2020, skills_women=i)
    with django_assert_num_queries(16):
        client.get(URL, {**QUERY, "year_from": "2010"})
    # Unchanged data: the computed comparison comes from the cache, under the stamp.
    with django_assert_num_queries(5):
        client.get(URL, {**QUERY, "year_from": "2010"})


def test_the_cached_comparison_follows_every_change(data):
    def others_2021():
        cell = c.comparison_compute(key="skills_women", years=YEARS).by_year[2021][c.OTHERS]
        return cell.n, cell.total

    assert others_2021() == (2, 18)
    # A new row: the table's count moves.
    Nyckeltal.objects.filter(avdelning=data.c2, year=2021).delete()
    assert others_2021() == (1, 12)
    # An edit in place, recorded as every edit in the app and admin is: the trail moves.
    Nyckeltal.objects.filter(avdelning=data.c1, year=2021).update(skills_women=100)
    assert others_2021() == (1, 12)  # unrecorded (a shell): the cached value, for a while
    handelse_record(user=data.leader, action=Handelse.Action.UPDATE, obj=data.c1)
    assert others_2021() == (1, 100)
    # A member count changed in place moves the per-1 000 figure once recorded.
    Medlemsantal.objects.filter(avdelning=data.c1, year=2021).update(active_members=400)
    handelse_record(user=data.leader, action=Handelse.Action.UPDATE, obj=data.c1)
    cell = c.comparison_compute(key="skills_women", years=YEARS).by_year[2021][c.OTHERS]
    assert cell.per_1000 == approx(250)


def test_the_charts_name_their_numbers_and_survive_empty_data():
    from presentation import charts

    table = charts.Table(header=["År"])
    lines = charts.comparison_lines(
        [("pilot", "I projektet", [(2019, 2.0), (2020, None), (2021, 4.5)])],
        caption="Prov",
        table=table,
    )
    assert "I projektet från 2 (2019) till 4,5 (2021)" in lines.alt
    assert (
        lines.svg
        == charts.comparison_lines(
            [("pilot", "I projektet", [(2019, 2.0), (2020, None), (2021, 4.5)])],
            caption="Prov",
            table=table,
        ).svg
    )
    bars = charts.comparison_did(
        [("SE21 Småland", -1.25), ("SE22", None)], caption="DiD", table=table
    )
    assert "SE21 Småland -1,25" in bars.alt and "Utan värde: SE22" in bars.alt
    assert "Inga uppgifter" in charts.comparison_lines([], caption="Tom", table=table).alt
    assert "Ingen jämförelse" in charts.comparison_did([], caption="Tom", table=table).alt
