"""A department's key figures: the years at a glance, one year's form (the register's figures
read-only beside it), optimistic locking, this year's workplaces from the register, and
the year's history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from avdelningar.models import Klubb, Medlemsantal
from historik.models import Handelse
from nyckeltal import services
from nyckeltal.models import Nyckeltal
from tests import factories as f

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def url(avd, year=None):
    if year is None:
        return reverse("nyckeltal:avdelning", args=[avd.pk])
    return reverse("nyckeltal:ar", args=[avd.pk, year])


def post(client, avd, year, **values):
    data = {"version": "0", **{k: str(v) for k, v in values.items()}}
    return client.post(url(avd, year), data)


def test_the_department_page_links_its_key_figures(client, cast):
    client.force_login(cast.board)
    page = client.get(reverse("avdelning", args=[cast.a1.pk])).content.decode()
    assert url(cast.a1) in page


def test_every_year_of_the_department_with_its_figures(client, cast, django_assert_num_queries):
    Medlemsantal.objects.create(avdelning=cast.a1, year=2024, active_members=4321)
    Nyckeltal.objects.create(avdelning=cast.a1, year=2023, skills_women=17)
    client.force_login(cast.board)
    client.get(url(cast.a1))  # the session's first request writes it
    with django_assert_num_queries(16):
        r = client.get(url(cast.a1))
    page = r.content.decode()
    assert r.status_code == 200
    assert "4\u00a0321" in page and ">17<" in page
    assert url(cast.a1, 2024) in page and url(cast.a1, THIS_YEAR) in page
    assert "i projektet" in page and "Importera från Excel" in page


def test_the_year_page_makes_the_same_queries_however_much_it_counts(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.board)
    client.get(url(cast.a1, 2024))
    for year in (2022, 2023, 2024):
        Nyckeltal.objects.create(avdelning=cast.a1, year=year, skills_men=year - 2000)
        f.ArbetsplatsFactory(avdelning=cast.a1)
    with django_assert_num_queries(17):
        assert client.get(url(cast.a1, 2024)).status_code == 200
    with django_assert_num_queries(18):
        assert client.get(url(cast.a1, THIS_YEAR)).status_code == 200


def test_a_board_member_enters_the_years_figures(client, cast):
    client.force_login(cast.board)
    r = client.get(url(cast.a1, 2024))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Ur registret" in page and "Aktiva medlemmar 1 januari" in page
    assert 'name="skills_women"' in page and 'name="workplaces"' in page
    r = post(client, cast.a1, 2024, workplaces=12, workplaces_change_started=4, skills_women=9)
    assert r.status_code == 302
    row = Nyckeltal.objects.get(avdelning=cast.a1, year=2024)
    assert (row.workplaces, row.workplaces_change_started, row.skills_women) == (12, 4, 9)
    assert row.skills_men is None and row.version == 1 and row.updated_by == cast.board
    trail = Handelse.objects.get(model="nyckeltal.Nyckeltal", object_id=str(row.pk))
    assert trail.action == Handelse.Action.CREATE
    assert trail.changes["skills_women"] == [None, 9]
    assert (trail.nuts_omrade_id, trail.avdelning_id) == (cast.se21.pk, cast.a1.pk)
    # The page shows what changed, in words.
    page = client.get(url(cast.a1, 2024)).content.decode()
    assert "Arbetare i kompetensutveckling, kvinnor – → 9" in page


def test_this_year_the_register_counts_workplaces_and_clubs(client, cast):
    places = [f.ArbetsplatsFactory(avdelning=cast.a1) for _ in range(2)]
    Klubb.objects.create(avdelning=cast.a1, name="Klubben", arbetsplats=places[0])
    client.force_login(cast.board)
    page = client.get(url(cast.a1, THIS_YEAR)).content.decode()
    assert 'name="workplaces"' not in page and 'name="clubs"' not in page
    # Typed anyway (an old form): ignored; the register's count is kept with the figures.
    r = post(client, cast.a1, THIS_YEAR, workplaces=40, clubs=9, skills_men=3)
    assert r.status_code == 302
    row = Nyckeltal.objects.get(avdelning=cast.a1, year=THIS_YEAR)
    assert (row.workplaces, row.clubs, row.skills_men) == (2, 1, 3)
    r = post(client, cast.a1, THIS_YEAR, workplaces_change_started=3)
    assert r.status_code == 400
    assert "kan inte vara fler än avdelningens arbetsplatser (2)" in r.content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"skills_women": -1}, "Antalet kan inte vara negativt."),
        ({"skills_men": 10**7}, "Antalet är orimligt stort."),
        ({"skills_men": "många"}, "Ange ett heltal."),
        ({"workplaces": 2, "workplaces_change_started": 3}, "kan inte vara fler"),
    ],
)
def test_a_figure_that_cannot_be_right_is_refused_with_a_reason(client, cast, values, message):
    client.force_login(cast.board)
    r = post(client, cast.a1, 2024, **values)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Nyckeltal.objects.exists()


def test_two_people_saving_the_same_year_the_second_is_told(client, cast):
    services.nyckeltal_save(
        avdelning=cast.a1,
        year=2024,
        values={"skills_men": 5},
        user=cast.coordinator,
        expected_version=0,
    )
    client.force_login(cast.board)
    r = post(client, cast.a1, 2024, skills_men=6)  # loaded before the coordinator saved
    assert r.status_code == 400
    assert "Någon annan har sparat ändringar" in r.content.decode()
    assert Nyckeltal.objects.get().skills_men == 5
    r = client.post(url(cast.a1, 2024), {"version": "1", "skills_men": "6"})
    assert r.status_code == 302
    assert Nyckeltal.objects.get().skills_men == 6


def test_an_empty_cell_is_unknown_and_saving_nothing_new_records_nothing(client, cast):
    client.force_login(cast.board)
    post(client, cast.a1, 2024, skills_men=5)
    r = client.post(url(cast.a1, 2024), {"version": "1", "skills_men": "5"})
    assert r.status_code == 302
    assert Handelse.objects.filter(model="nyckeltal.Nyckeltal").count() == 1
    client.post(url(cast.a1, 2024), {"version": "2", "skills_men": ""})
    assert Nyckeltal.objects.get().skills_men is None


def test_readers_see_the_year_without_a_form_and_cannot_post(client, cast):
    Nyckeltal.objects.create(avdelning=cast.a1, year=2024, skills_men=8)
    for user in (cast.steering, cast.changeleader, cast.board_national):
        client.force_login(user)
        r = client.get(url(cast.a1, 2024))
        assert r.status_code == 200
        page = r.content.decode()
        assert "Spara nyckeltalen" not in page and ">8<" in page
        assert post(client, cast.a1, 2024, skills_men=9).status_code == 403
    assert Nyckeltal.objects.get().skills_men == 8


@pytest.mark.parametrize("year", [2000, THIS_YEAR + 1, 9999])
def test_a_year_without_figures_is_not_found(client, cast, year):
    client.force_login(cast.leader)
    assert client.get(url(cast.a1, year)).status_code == 404


def test_the_service_asks_the_right_itself(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.nyckeltal_save(
            avdelning=cast.a1, year=2024, values={}, user=cast.steering, expected_version=0
        )
    with pytest.raises(PermissionDenied):
        services.nyckeltal_save(
            avdelning=cast.a1, year=2024, values={}, user=cast.outsider, expected_version=0
        )
    assert not Nyckeltal.objects.exists()
