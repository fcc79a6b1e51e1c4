"""The area's network map in the steering group's report for the area (issue 17 §3): frozen
in the snapshot without contact persons, drawn as an appendix with its table and listed in
the contents; not in the whole project's report nor the national board's. A past year's map
is the map at that year's end."""

import datetime

import pytest
from django.utils import timezone

from aktiviteter.models import Aktivitet, Aktor, Kontaktperson
from rapporter import render
from rapporter.models import Rapportversion
from rapporter.snapshot import gather

pytestmark = pytest.mark.django_db

STYR = Rapportversion.Edition.STYRGRUPP
YEAR = timezone.localdate().year


def _activity(cast, aktor, day, title):
    a = Aktivitet.objects.create(
        nuts_omrade=cast.se21, date=day, typ=Aktivitet.Typ.MOTE, title=title
    )
    a.avdelningar.set([cast.a1])
    a.aktorer.set([aktor])
    return a


@pytest.fixture
def region(cast):
    r = Aktor.objects.create(name="Region Kartan", typ=Aktor.Typ.REGION, nuts_omrade=cast.se21)
    Kontaktperson.objects.create(aktor=r, nuts_omrade=cast.se21, name="Hemlig Kontakt")
    _activity(cast, r, datetime.date(YEAR - 1, 5, 4), "Möte i fjol")
    return r


def test_the_area_edition_has_the_map_and_the_contents_lists_it(cast, region):
    snap = gather(year=YEAR, nuts_omrade=cast.se21, edition=STYR)
    labels = {n["label"] for n in snap["natverk"]["nodes"]}
    assert "Region Kartan" in labels
    assert "Hemlig Kontakt" not in str(snap["natverk"])
    version = Rapportversion(year=YEAR, nuts_omrade=cast.se21, edition=STYR, snapshot=snap)
    ctx = render.context(version)
    assert ctx["natverk"]["summary"]["actors"] == 1
    assert any(t["id"] == "bilaga-natverk" and "Nätverkskartan" in t["title"] for t in ctx["toc"])
    html = render.render_to_string("rapporter/rapport_body.html", ctx)
    assert 'id="bilaga-natverk"' in html and 'id="diagram-natverk"' in html
    assert "Region Kartan" in html and "Hemlig Kontakt" not in html


def test_the_area_editions_workbook_has_the_map_as_a_table(cast, region):
    snap = gather(year=YEAR, nuts_omrade=cast.se21, edition=STYR)
    _title, header, rows = next(s for s in render.workbook_sheets(snap) if s[0] == "Nätverkskartan")
    assert header[:5] == ["Namn", "Typ", "Beskrivning", "Senaste kontakt", "Inaktuell"]
    by_name = {r[0]: r for r in rows}
    assert by_name["Region Kartan"][1] == "Aktör" and by_name["Region Kartan"][7] >= 1
    assert "Hemlig Kontakt" not in by_name and not any(r[1] == "omrade" for r in rows)
    assert "Nätverkskartan" not in [
        s[0] for s in render.workbook_sheets(gather(year=YEAR, edition=STYR))
    ]


def test_no_map_in_the_whole_projects_report_nor_the_national_boards(cast, region):
    assert gather(year=YEAR, edition=STYR)["natverk"] is None
    assert gather(year=YEAR, nuts_omrade=cast.se21, edition="forbundsstyrelse")["natverk"] is None


def test_a_past_years_map_stops_at_its_end(cast, region):
    _activity(cast, region, datetime.date(YEAR, 1, 15), "Möte i år")
    other = Aktor.objects.create(name="Bara i år", typ=Aktor.Typ.KOMMUN, nuts_omrade=cast.se21)
    _activity(cast, other, datetime.date(YEAR, 1, 16), "Nytt i år")
    past = gather(year=YEAR - 1, nuts_omrade=cast.se21, edition=STYR)["natverk"]
    labels = {n["label"] for n in past["nodes"]}
    assert "Region Kartan" in labels and "Bara i år" not in labels
