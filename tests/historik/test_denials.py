"""Issue 13 #17: refused requests are recorded, but cannot flood the trail."""

import datetime

import pytest
from django.urls import reverse

from historik.models import Handelse

pytestmark = pytest.mark.django_db


def denied_rows(user):
    return Handelse.objects.filter(action=Handelse.Action.DENIED, user=user)


def test_walking_foreign_ids_writes_one_row_per_minute_and_kind_of_path(client, cast, monkeypatch):
    from django.utils import timezone

    # One minute for the whole walk: on a loaded machine 200 requests can cross a minute's
    # boundary, which rightly starts a new row (test_the_next_minute_gets_a_new_row).
    now = timezone.now().replace(second=0)
    monkeypatch.setattr("historik.services.timezone.now", lambda: now)
    client.force_login(cast.changeleader)
    for pk in range(900_000, 900_200):
        assert client.get(reverse("avdelning", args=[pk])).status_code == 404
    assert denied_rows(cast.changeleader).count() == 1
    row = denied_rows(cast.changeleader).get()
    assert row.note == "404 GET " + reverse("avdelning", args=[900_000])
    # Another kind of path is its own row; so is another user.
    assert client.get(reverse("omrade", args=["XX99"])).status_code == 404
    assert denied_rows(cast.changeleader).count() == 2
    client.force_login(cast.board)
    assert client.get(reverse("avdelning", args=[900_001])).status_code == 404
    assert denied_rows(cast.board).count() == 1


def test_the_next_minute_gets_a_new_row(client, cast, monkeypatch):
    from django.utils import timezone

    client.force_login(cast.changeleader)
    url = reverse("avdelning", args=[cast.b1.pk])
    assert client.get(url).status_code == 404
    later = timezone.now() + datetime.timedelta(minutes=1)
    monkeypatch.setattr("historik.services.timezone.now", lambda: later)
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert denied_rows(cast.changeleader).count() == 2
