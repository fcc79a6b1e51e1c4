"""Two tenants, compared: every list, search, export, import preview, register page and
report figure holds exactly the rows the reader may see, never a row of the other tenant.

The expected sets are written out by hand from the rules (docs/raknregler.md, issue 4's
"who sees what"), not computed with the code under test.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aktiviteter import reporting
from aktiviteter.models import ForumPlats
from tests import factories as f

from .helpers import csv_file, make_aktivitet, make_aktor, make_forum, make_projekt, preview, row

pytestmark = pytest.mark.django_db

TITLES = ["ALFA-A1", "ALFA-A2", "ALFA-OMRADE", "BETA-B1", "BETA-OMRADE", "GEMENSAM"]
SEES = {
    "board": {"ALFA-A1", "GEMENSAM"},
    "changeleader": {"ALFA-A1", "GEMENSAM"},
    "neighbour": {"ALFA-A2"},
    "outsider": {"BETA-B1", "GEMENSAM"},
    "coordinator": {"ALFA-A1", "ALFA-A2", "ALFA-OMRADE", "GEMENSAM"},
    "other_coordinator": {"BETA-B1", "BETA-OMRADE", "GEMENSAM"},
    "leader": set(TITLES),
    "steering": set(TITLES),
}
USERS = list(SEES)


@pytest.fixture
def two(cast):
    """Activities in both areas, all linked to one shared actor, each area's forum and
    project, and with the word "kompetensplattform" in the notes."""
    c = cast
    c.aktor = make_aktor(name="Teknikföretagen")
    c.forum21 = make_forum(c.se21, name="Forum Småland")
    c.forum22 = make_forum(c.se22, name="Forum Skåne")
    c.projekt = make_projekt([c.se21, c.se22], name="Gemensamt projekt")
    specs = [
        ("ALFA-A1", c.se21, [c.a1], c.forum21),
        ("ALFA-A2", c.se21, [c.a2], c.forum21),
        ("ALFA-OMRADE", c.se21, [], c.forum21),
        ("BETA-B1", c.se22, [c.b1], c.forum22),
        ("BETA-OMRADE", c.se22, [], c.forum22),
        # A joint activity: SE21's, with a department of each area.
        ("GEMENSAM", c.se21, [c.a1, c.b1], c.forum21),
    ]
    c.akt = {}
    for i, (title, nuts, deps, forum) in enumerate(specs):
        a = make_aktivitet(
            nuts,
            avdelningar=deps,
            title=title,
            notes="Om kompetensplattformen",
            forum=forum,
            projekt=c.projekt,
            date=datetime.date(2024, 3, 1 + i),
            participants_women=1,
        )
        a.aktorer.add(c.aktor)
        c.akt[title] = a
    return c


def _titles_in(body):
    return {t for t in TITLES if t in body}


def _login(client, two, who):
    client.force_login(getattr(two, who))


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "kompetensplattform"},
        {"sort": "title"},
        {"fran": "2024-01-01", "till": "2024-12-31"},
        {"mal": "1"},
        {"typ": "mote"},
    ],
)
def test_list_and_search_show_only_own_rows(client, two, who, params):
    _login(client, two, who)
    body = client.get(reverse("aktiviteter:lista"), params).content.decode()
    assert _titles_in(body) == SEES[who]


@pytest.mark.parametrize("who", USERS)
def test_filtering_by_shared_register_rows_adds_nothing_foreign(client, two, who):
    _login(client, two, who)
    for params in (
        {"aktor": two.aktor.pk},
        {"projekt": two.projekt.pk},
        {"forum": two.forum21.pk},
        {"forum": two.forum22.pk},
    ):
        body = client.get(reverse("aktiviteter:lista"), params).content.decode()
        assert _titles_in(body) <= SEES[who], params


@pytest.mark.parametrize("who", ["board", "coordinator", "other_coordinator"])
def test_foreign_area_or_department_filter_is_refused_not_applied(client, two, who):
    """A filter on an area or department the user cannot see is not a valid choice: the
    list shows the user's own rows, never the foreign ones."""
    _login(client, two, who)
    for params in ({"omrade": two.se22.pk}, {"avdelning": two.b1.pk}, {"avdelning": two.a2.pk}):
        body = client.get(reverse("aktiviteter:lista"), params).content.decode()
        assert _titles_in(body) <= SEES[who], params


@pytest.mark.parametrize("who", USERS)
def test_csv_export_holds_exactly_own_rows(client, two, who):
    _login(client, two, who)
    for params in ({}, {"q": "kompetensplattform"}):
        r = client.get(reverse("aktiviteter:export_csv"), params)
        text = b"".join(r.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
        assert sorted(r[3] for r in rows) == sorted(SEES[who])


@pytest.mark.parametrize("who", USERS)
def test_xlsx_export_holds_exactly_own_rows(client, two, who):
    _login(client, two, who)
    r = client.get(reverse("aktiviteter:export_xlsx"), {"q": "kompetensplattform"})
    values = list(load_workbook(io.BytesIO(r.getvalue())).active.iter_rows(values_only=True))
    assert sorted(v[3] for v in values[1:]) == sorted(SEES[who])


@pytest.mark.parametrize("who", USERS)
def test_register_pages_list_only_own_activities(client, two, who):
    _login(client, two, who)
    for url in (
        reverse("aktiviteter:aktor", args=[two.aktor.pk]),
        reverse("aktiviteter:projekt", args=[two.projekt.pk]),
        reverse("aktiviteter:forum", args=[two.forum21.pk]),
        reverse("aktiviteter:forum", args=[two.forum22.pk]),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert _titles_in(r.content.decode()) <= SEES[who], url
    body = client.get(reverse("aktiviteter:aktor", args=[two.aktor.pk])).content.decode()
    assert _titles_in(body) == SEES[who]


@pytest.mark.parametrize("who", USERS)
def test_activity_detail_of_another_tenant_is_404(client, two, who):
    _login(client, two, who)
    for title, a in two.akt.items():
        status = client.get(reverse("aktiviteter:detalj", args=[a.pk])).status_code
        assert status == (200 if title in SEES[who] else 404), title


def test_forum_seat_holders_are_named_only_to_readers_of_the_area(client, two):
    person = f.PersonFactory(name="Sara Sätesson", user=None)
    ForumPlats.objects.create(
        forum=two.forum22, person=person, role="ledamot", start=datetime.date(2024, 1, 1)
    )
    url = reverse("aktiviteter:forum", args=[two.forum22.pk])
    actor_url = reverse("aktiviteter:aktor", args=[two.aktor.pk])
    two.forum22.aktorer.add(two.aktor)
    for who, named in [("board", False), ("coordinator", False), ("other_coordinator", True)]:
        _login(client, two, who)
        body = client.get(url).content.decode()
        assert ("Sara Sätesson" in body) == named, who
        assert "1 platser" in body or named
        assert ("Sara Sätesson" in client.get(actor_url).content.decode()) == named, who


def test_import_preview_does_not_confirm_rows_of_another_tenant(client, two, cast):
    """BETA-B1 was imported in SE22; the SE21 coordinator uploads a file naming it. The
    preview must call the row not theirs, not "already imported"."""
    from aktiviteter import importer

    beta = two.akt["BETA-B1"]
    beta.import_key = importer.import_key(beta.date, beta.title, "SE22")
    beta.save()
    _login(client, two, "coordinator")
    lines = [
        row(title="BETA-B1", date=beta.date.isoformat(), area="SE22", avd="Avdelning B1"),
        row(title="Eget möte", area="SE21", avd="Avdelning A1"),
    ]
    body = preview(client, csv_file(cast, *lines)).content.decode()
    assert "finns redan" not in body and "Rader som redan finns" not in body
    assert "Rad 2:" in body  # an error, with its row number
    assert "1 rad kan importeras" in body
    # The department user of A1 may import only A1's rows.
    _login(client, two, "board")
    lines = [row(title="Grannens möte", area="SE21", avd="Avdelning A2"), row(area="SE21")]
    body = preview(client, csv_file(cast, *lines)).content.decode()
    assert "0 rader kan importeras" in body and "2 rader har fel" in body
    assert "egen avdelning" in body


@pytest.mark.parametrize(
    ("nuts", "expected_total", "forums", "areas"),
    [
        # SE21: its three and the joint one; SE22: its two and the joint one (it has B1).
        # The joint activity counts once in each area's figure and once in the total.
        ("se21", 4, ["Forum Småland"], {"SE21": 4}),
        ("se22", 3, ["Forum Skåne"], {"SE22": 3}),
    ],
)
def test_report_data_for_one_area_counts_only_that_area(two, nuts, expected_total, forums, areas):
    data = reporting.report_data(year=2024, nuts_ids=[getattr(two, nuts).pk])
    assert data["total"] == expected_total
    assert data["participants"]["women"] == expected_total
    assert data["by_area"] == areas
    assert [fo["name"] for fo in data["forums"]["list"]] == forums
    assert [p["name"] for p in data["fund_projects"]] == ["Gemensamt projekt"]
    whole = reporting.report_data(year=2024)
    assert whole["total"] == len(TITLES)
    assert whole["by_area"] == {"SE21": 4, "SE22": 3}
