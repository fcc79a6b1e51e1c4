"""The demo's whole union and its key figures: every department in all eight areas with its
members every year, figures for every department and year, a little better in the pilot
after joining, the same on every run and idempotent."""

import datetime

import pytest
from django.db.models import F

from avdelningar import demo as organisation
from avdelningar.models import Avdelning, Medlemsantal, NutsOmrade
from nyckeltal import demo
from nyckeltal.models import ENTERED, Nyckeltal
from nyckeltal.reporting import key_figures, pilot_years

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
YEARS = range(2019, 2027)


def rows():
    return sorted(Nyckeltal.objects.values_list("avdelning__name", "year", *ENTERED))


def test_the_whole_union_is_in_the_register():
    organisation.seed(TODAY)
    assert 33 <= Avdelning.objects.count() <= 36
    assert set(Avdelning.objects.values_list("nuts_omrade__code", flat=True)) == set(
        NutsOmrade.objects.values_list("code", flat=True)
    )
    real = Avdelning.objects.filter(is_example=False)
    assert list(real.values_list("name", flat=True)) == ["IF Metall Gotland"]
    assert all("(exempel)" in a.name for a in Avdelning.objects.filter(is_example=True))
    for avd in Avdelning.objects.all():
        years = set(Medlemsantal.objects.filter(avdelning=avd).values_list("year", flat=True))
        assert years == set(YEARS), avd


def test_key_figures_for_every_department_and_year_idempotent_and_deterministic():
    organisation.seed(TODAY)
    assert demo.seed(TODAY) == Avdelning.objects.count() * len(YEARS)
    first = rows()
    assert demo.seed(TODAY) == 0
    assert rows() == first
    Nyckeltal.objects.all().delete()
    demo.seed(TODAY)
    assert rows() == first
    assert not Nyckeltal.objects.filter(workplaces_change_started__gt=F("workplaces")).exists()


def test_pilot_departments_do_a_little_better_after_joining():
    organisation.seed(TODAY)
    demo.seed(TODAY)
    figures = key_figures(years=YEARS)
    joined = pilot_years(years=YEARS)
    assert sum(v is None for v in joined.values()) >= 20  # most of the union is outside

    def per_thousand(pks, years):
        skills = sum(
            figures[a][y]["skills_women"] + figures[a][y]["skills_men"] for a in pks for y in years
        )
        members = sum(figures[a][y]["members"] for a in pks for y in years)
        return 1000 * skills / members

    pilot = [a for a, y in joined.items() if y is not None]
    others = [a for a, y in joined.items() if y is None]
    late = range(2023, 2027)
    assert per_thousand(pilot, late) > 1.2 * per_thousand(others, late)
    for key in ("workplaces_change_started", "change_leaders"):
        assert sum(figures[a][2026][key] for a in pilot) / len(pilot) > sum(
            figures[a][2026][key] for a in others
        ) / len(others)
