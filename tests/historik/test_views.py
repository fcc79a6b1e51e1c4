import pytest
from django.urls import reverse

from historik.models import Handelse
from historik.services import handelse_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    handelse_record(user=cast.board, action=Handelse.Action.LOGIN, obj=cast.board)
    handelse_record(
        user=cast.coordinator,
        action=Handelse.Action.UPDATE,
        obj=cast.a1,
        changes={"name": ["a", "b"]},
    )
    return Handelse.objects.all()


def test_leader_reads_and_filters_the_trail(client, cast, rows):
    client.force_login(cast.leader)
    body = client.get(reverse("historik")).content.decode()
    assert "Avdelning A1" in body and "board" in body
    r = client.get(reverse("historik"), {"action": "update"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "Avdelning A1" in body and "Inloggning</td>" not in body
    assert (
        client.get(reverse("historik"), {"username": "nobody-at-all"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_others_are_refused_and_the_refusal_is_recorded(client, cast, rows):
    for user in (cast.coordinator, cast.steering, cast.board):
        client.force_login(user)
        assert client.get(reverse("historik")).status_code == 403
    assert Handelse.objects.filter(action=Handelse.Action.DENIED).count() == 3


def test_bad_filters_and_pages_do_not_break_it(client, cast, rows):
    client.force_login(cast.leader)
    for params in (
        {"since": "igår"},
        {"until": "2024-13-45"},
        {"page": "abc"},
        {"page": "999999999999999999999"},
        {"action": "drop table"},
        {"object_id": "x" * 5000},
    ):
        r = client.get(reverse("historik"), params)
        assert r.status_code == 200, params


def test_the_trail_is_not_editable_from_the_app(client, cast, rows):
    client.force_login(cast.leader)
    before = list(Handelse.objects.values_list("pk", "action", "changes"))
    assert client.post(reverse("historik"), {"action": "delete"}).status_code == 405
    assert list(Handelse.objects.values_list("pk", "action", "changes")) == before
