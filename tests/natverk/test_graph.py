"""The map's nodes, edges and measures on a small graph whose answers are worked out by hand.

The world (area SE21, today = the real today):

    act1 (30 days ago):   A1 with R and K, goal 1
    act2 (400 days ago):  A1 with R, goal 2
    act3 (300 days ago):  no department, with U, in forum F, goal 7
    forum F (SE21): member R, one seat (ledamot)
    project P (SE21): owner R, partner K, department A1

Undirected, the graph has 7 nodes (O = the area's node, A1, R, K, U, F, P) and 10 distinct
node pairs: O-F, R-F, O-P, R-P, K-P, A1-P, A1-R, A1-K, O-U, O-A1. Betweenness (normalised
by (n-1)(n-2)/2 = 15), counting each pair's share of shortest paths through a node:

    O: A1-F 1/2, K-F 2/4, F-P 1/2, U-A1 1, U-P 1, U-F 1, U-R 1, U-K 1       = 6.5   -> 0.4333
    P: R-K 1/2, K-F 2/4, R-O 1/3, K-O 1/2, U-R 1/3, U-K 1/2                  = 8/3   -> 0.1778
    A1: the same pairs as P                                                  = 8/3   -> 0.1778
    R: A1-F 1/2, K-F 2/4, F-P 1/2                                            = 1.5   -> 0.1
    F: R-O 1/3, U-R 1/3                                                      = 2/3   -> 0.0444
    K, U: 0
"""

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from aktiviteter.models import Aktivitet, Aktor, Forum, ForumPlats, Kontaktperson
from aktiviteter.models import Strukturfondsprojekt as Projekt
from aktiviteter.services import aktivitet_delete
from mal.models import Verksamhetsmal
from natverk import graph
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _activity(area, days, *, depts=(), actors=(), goal=1, forum=None, title="Möte"):
    a = Aktivitet.objects.create(
        nuts_omrade=area,
        date=timezone.localdate() - datetime.timedelta(days=days),
        typ=Aktivitet.Typ.FORUMMOTE if forum else Aktivitet.Typ.MOTE,
        title=title,
        forum=forum,
    )
    a.avdelningar.set(depts)
    a.aktorer.set(actors)
    a.verksamhetsmal.set(Verksamhetsmal.objects.filter(number=goal))
    return a


class World:
    pass


@pytest.fixture
def world(cast, settings):
    settings.RELATION_STALE_MONTHS = 6
    w = World()
    w.cast = cast
    w.r = Aktor.objects.create(name="Region R", typ=Aktor.Typ.REGION, nuts_omrade=cast.se21)
    w.k = Aktor.objects.create(name="Kommun K", typ=Aktor.Typ.KOMMUN, nuts_omrade=cast.se21)
    w.u = Aktor.objects.create(name="Unionen U", typ=Aktor.Typ.FACKFORBUND)
    w.f = Forum.objects.create(name="Forum F", typ=Forum.Typ.INDUSTRIRAD, nuts_omrade=cast.se21)
    w.f.aktorer.set([w.r])
    ForumPlats.objects.create(forum=w.f, person=PersonFactory(), start="2020-01-01")
    w.p = Projekt.objects.create(
        name="Projekt P", fund=Projekt.Fond.ESF, union_role=Projekt.Roll.PARTNER, owner=w.r
    )
    w.p.omraden.set([cast.se21])
    w.p.partners.set([w.k])
    w.p.avdelningar.set([cast.a1])
    w.act1 = _activity(cast.se21, 30, depts=[cast.a1], actors=[w.r, w.k], goal=1)
    w.act2 = _activity(cast.se21, 400, depts=[cast.a1], actors=[w.r], goal=2)
    w.act3 = _activity(cast.se21, 300, actors=[w.u], goal=7, forum=w.f)
    # Another area's activity is not on SE21's map.
    _activity(cast.se22, 10, depts=[cast.b1], actors=[w.u])
    w.ids = {
        "O": "omrade",
        "A1": f"avdelning-{cast.a1.pk}",
        "R": f"aktor-{w.r.pk}",
        "K": f"aktor-{w.k.pk}",
        "U": f"aktor-{w.u.pk}",
        "F": f"forum-{w.f.pk}",
        "P": f"projekt-{w.p.pk}",
    }
    return w


def _map(w, **filters):
    return graph.build(graph.Filters(area_id=w.cast.se21.pk, **filters))


def _edges(data):
    return {(e["kind"], frozenset((e["source"], e["target"]))): e for e in data["edges"]}


def _e(w, kind, a, b):
    return (kind, frozenset((w.ids[a], w.ids[b])))


def test_nodes_and_edges_of_the_known_graph(world):
    data = _map(world)
    assert {n["id"] for n in data["nodes"]} == set(world.ids.values())
    edges = _edges(data)
    assert set(edges) == {
        _e(world, "plats", "O", "F"),
        _e(world, "medlem", "R", "F"),
        _e(world, "partner", "O", "P"),
        _e(world, "partner", "R", "P"),
        _e(world, "partner", "K", "P"),
        _e(world, "partner", "A1", "P"),
        _e(world, "aktivitet", "A1", "R"),
        _e(world, "aktivitet", "A1", "K"),
        _e(world, "aktivitet", "O", "U"),
        _e(world, "forummote", "O", "F"),
        _e(world, "medlem", "O", "A1"),
    }
    a1_r = edges[_e(world, "aktivitet", "A1", "R")]
    assert a1_r["count"] == 2
    assert a1_r["last"] == world.act1.date.isoformat()
    assert a1_r["weight"] == pytest.approx(0.5 ** (30 / 365) + 0.5 ** (400 / 365), abs=1e-3)
    assert edges[_e(world, "plats", "O", "F")]["count"] == 1
    forum = next(n for n in data["nodes"] if n["id"] == world.ids["F"])
    assert forum["detail"] == "IF Metalls platser: 1 ledamot, 0 ersättare"


def test_centrality_by_hand(world):
    data = _map(world)
    c = {n["id"]: n["centrality"] for n in data["nodes"]}
    ids = world.ids
    assert c[ids["O"]] == pytest.approx(6.5 / 15, abs=1e-4)
    assert c[ids["P"]] == pytest.approx(8 / 3 / 15, abs=1e-4)
    assert c[ids["A1"]] == pytest.approx(8 / 3 / 15, abs=1e-4)
    assert c[ids["R"]] == pytest.approx(1.5 / 15, abs=1e-4)
    assert c[ids["F"]] == pytest.approx(2 / 3 / 15, abs=1e-4)
    assert c[ids["K"]] == 0 and c[ids["U"]] == 0
    # The central actors: by betweenness, then by how many relations (K 2, U 1).
    assert data["measures"]["central"] == [ids["R"], ids["K"], ids["U"]]


def test_what_rests_on_a_single_activity_or_person(world):
    data = _map(world)
    m = data["measures"]
    ids = world.ids
    # K and U are met in one activity each; R in two.
    assert m["single_activity"] == [ids["K"], ids["U"]]
    single = {e["id"] for e in data["edges"] if e["single_activity"]}
    assert single == {
        e["id"]
        for key, e in _edges(data).items()
        if key
        in (
            _e(world, "aktivitet", "A1", "K"),
            _e(world, "aktivitet", "O", "U"),
            _e(world, "forummote", "O", "F"),
        )
    }
    # The forum has one seat holder; without contact persons no actor rests on one person.
    assert m["single_person"] == [ids["F"]]
    # U hangs on the area's node alone: the only bridge.
    assert m["bridges"] == [_edges(data)[_e(world, "aktivitet", "O", "U")]["id"]]


def test_one_activity_with_two_departments_is_still_one_activity(world):
    # A meeting of both SE21 departments with a new actor: two relations (A1 and A2), each
    # on that one meeting, and the actor rests on a single activity.
    n = Aktor.objects.create(
        name="Näringsliv N", typ=Aktor.Typ.FORETAG, nuts_omrade=world.cast.se21
    )
    _activity(world.cast.se21, 5, depts=[world.cast.a1, world.cast.a2], actors=[n])
    data = _map(world)
    rel = [e for e in data["edges"] if f"aktor-{n.pk}" in (e["source"], e["target"])]
    assert len(rel) == 2 and all(e["count"] == 1 and e["single_activity"] for e in rel)
    assert f"aktor-{n.pk}" in data["measures"]["single_activity"]
    # A second meeting with one of them: no longer single.
    _activity(world.cast.se21, 3, depts=[world.cast.a2], actors=[n])
    data = _map(world)
    assert f"aktor-{n.pk}" not in data["measures"]["single_activity"]


def test_a_planned_activity_weighs_one(world):
    # Dated after today: no decay, weight 1 (the weight is summed in SQL).
    n = Aktor.objects.create(name="Kommun Framtid", typ=Aktor.Typ.KOMMUN)
    _activity(world.cast.se21, -20, depts=[world.cast.a1], actors=[n])
    edge = _edges(_map(world))[("aktivitet", frozenset((world.ids["A1"], f"aktor-{n.pk}")))]
    assert edge["weight"] == 1.0 and edge["count"] == 1


def test_staleness_colour_follows_the_register_rule(world, settings):
    data = _map(world)
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = _edges(data)
    ids = world.ids
    # Six months: 300 days ago is stale, 30 days ago is not.
    assert edges[_e(world, "aktivitet", "O", "U")]["stale"] is True
    assert edges[_e(world, "forummote", "O", "F")]["stale"] is True
    assert edges[_e(world, "aktivitet", "A1", "R")]["stale"] is False
    # The actor's last contact is its latest activity anywhere (SE22's, 10 days ago, for U).
    assert nodes[ids["U"]]["stale"] is False
    assert nodes[ids["F"]]["stale"] is True
    assert nodes[ids["R"]]["stale"] is False
    # Structural relations (membership, seats, partnership) are never stale by activity.
    assert edges[_e(world, "medlem", "R", "F")]["stale"] is False
    # A longer limit makes the 300-day-old relation fresh.
    settings.RELATION_STALE_MONTHS = 12
    data = _map(world)
    assert _edges(data)[_e(world, "aktivitet", "O", "U")]["stale"] is False


def test_filters_goal_type_and_period(world):
    ids = world.ids
    # Goal 2: only act2 (A1 with R); U, met only under goal 7, drops off the map.
    data = _map(world, goal=2)
    edges = _edges(data)
    assert edges[_e(world, "aktivitet", "A1", "R")]["count"] == 1
    assert _e(world, "aktivitet", "A1", "K") not in edges
    assert ids["U"] not in {n["id"] for n in data["nodes"]}
    # Actor type: only the municipality among the actors.
    data = _map(world, typ=Aktor.Typ.KOMMUN)
    actors = {n["id"] for n in data["nodes"] if n["kind"] == "aktor"}
    assert actors == {ids["K"]}
    # Period: the last 100 days hold act1 only.
    data = _map(world, fran=timezone.localdate() - datetime.timedelta(days=100))
    edges = _edges(data)
    assert edges[_e(world, "aktivitet", "A1", "R")]["count"] == 1
    assert edges[_e(world, "aktivitet", "A1", "K")]["count"] == 1
    assert ids["U"] not in {n["id"] for n in data["nodes"]}
    data = _map(world, till=timezone.localdate() - datetime.timedelta(days=350))
    assert _edges(data)[_e(world, "aktivitet", "A1", "R")]["count"] == 1  # act2 only


def test_contact_persons_only_when_asked_for(world):
    k = Kontaktperson.objects.create(aktor=world.r, nuts_omrade=world.cast.se21, name="Kim K")
    assert not any(n["kind"] == "kontakt" for n in _map(world)["nodes"])
    data = graph.build(graph.Filters(area_id=world.cast.se21.pk), kontakt_areas="all")
    assert f"kontakt-{k.pk}" in {n["id"] for n in data["nodes"]}
    # R now rests on one person.
    assert data["measures"]["single_person"] == [world.ids["R"], world.ids["F"]]
    # A coordinator of SE22 would see SE22's contacts only.
    data = graph.build(
        graph.Filters(area_id=world.cast.se21.pk), kontakt_areas=frozenset({world.cast.se22.pk})
    )
    assert not any(n["kind"] == "kontakt" for n in data["nodes"])


def test_another_areas_department_is_shown_without_a_link(world):
    # B1 (SE22) at one of SE21's meetings with U: on SE21's map, named, not linked.
    _activity(world.cast.se21, 20, depts=[world.cast.b1], actors=[world.u])
    nodes = {n["id"]: n for n in _map(world)["nodes"]}
    b1 = nodes[f"avdelning-{world.cast.b1.pk}"]
    assert b1["url"] == "" and b1["detail"] == "Avdelning i SE22"
    assert nodes[world.ids["A1"]]["url"].endswith(f"/{world.cast.a1.pk}/")
    # The national map links every department.
    national = {n["id"]: n for n in graph.build(graph.Filters())["nodes"]}
    assert national[f"avdelning-{world.cast.b1.pk}"]["url"]


def test_national_map_has_every_area(world):
    data = graph.build(graph.Filters())
    edges = _edges(data)
    b1_u = ("aktivitet", frozenset((f"avdelning-{world.cast.b1.pk}", world.ids["U"])))
    assert b1_u in edges
    assert _e(world, "aktivitet", "A1", "R") in edges


def test_layout_is_deterministic_and_positions_every_node(world):
    one, two = _map(world), _map(world)
    assert [(n["x"], n["y"]) for n in one["nodes"]] == [(n["x"], n["y"]) for n in two["nodes"]]
    assert all(isinstance(n["x"], float) for n in one["nodes"])


def test_queries_do_not_grow_with_the_data(world, django_assert_num_queries):
    with django_assert_num_queries(12):
        _map(world)
    for i in range(5):
        extra = Aktor.objects.create(name=f"Extra {i}", typ=Aktor.Typ.KOMMUN)
        _activity(world.cast.se21, i, depts=[world.cast.a2], actors=[extra, world.r])
    with django_assert_num_queries(12):
        _map(world)


def test_cache_shows_an_edit_at_once(world):
    filters = graph.Filters(area_id=world.cast.se21.pk)
    first = graph.cached(filters)
    labels = {n["id"]: n["label"] for n in first["nodes"]}
    assert labels[world.ids["R"]] == "Region R"
    # Unchanged data: the same entry, no rebuild.
    stamp = graph.stamp()
    assert graph.stamp() == stamp
    world.r.name = "Region R (nytt namn)"
    world.r.save()
    assert graph.stamp() != stamp
    labels = {n["id"]: n["label"] for n in graph.cached(filters)["nodes"]}
    assert labels[world.ids["R"]] == "Region R (nytt namn)"


def test_cache_sees_a_deleted_activity_and_a_new_seat(world, cast):
    filters = graph.Filters(area_id=cast.se21.pk)
    before = _edges(graph.cached(filters))
    assert _e(world, "aktivitet", "O", "U") in before
    aktivitet_delete(aktivitet=world.act3, user=cast.leader)
    after = _edges(graph.cached(filters))
    assert _e(world, "aktivitet", "O", "U") not in after
    ForumPlats.objects.create(forum=world.f, person=PersonFactory(), start="2021-01-01")
    assert _edges(graph.cached(filters))[_e(world, "plats", "O", "F")]["count"] == 2


def test_cache_hit_builds_nothing(world, monkeypatch):
    filters = graph.Filters(area_id=world.cast.se21.pk)
    graph.cached(filters)
    monkeypatch.setattr(graph, "build", lambda *a, **kw: pytest.fail("rebuilt"))
    graph.cached(filters)


LAYOUT_SCRIPT = """
import django, json
django.setup()
import networkx as nx
from natverk.graph import _layout
g = nx.Graph()
for i in range(40):
    g.add_edge("omrade", f"forum-{i}")
    for j in range(6):
        g.add_edge(f"forum-{i}", f"aktor-{(i * 7 + j) % 160}")
print(json.dumps(sorted((v, round(x, 6), round(y, 6)) for v, (x, y) in _layout(g).items())))
"""


def test_a_big_maps_layout_is_the_same_in_every_process():
    # A big map is laid out by its skeleton; that was once iterated in a set's order, which
    # for strings differs between processes (hash randomisation): two workers drew the same
    # data differently. Two interpreters with different hash seeds must agree.
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", LAYOUT_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outputs.append(run.stdout)
    assert len(outputs[0]) > 1000 and outputs[0] == outputs[1]
