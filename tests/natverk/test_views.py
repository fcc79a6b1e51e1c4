"""The map's pages: the table, the JSON, the filters, who sees contact persons, query counts."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from aktiviteter.models import Aktivitet, Aktor, Kontaktperson
from mal.models import Verksamhetsmal
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    r = Aktor.objects.create(name="Region Rund", typ=Aktor.Typ.REGION, nuts_omrade=cast.se21)
    old = Aktor.objects.create(name="Gamla Kommunen", typ=Aktor.Typ.KOMMUN, nuts_omrade=cast.se21)
    for days, actor in ((10, r), (500, old)):
        a = Aktivitet.objects.create(
            nuts_omrade=cast.se21,
            date=timezone.localdate() - datetime.timedelta(days=days),
            typ=Aktivitet.Typ.MOTE,
            title="Möte",
        )
        a.avdelningar.set([cast.a1])
        a.aktorer.set([actor])
        a.verksamhetsmal.set(Verksamhetsmal.objects.filter(number=8))
    Kontaktperson.objects.create(aktor=r, nuts_omrade=cast.se21, name="Petra Kontakt")
    return r, old


def _page(user, slug="SE21", query=""):
    return client_for(user).get(reverse("natverk:karta", args=[slug]) + query)


def test_map_page_has_the_table_and_the_scripts(cast, world):
    r = _page(cast.coordinator)
    body = r.content.decode()
    assert r.status_code == 200
    assert f'href="{world[0].get_absolute_url()}"' in body
    assert "Gamla Kommunen" in body and "inaktuell" in body
    assert 'src="/static/vendor/cytoscape.min.js"' in body
    assert 'data-url="/natverk/SE21/data.json"' in body
    assert "<script>" not in body  # no inline script (CSP)


def test_json_has_nodes_edges_and_positions(cast, world):
    r = client_for(cast.coordinator).get(reverse("natverk:data", args=["SE21"]))
    assert r["Content-Type"].startswith("application/json")
    data = json.loads(r.content)
    labels = {n["label"] for n in data["nodes"]}
    assert {"Region Rund", "Gamla Kommunen", "Avdelning A1"} <= labels
    stale = {e["target"] for e in data["edges"] if e["stale"]}
    assert f"aktor-{world[1].pk}" in stale
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_contact_persons_only_for_coordinator_and_leader(cast, world):
    for user in (cast.coordinator, cast.leader):
        assert "Petra Kontakt" in _page(user).content.decode()
        data = client_for(user).get(reverse("natverk:data", args=["SE21"])).content.decode()
        assert "Petra Kontakt" in data and '"kind": "kontakt"' in data
    for user in (cast.steering, cast.board_national):
        assert "Petra Kontakt" not in _page(user).content.decode()
        data = client_for(user).get(reverse("natverk:data", args=["SE21"])).content.decode()
        assert "Petra Kontakt" not in data
        assert '"kind": "kontakt"' not in data


def test_filters_narrow_and_bad_filters_show_everything(cast, world):
    body = _page(cast.leader, query="?typ=kommun").content.decode()
    assert "Gamla Kommunen" in body and "Region Rund" not in body
    body = _page(cast.leader, query="?mal=1").content.decode()
    assert "Gamla Kommunen" not in body  # both activities serve goal 8
    body = _page(cast.leader, query="?fran=2030-01-01&till=2020-01-01").content.decode()
    assert "Filtret gick inte att använda" in body
    assert "Gamla Kommunen" in body and "Region Rund" in body
    body = _page(cast.leader, query="?mal=abc").content.decode()
    assert "Filtret gick inte att använda" in body


def test_an_edit_shows_at_once(cast, world):
    assert "Region Rund" in _page(cast.leader).content.decode()
    world[0].name = "Region Fyrkant"
    world[0].save()
    body = _page(cast.leader).content.decode()
    assert "Region Fyrkant" in body and "Region Rund" not in body


def test_index_sends_a_coordinator_to_their_area(cast, world):
    r = client_for(cast.coordinator).get(reverse("natverk:index"))
    assert r.status_code == 302 and r["Location"] == reverse("natverk:karta", args=["SE21"])
    body = client_for(cast.steering).get(reverse("natverk:index")).content.decode()
    assert reverse("natverk:karta", args=["SE22"]) in body
    assert reverse("natverk:karta", args=["nationellt"]) in body


def test_page_queries_pinned_on_a_cache_hit(cast, world, django_assert_num_queries):
    client = client_for(cast.leader)
    client.get(reverse("natverk:karta", args=["SE21"]))
    # Session and user, the scope, the area, the data stamp, the goals of the filter form.
    with django_assert_num_queries(6):
        r = client.get(reverse("natverk:karta", args=["SE21"]))
    assert r.status_code == 200
    with django_assert_num_queries(6):
        client.get(reverse("natverk:data", args=["SE21"]))
