"""The start page of a department outside the pilot: no "Logga aktivitet" (the form would
have no area to offer) and no "Era åtaganden"; its key figures instead. And the pilot's
own department users keep both."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aktiviteter.models import Forum, ForumPlats
from avdelningar.access import scope_for
from avdelningar.models import Deltagande, NutsOmrade, Person, Roll, Uppdrag
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def outside(cast):
    cast.se33 = NutsOmrade.objects.get(code="SE33")
    cast.c1 = f.AvdelningFactory(name="Avdelning C1", nuts_omrade=cast.se33)
    cast.outside_board = f.user_with_role("outside_board", Roll.STYRELSELEDAMOT, avdelning=cast.c1)
    # A seat in a forum held by someone with an assignment in C1: a key figure from the
    # register.
    officer = Person.objects.create(name="Ombudsman C1")
    Uppdrag.objects.create(
        person=officer,
        role=Roll.ARBETSMARKNADSANSVARIG,
        avdelning=cast.c1,
        start=datetime.date(2019, 1, 1),
    )
    forum = Forum.objects.create(
        nuts_omrade=cast.se33, name="Partnerskapet Övre Norrland", typ="partnerskap"
    )
    ForumPlats.objects.create(forum=forum, person=officer, start=datetime.date(2020, 1, 1))
    return cast


def start(client, user):
    client.force_login(user)
    r = client.get(reverse("start"))
    assert r.status_code == 200
    return r.content.decode()


def test_a_board_member_outside_the_pilot_sees_their_key_figures_not_the_pilots_work(
    client, outside
):
    body = start(client, outside.outside_board)
    year = timezone.localdate().year
    assert "Logga aktivitet" not in body
    assert "Era åtaganden" not in body
    assert "Årets åtaganden och uppföljning" not in body
    assert f"Nyckeltal {year}" in body
    assert "Platser i samverkansforum" in body
    assert reverse("nyckeltal:ar", args=[outside.c1.pk, year]) in body
    assert f"Lägg in nyckeltalen för {year}" in body
    assert "Alla aktiviteter" in body  # what names the department is still theirs to read


def test_the_seat_is_counted_in_the_key_figures_shown(client, outside):
    body = start(client, outside.outside_board)
    row = body[body.index("Platser i samverkansforum") :]
    assert row[: row.index("</tr>")].rstrip().endswith("1</td>")


def test_the_pilots_department_users_keep_their_commitments_and_logging(client, outside):
    for user in (outside.board, outside.changeleader):
        body = start(client, user)
        assert "Logga aktivitet" in body
        assert "utanfor-rubrik" not in body
    assert "Era åtaganden" in start(client, outside.board)


def test_logging_in_an_area_needs_a_department_whose_area_takes_part(outside):
    assert not scope_for(outside.outside_board).logs_area_activities
    assert not scope_for(outside.outside_board).logs_activities
    assert scope_for(outside.board).logs_area_activities
    # The area joins the project: the same user logs in it from then on.
    Deltagande.objects.create(nuts_omrade=outside.se33, joined_on=datetime.date(2019, 1, 1))
    fresh = type(outside.outside_board).objects.get(pk=outside.outside_board.pk)
    assert scope_for(fresh).logs_area_activities


def test_the_activity_form_is_refused_outside_the_pilot(client, outside):
    client.force_login(outside.outside_board)
    assert client.get(reverse("aktiviteter:ny")).status_code == 403


def test_the_start_page_of_a_department_outside_the_pilot_has_a_fixed_query_count(
    client, outside, django_assert_max_num_queries
):
    client.force_login(outside.outside_board)
    client.get(reverse("start"))
    with django_assert_max_num_queries(40) as ctx:
        client.get(reverse("start"))
    first = len(ctx.captured_queries)
    # More departments' data elsewhere changes nothing.
    for n in range(5):
        f.AvdelningFactory(name=f"Annan {n}", nuts_omrade=outside.se33)
    with django_assert_max_num_queries(first):
        client.get(reverse("start"))


def test_the_nav_offers_commitments_only_to_those_with_a_part_in_them(client, outside):
    link = f'href="{reverse("mal:start")}"'
    assert link not in start(client, outside.outside_board)
    for user in (outside.board, outside.changeleader, outside.coordinator, outside.steering):
        assert link in start(client, user)
