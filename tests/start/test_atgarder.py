"""The start page lists the user's open actions from analysis meetings (theirs as a person,
their board's department's), overdue first, each marked done there; its queries do not
grow with the actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from larande.models import Atgard
from tests.larande.helpers import make_atgard, make_mote

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_open_actions_for_the_owner_overdue_first(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1, cast.a2])
    later = make_atgard(mote, "Senare", avdelning=cast.a1, due=days(10))
    overdue = make_atgard(mote, "Försenad", avdelning=cast.a1, due=days(-3))
    personal = make_atgard(make_mote(cast.se22), "Min egen", person=cast.board.person, due=days(1))
    make_atgard(mote, "Grannens", avdelning=cast.a2, due=days(-5))
    make_atgard(mote, "Klar", avdelning=cast.a1, status=Atgard.Status.DONE, done_on=days(-1))
    make_atgard(mote, "Struken", avdelning=cast.a1, status=Atgard.Status.DROPPED)

    client.force_login(cast.board)
    r = client.get(reverse("start"))
    assert [a.pk for a in r.context["meeting_actions"]] == [overdue.pk, personal.pk, later.pk]
    body = r.content.decode()
    assert "Dina åtgärder från analysmöten" in body
    assert body.index("försenad") < body.index("Min egen")
    assert "Grannens" not in body and "Klar<" not in body.replace("Klar<span", "")
    # The change leader reads A1's actions but is not its board: not their next step.
    client.force_login(cast.changeleader)
    assert not client.get(reverse("start")).context["meeting_actions"]


def test_marking_done_from_the_start_page(client, cast):
    atgard = make_atgard(make_mote(cast.se21), "Boka besök", avdelning=cast.a1, due=days(-1))
    client.force_login(cast.board)
    r = client.post(reverse("larande:atgard_klar", args=[atgard.pk]), {"next": reverse("start")})
    assert r.status_code == 302 and r.url == reverse("start")
    atgard.refresh_from_db()
    assert atgard.status == Atgard.Status.DONE and atgard.done_on == timezone.localdate()
    assert not client.get(reverse("start")).context["meeting_actions"]


def test_the_start_page_query_count_is_pinned(client, cast, django_assert_num_queries):
    mote = make_mote(cast.se21, avdelningar=[cast.a1])
    make_atgard(mote, "Första", avdelning=cast.a1, due=days(2))
    client.force_login(cast.board)
    client.get(reverse("start"))  # the session's first request refreshes it
    with django_assert_num_queries(16) as few:
        client.get(reverse("start"))
    for i in range(15):
        make_atgard(make_mote(cast.se22), f"Fler {i}", person=cast.board.person, due=days(i))
        make_atgard(mote, f"Avdelningens {i}", avdelning=cast.a1, due=days(-i))
    with django_assert_num_queries(len(few.captured_queries)):
        r = client.get(reverse("start"))
    assert len(r.context["meeting_actions"]) == 10 and r.context["more_meeting_actions"]
