"""The demo's departments outside the pilot are in fund projects and forums, as the plan
says (about ten took part in ESF projects), so their key figures for seats and projects
are not all zero; seeding twice adds nothing."""

import datetime

import pytest

from aktiviteter import demo as aktiviteter_demo
from aktiviteter.models import ForumPlats, Strukturfondsprojekt
from avdelningar import demo as organisation
from avdelningar.models import Avdelning, Deltagande
from nyckeltal.reporting import key_figures

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 31)


def test_departments_outside_the_pilot_have_seats_and_fund_projects():
    organisation.seed(TODAY)
    aktiviteter_demo.seed(TODAY)
    pilot = set(Deltagande.objects.values_list("nuts_omrade_id", flat=True))
    outside = list(Avdelning.objects.exclude(nuts_omrade_id__in=pilot).values_list("pk", flat=True))
    figures = key_figures(years=range(2019, 2026), avdelning_ids=outside)
    in_projects = [pk for pk in outside if any(y["fund_projects"] for y in figures[pk].values())]
    with_seats = [pk for pk in outside if any(y["forum_seats"] for y in figures[pk].values())]
    assert len(in_projects) >= 10
    assert len(with_seats) >= 5
    # The register's rows are examples, and the pilot's own projects are untouched.
    names = Strukturfondsprojekt.objects.filter(avdelningar__in=outside).values_list(
        "name", flat=True
    )
    assert all("(exempel)" in n for n in names)
    first = (ForumPlats.objects.count(), Strukturfondsprojekt.objects.count())
    aktiviteter_demo.seed(TODAY)
    assert (ForumPlats.objects.count(), Strukturfondsprojekt.objects.count()) == first
