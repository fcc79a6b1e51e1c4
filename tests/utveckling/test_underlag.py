"""The evidence beside the criteria: the meetings with the candidate area's departments
(aktiviteter.reporting.area_department_activities) and the area's key figures summed."""

import datetime

import pytest

from aktiviteter.models import Aktivitet
from aktiviteter.reporting import area_department_activities
from tests.utveckling.helpers import area_with_departments
from utveckling import underlag

pytestmark = pytest.mark.django_db


def activity(day, title, *, nuts=None, departments=()):
    a = Aktivitet.objects.create(
        date=day,
        typ=Aktivitet.Typ.STOD if nuts is None else Aktivitet.Typ.MOTE,
        title=title,
        niva=Aktivitet.Niva.NATIONELL if nuts is None else Aktivitet.Niva.OMRADE,
        nuts_omrade=nuts,
    )
    a.avdelningar.set(departments)
    return a


def test_meetings_with_the_areas_departments(cast, django_assert_num_queries):
    nuts, (d1, d2) = area_with_departments("SE12", members=((100,), (200,)))
    day = datetime.date(2026, 3, 1)
    activity(day, "Styrelsemöte 1", departments=[d1, d2])  # national, both departments: once
    activity(day, "Styrelsemöte 2", departments=[d2])
    activity(day, "I Småland", nuts=cast.se21, departments=[cast.a1])  # not the candidate's
    activity(datetime.date(2020, 1, 1), "För länge sedan", departments=[d1])
    with django_assert_num_queries(3):
        data = area_department_activities(
            nuts_id=nuts.pk, since=datetime.date(2024, 1, 1), until=datetime.date(2026, 12, 31)
        )
    assert data["total"] == 2
    assert data["by_type"] == {"Stöd från arbetslivsenheten": 2}
    assert sorted(r["title"] for r in data["rows"]) == ["Styrelsemöte 1", "Styrelsemöte 2"]
    assert all(r["national"] for r in data["rows"])


def test_area_figures_add_up_the_departments(cast):
    nuts, _ = area_with_departments("SE12", members=((100,), (250,)))
    figures = underlag.area_figures([nuts.pk], year=2025)[nuts.pk]
    assert figures["members"] == 350 and len(figures["departments"]) == 2
    by_key = {f["key"]: f["value"] for f in figures["figures"]}
    assert by_key["labour_market_committee"] == "0 av 2"
