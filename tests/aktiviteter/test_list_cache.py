"""The activity list's caches (aktiviteter.listcache, docs/performance.md): totals and the filter
options follow the data, and a cached entry is never shown to a user with another scope."""

import re

import pytest
from django.urls import reverse

from aktiviteter.models import Aktivitet, Aktor
from mal.models import Verksamhetsmal

from .helpers import make_aktivitet, make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


def _totals(client, user, **params):
    client.force_login(user)
    return client.get(reverse("aktiviteter:lista"), params).context["totals"]


def test_totals_follow_new_and_changed_activities(client, cast):
    make_aktivitet(cast.se21, avdelningar=[cast.a1], participants_women=2)
    assert _totals(client, cast.coordinator)["total"] == 1
    assert _totals(client, cast.coordinator)["women"] == 2  # from the cache, same answer
    a = make_aktivitet(cast.se21, participants_men=5)
    assert _totals(client, cast.coordinator) == {"total": 2, "women": 2, "men": 5, "other": 0}
    a.participants_men = 7
    a.save()
    assert _totals(client, cast.coordinator)["men"] == 7


def test_cached_totals_are_per_scope_and_filter(client, cast):
    make_aktivitet(cast.se21, avdelningar=[cast.a1], participants_women=3)
    make_aktivitet(cast.se22, participants_women=4)
    assert _totals(client, cast.leader)["total"] == 2
    # The coordinator's page right after the leader's: their own rows, not the cached two.
    assert _totals(client, cast.coordinator)["total"] == 1
    assert _totals(client, cast.other_coordinator)["women"] == 4
    assert _totals(client, cast.leader, typ="workshop")["total"] == 0
    assert _totals(client, cast.leader)["total"] == 2


def test_filter_options_follow_the_register(client, cast):
    make_aktor(name="Aktör före")
    client.force_login(cast.coordinator)
    url = reverse("aktiviteter:lista")
    assert "Aktör före" in client.get(url).content.decode()
    renamed = Aktor.objects.get(name="Aktör före")
    renamed.name = "Aktör efter"
    renamed.save()
    make_forum(cast.se21, name="Nytt forum")
    body = client.get(url).content.decode()
    assert "Aktör efter" in body and "Aktör före" not in body and "Nytt forum" in body
    renamed.delete()
    assert "Aktör efter" not in client.get(url).content.decode()


def test_filter_form_keeps_choices_and_shows_errors(client, cast):
    aktor = make_aktor(name="Region <Test> & co")
    projekt = make_projekt([cast.se21])
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1], projekt=projekt)
    a.aktorer.add(aktor)
    client.force_login(cast.coordinator)
    goal = Verksamhetsmal.objects.get(number=1)
    params = {"aktor": aktor.pk, "projekt": projekt.pk, "mal": goal.pk, "typ": "mote", "fran": "x"}
    body = client.get(reverse("aktiviteter:lista"), params).content.decode()
    assert f'<option value="{aktor.pk}" selected>Region &lt;Test&gt; &amp; co</option>' in body
    assert f'<option value="{projekt.pk}" selected>' in body
    assert f'<option value="{goal.pk}" selected>' in body
    assert '<option value="mote" selected>' in body
    assert 'id="id_fran_error"' in body and 'aria-invalid="true"' in body
    # An invalid filter is not used: the row is still listed.
    assert a.title in body
    # Departments outside the coordinator's area are not offered. (Only in the department
    # select: another select may well have an option with the same number.)
    departments = re.search(r'<select name="avdelning".*?</select>', body, re.S)[0]
    assert f'<option value="{cast.a1.pk}">' in departments
    assert f'<option value="{cast.b1.pk}">' not in departments


def test_list_rows_show_departments_and_goals(client, cast):
    make_aktivitet(cast.se21, avdelningar=[cast.a2, cast.a1], mal=(3, 1), title="Rad")
    client.force_login(cast.coordinator)
    rows = client.get(reverse("aktiviteter:lista")).context["rows"]
    [row] = [r for r in rows if r.title == "Rad"]
    assert row.avdelning_names == sorted([cast.a1.name, cast.a2.name])
    assert row.goal_numbers == "1, 3"
    assert Aktivitet.objects.count() == 1
