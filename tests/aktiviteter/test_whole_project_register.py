"""The whole project's forums and fund projects are those of the areas taking part (and a
project with no area): a department outside the pilot may sit in a forum or a fund project of
its own area (issue 16), and those are not the project's. Found in the demo: the whole
project's 2021 report counted five fund projects where the pilot had two."""

import datetime

import pytest

from aktiviteter import reporting
from aktiviteter.models import Forum, Strukturfondsprojekt
from avdelningar.models import NutsOmrade

from .helpers import make_forum, make_projekt

pytestmark = pytest.mark.django_db

START = datetime.date(2022, 1, 1)


def test_outside_the_pilot_is_not_the_projects(cast):
    se33 = NutsOmrade.objects.get(code="SE33")
    make_forum(cast.se21, name="Industrirådet Småland", active_from=START)
    make_forum(se33, name="Industrirådet Norr", active_from=START)
    make_projekt([cast.se21], name="Framtidssäkrad industri", start=START)
    make_projekt([se33], name="Grön omställning Norrbotten", start=START)
    make_projekt([], name="Nationellt projekt", start=START)
    assert Forum.objects.count() == 2 and Strukturfondsprojekt.objects.count() == 3

    whole = reporting.report_data(year=2024)
    assert [f["name"] for f in whole["forums"]["list"]] == ["Industrirådet Småland"]
    assert sorted(p["name"] for p in whole["fund_projects"]) == [
        "Framtidssäkrad industri",
        "Nationellt projekt",
    ]
    trend = reporting.trend_data(first_year=2023, last_year=2024)
    assert [trend[y]["forums"]["total"] for y in (2023, 2024)] == [1, 1]
    assert [trend[y]["fund_projects"] for y in (2023, 2024)] == [2, 2]
    # An area's own report is unchanged: only its own register, no project without an area.
    se21 = reporting.report_data(year=2024, nuts_ids=[cast.se21.pk])
    assert [p["name"] for p in se21["fund_projects"]] == ["Framtidssäkrad industri"]
