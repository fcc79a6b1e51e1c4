"""The network map of an area (or the whole project): who the union's relations are with,
how fresh they are, which are central and which rest on one person or one activity.

``build`` reads the register in a fixed number of queries (whatever the size of the area)
and returns plain data (nodes, edges, measures) for the page's table, the browser's map and
the report's image; ``networkx`` computes the layout and the measures. ``cached`` keeps the
result in Django's cache under a key made of the filters and a stamp of the tables read
(their row counts and latest change), so an edit shows at once.

Nodes: the area itself (IF Metall in the area: the coordinator and the union's seats),
departments, actors, forums, fund projects and, for those who may see them, contact
persons. Edges:

- ``aktivitet``: a department (or the area, for an activity without departments) and an
  actor in the same activities, weighted by how many and how recent (each activity counts
  ``0.5 ** (age in years)``);
- ``forummote``: a department (or the area) and a forum whose meetings it logged;
- ``medlem``: an actor that is a member of a forum;
- ``plats``: the union's seats in a forum (from the area's node);
- ``partner``: a fund project and its owner, partners and departments;
- ``kontakt``: a contact person at an actor.

Freshness is the register's stale-relation rule (``aktiviteter.views.stale_before``,
RELATION_STALE_MONTHS): an edge built from activities is stale when its latest activity is
older than that; an actor or forum node when its latest activity is.
"""

import datetime
import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Func, Max, Min, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone

from aktiviteter import listcache
from aktiviteter.models import (
    Aktivitet,
    Aktor,
    AktorTyp,
    Forum,
    ForumPlats,
    Kontaktperson,
    ProjektRoll,
    Strukturfondsprojekt,
)
from aktiviteter.views import stale_before
from avdelningar.models import Avdelning, NutsOmrade
from historik import stamps

CACHE_SECONDS = 600
CENTRAL_COUNT = 5
# Betweenness over every node is exact up to this size; above it, sampled (fixed seed).
EXACT_BETWEENNESS = 300
SAMPLE = 8
# Maps up to this size are laid out whole; bigger ones by their skeleton (_layout).
SMALL_LAYOUT = 150
SKELETON_ACTORS = 25

URL_NAMES = {
    "aktor": "aktiviteter:aktor",
    "forum": "aktiviteter:forum",
    "projekt": "aktiviteter:projekt",
    "avdelning": "avdelning",
}
KIND_LABELS = {
    "omrade": "IF Metall i området",
    "avdelning": "Avdelning",
    "aktor": "Aktör",
    "forum": "Samverkansforum",
    "projekt": "Strukturfondsprojekt",
    "kontakt": "Kontaktperson",
}
EDGE_LABELS = {
    "aktivitet": "gemensamma aktiviteter",
    "forummote": "forummöten",
    "medlem": "medlem i forumet",
    "plats": "IF Metalls platser",
    "partner": "partner i projektet",
    "kontakt": "kontaktperson",
}


@dataclass(frozen=True)
class Filters:
    """What the map shows: an area (None: every area, the national map), a goal number,
    an actor type and a period (either end may be open)."""

    area_id: int | None = None
    goal: int | None = None
    typ: str = ""
    fran: datetime.date | None = None
    till: datetime.date | None = None

    @property
    def narrowed(self):
        return bool(self.goal or self.typ or self.fran or self.till)


class _Decay(Func):
    """An activity's weight in SQL: 0.5 ** (days from its date to today / 365), 1 for a day
    after today. Summed per relation in the database, so the map reads one row a relation
    instead of one a link (30,000 at the benchmark's size)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, field, today):
        super().__init__(Value(today), F(field))

    def as_sql(self, compiler, connection, **extra):
        # today - date: days, an integer, on PostgreSQL; float8, or power() is numeric's (slow)
        template = "POWER(0.5::float8, GREATEST(%(expressions)s, 0) / 365.0::float8)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        template = "POWER(0.5, MAX(julianday(%(expressions)s), 0) / 365.0)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(")


class _Builder:
    def __init__(self, filters, *, today, stale, kontakt_areas):
        self.f = filters
        self.today = today
        self.stale = stale
        self.kontakt_areas = kontakt_areas
        self.nodes = {}
        self.edges = {}
        self.activity_ids = defaultdict(set)  # an actor's relations' lowest and highest ids
        # reverse() once per kind, not once per node.
        self.urls = {kind: reverse(name, args=[0]) for kind, name in URL_NAMES.items()}

    def url(self, kind, pk):
        return self.urls[kind].replace("/0/", f"/{pk}/")

    def node(self, nid, kind, label, url="", **extra):
        if nid not in self.nodes:
            self.nodes[nid] = {"id": nid, "kind": kind, "label": label, "url": url, **extra}
        return self.nodes[nid]

    def edge(self, a, b, kind, count=0, last=None, weight=0.0):
        key = (min(a, b), max(a, b), kind)
        if key not in self.edges:
            self.edges[key] = {
                "id": f"{kind}:{key[0]}:{key[1]}",
                "source": a,
                "target": b,
                "kind": kind,
                "count": count,
                "last": last,
                "weight": weight,
            }
        return self.edges[key]

    # --- reading the register (a fixed number of queries) ----------------------------

    def activities(self):
        qs = Aktivitet.objects.all()
        if self.f.area_id is not None:
            qs = qs.filter(nuts_omrade_id=self.f.area_id)
        if self.f.goal:
            # A subquery, not a join: the relations below group the activities' links.
            qs = qs.filter(
                pk__in=Aktivitet.verksamhetsmal.through.objects.filter(
                    verksamhetsmal__number=self.f.goal
                ).values("aktivitet_id")
            )
        if self.f.fran:
            qs = qs.filter(date__gte=self.f.fran)
        if self.f.till:
            qs = qs.filter(date__lte=self.f.till)
        return qs

    def build(self):
        f = self.f
        hub = "omrade"
        area = NutsOmrade.objects.filter(pk=f.area_id).first() if f.area_id else None
        self.node(
            hub,
            "omrade",
            f"IF Metall {area.code}" if area else "IF Metall",
            reverse("omrade", args=[area.code]) if area else "",
            detail=area.name if area else "hela projektet",
        )
        acts = self.activities().order_by()
        # Joint activities, grouped in the database: one row per department (None: an
        # activity without departments, the area's node) and actor (None: an activity
        # without actors, which still puts its departments on the map), with how many, the
        # latest, the decayed weight and the lowest and highest activity id (an actor whose
        # relations all have one and the same activity rests on that one activity).
        met = list(
            acts.values_list("avdelningar", "aktorer").annotate(
                n=Count("pk"),
                last=Max("date"),
                weight=Sum(_Decay("date", self.today)),
                first_id=Min("pk"),
                last_id=Max("pk"),
            )
        )
        forum_met = list(
            acts.filter(forum__isnull=False)
            .values_list("avdelningar", "forum_id")
            .annotate(n=Count("pk"), last=Max("date"), weight=Sum(_Decay("date", self.today)))
        )
        actor_links = [row for row in met if row[1] is not None]
        # The actors of the map: those met in its activities, those of the area, those in
        # its forums and projects.
        forums = Forum.objects.all()
        projekt = Strukturfondsprojekt.objects.all()
        if f.area_id is not None:
            forums = forums.filter(nuts_omrade_id=f.area_id)
            projekt = projekt.filter(omraden=f.area_id)
        forum_rows = list(forums.values_list("pk", "name", "nuts_omrade__code"))
        forum_ids = [r[0] for r in forum_rows]
        members = list(
            Forum.aktorer.through.objects.filter(forum_id__in=forum_ids).values_list(
                "forum_id", "aktor_id"
            )
        )
        projekt_rows = list(projekt.values_list("pk", "name", "owner_id", "end", "union_role"))
        projekt_ids = [r[0] for r in projekt_rows]
        partners = list(
            Strukturfondsprojekt.partners.through.objects.filter(
                strukturfondsprojekt_id__in=projekt_ids
            ).values_list("strukturfondsprojekt_id", "aktor_id")
        )
        projekt_depts = list(
            Strukturfondsprojekt.avdelningar.through.objects.filter(
                strukturfondsprojekt_id__in=projekt_ids
            ).values_list("strukturfondsprojekt_id", "avdelning_id")
        )
        actor_ids = {row[1] for row in actor_links}
        actor_ids |= {a for _, a in members} | {a for _, a in partners}
        actor_ids |= {r[2] for r in projekt_rows if r[2]}
        actor_q = Q(pk__in=actor_ids)
        if f.area_id is not None and not f.narrowed:
            actor_q |= Q(nuts_omrade_id=f.area_id)
        actors = Aktor.objects.filter(actor_q)
        if f.typ:
            actors = actors.filter(typ=f.typ)
        typ_labels = dict(AktorTyp.choices)
        # Latest contact with the actor anywhere (the register's rule), not only in the map.
        actor_rows = list(
            actors.annotate(last=Max("aktiviteter__date")).values_list("pk", "name", "typ", "last")
        )
        shown_actors = {r[0] for r in actor_rows}
        for pk, name, typ, last in actor_rows:
            self.node(
                f"aktor-{pk}",
                "aktor",
                name,
                self.url("aktor", pk),
                typ=typ,
                detail=str(typ_labels.get(typ, typ)),
                last=last,
                stale=last is None or last < self.stale,
            )
        forum_last = dict(
            Aktivitet.objects.filter(forum_id__in=forum_ids)
            .values_list("forum_id")
            .annotate(m=Max("date"))
            .order_by()
        )
        seats = defaultdict(Counter)
        holders = defaultdict(set)
        for forum_id, person_id, role in ForumPlats.objects.filter(
            Q(end__isnull=True) | Q(end__gte=self.today),
            forum_id__in=forum_ids,
            start__lte=self.today,
        ).values_list("forum_id", "person_id", "role"):
            seats[forum_id][role] += 1
            holders[forum_id].add(person_id)
        for pk, name, code in forum_rows:
            if f.area_id is None:
                name = f"{name} ({code})"
            last = forum_last.get(pk)
            s = seats[pk]
            seat_text = (
                f"{s['ledamot']} ledamot, {s['ersattare']} ersättare" if s else "ingen plats"
            )
            self.node(
                f"forum-{pk}",
                "forum",
                name,
                self.url("forum", pk),
                detail=f"IF Metalls platser: {seat_text}",
                seats=sum(s.values()),
                seat_holders=len(holders[pk]),
                last=last,
                stale=last is None or last < self.stale,
            )
            if s:
                e = self.edge(hub, f"forum-{pk}", "plats")
                e["count"] = sum(s.values())
        for forum_id, aktor_id in members:
            if aktor_id in shown_actors:
                self.edge(f"aktor-{aktor_id}", f"forum-{forum_id}", "medlem")
        role_labels = dict(ProjektRoll.choices)
        for pk, name, owner_id, end, role in projekt_rows:
            running = end is None or end >= self.today
            self.node(
                f"projekt-{pk}",
                "projekt",
                name,
                self.url("projekt", pk),
                detail=(
                    f"IF Metall: {role_labels.get(role, role).lower()}, "
                    + ("pågår" if running else f"avslutat {end.isoformat()}")
                ),
                last=end,
                stale=not running,
            )
            self.edge(hub, f"projekt-{pk}", "partner")
            if owner_id in shown_actors:
                self.edge(f"aktor-{owner_id}", f"projekt-{pk}", "partner")
        for projekt_id, aktor_id in partners:
            if aktor_id in shown_actors:
                self.edge(f"aktor-{aktor_id}", f"projekt-{projekt_id}", "partner")
        dept_ids = {row[0] for row in met if row[0] is not None}
        dept_ids |= {row[0] for row in forum_met if row[0] is not None}
        dept_ids |= {d for _, d in projekt_depts}
        for pk, name, area_id, code in Avdelning.objects.filter(pk__in=dept_ids).values_list(
            "pk", "name", "nuts_omrade_id", "nuts_omrade__code"
        ):
            if f.area_id is None or area_id == f.area_id:
                self.node(f"avdelning-{pk}", "avdelning", name, self.url("avdelning", pk))
            else:
                # Another area's department in one of the area's joint activities: on the
                # map (cross-area work is part of the picture), but without a link, since
                # the area's coordinator cannot open another area's department.
                self.node(f"avdelning-{pk}", "avdelning", name, detail=f"Avdelning i {code}")
        for projekt_id, dept_id in projekt_depts:
            self.edge(f"avdelning-{dept_id}", f"projekt-{projekt_id}", "partner")
        # Joint activities: each actor of an activity with each of its departments (or the
        # area's node when it has none); a forum meeting likewise with the forum.
        for dept_id, aktor_id, n, last, weight, first_id, last_id in actor_links:
            if aktor_id not in shown_actors:
                continue
            side = f"avdelning-{dept_id}" if dept_id is not None else hub
            self.edge(side, f"aktor-{aktor_id}", "aktivitet", n, last, weight)
            self.activity_ids[f"aktor-{aktor_id}"].update((first_id, last_id))
        for dept_id, forum_id, n, last, weight in forum_met:
            if f"forum-{forum_id}" in self.nodes:
                side = f"avdelning-{dept_id}" if dept_id is not None else hub
                self.edge(side, f"forum-{forum_id}", "forummote", n, last, weight)
        for dept_node in [n for n in self.nodes if n.startswith("avdelning-")]:
            self.edge(hub, dept_node, "medlem")
        if self.kontakt_areas is not None:
            contacts = Kontaktperson.objects.filter(
                aktor_id__in=shown_actors, anonymized_at__isnull=True
            )
            if self.kontakt_areas != "all":
                contacts = contacts.filter(nuts_omrade_id__in=self.kontakt_areas)
            for pk, name, title, aktor_id, last in contacts.values_list(
                "pk", "name", "title", "aktor_id", "last_contact"
            ):
                self.node(
                    f"kontakt-{pk}",
                    "kontakt",
                    name,
                    self.url("aktor", aktor_id) + "#kontaktpersoner",
                    detail=title,
                    last=last,
                    stale=last < self.stale,
                )
                self.edge(f"kontakt-{pk}", f"aktor-{aktor_id}", "kontakt")
        # A filtered map shows only what is connected.
        if f.narrowed:
            linked = {e["source"] for e in self.edges.values()} | {
                e["target"] for e in self.edges.values()
            }
            for nid in [n for n in self.nodes if n not in linked and n != hub]:
                del self.nodes[nid]
        return self.finish()

    # --- measures and layout -------------------------------------------------------------

    def finish(self):
        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((e["source"], e["target"]) for e in self.edges.values())
        n = g.number_of_nodes()
        if n > EXACT_BETWEENNESS:
            between = nx.betweenness_centrality(g, k=SAMPLE, seed=17, normalized=True)
        else:
            between = nx.betweenness_centrality(g, normalized=True)
        bridges = _bridges(g)
        contacts = Counter()
        for e in self.edges.values():
            if e["kind"] == "kontakt":
                contacts[e["target"]] += 1
        degree = dict(g.degree())
        for nid, node in self.nodes.items():
            node["centrality"] = round(between.get(nid, 0.0), 4)
            node["degree"] = degree[nid]
            if node["kind"] == "aktor":
                # Met in exactly one activity: every relation's lowest and highest id is it.
                node["single_activity"] = len(self.activity_ids.get(nid, ())) == 1
                node["contacts"] = contacts.get(nid, 0)
        pos = _layout(g)
        for nid, (x, y) in pos.items():
            self.nodes[nid]["x"] = round(float(x) * 500, 1)
            self.nodes[nid]["y"] = round(float(y) * 500, 1)
        edges = []
        for key, e in sorted(self.edges.items()):
            built_on_activities = e["kind"] in ("aktivitet", "forummote")
            e["stale"] = built_on_activities and (e["last"] is None or e["last"] < self.stale)
            e["single_activity"] = built_on_activities and e["count"] == 1
            e["bridge"] = (key[0], key[1]) in bridges
            e["weight"] = round(e["weight"], 3)
            e["label"] = EDGE_LABELS[e["kind"]]
            edges.append(e)
        nodes = sorted(self.nodes.values(), key=lambda n: (n["kind"] != "omrade", n["id"]))
        actors = [n for n in nodes if n["kind"] == "aktor"]
        central = sorted(
            (n for n in actors if n["centrality"] > 0 or n["degree"]),
            key=lambda n: (-n["centrality"], -n["degree"], n["label"]),
        )[:CENTRAL_COUNT]
        central_ids = {n["id"] for n in central}
        for n in nodes:
            n["central"] = n["id"] in central_ids
        single_activity = sorted(
            (n for n in actors if n["single_activity"]), key=lambda n: n["label"]
        )
        single_person = sorted(
            (n for n in actors if n.get("contacts") == 1), key=lambda n: n["label"]
        ) + sorted(
            (n for n in nodes if n["kind"] == "forum" and n.get("seat_holders") == 1),
            key=lambda n: n["label"],
        )
        for n in nodes:
            # Every node says when it was last met, None when never (a forum or project
            # with no activity): the table and the JSON read one shape.
            last = n.get("last")
            n["last"] = last.isoformat() if isinstance(last, datetime.date) else last
        for e in edges:
            if isinstance(e["last"], datetime.date):
                e["last"] = e["last"].isoformat()
        return {
            "nodes": nodes,
            "edges": edges,
            "measures": {
                "central": [n["id"] for n in central],
                "single_activity": [n["id"] for n in single_activity],
                "single_person": [n["id"] for n in single_person],
                "bridges": [e["id"] for e in edges if e["bridge"]],
            },
            "stale_before": self.stale.isoformat(),
        }


def _bridges(g):
    """{(a, b) with a < b}: the edges whose removal splits the graph (Tarjan's low-link, as
    an iterative depth-first search; networkx's chain decomposition cost five times more)."""
    index, low, found = {}, {}, set()
    counter = 0
    for root in g:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(g[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            advanced = False
            for w in neighbours:
                if w == parent:
                    continue
                if w in index:
                    low[v] = min(low[v], index[w])
                else:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append((w, v, iter(g[w])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[v])
                if low[v] > index[parent]:
                    found.add((min(parent, v), max(parent, v)))
    return found


def _layout(g):
    """Positions in about [-1, 1], the same for the same data (seeded).

    A small map (SMALL_LAYOUT nodes or fewer) is laid out whole by Fruchterman-Reingold
    (networkx's dense numpy solver). A big one would take seconds that way (and networkx
    wants scipy from 500 nodes), so only its skeleton is: the area, the departments, forums
    and projects and the best-connected actors; every other node is then placed at the centre
    of its placed neighbours, spread on a small spiral so that nodes with the same neighbours
    do not cover each other."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if n <= SMALL_LAYOUT:
        return nx.spring_layout(g, seed=7, iterations=50, method="force", weight=None)
    actors = sorted((v for v in g if v.startswith("aktor-")), key=lambda v: (-g.degree(v), v))
    skeleton = [v for v in g if not v.startswith(("aktor-", "kontakt-"))] + actors[:SKELETON_ACTORS]
    # A graph of its own, not a subgraph view: the solver walks it often, and a view (or
    # its copy) filters every step.
    chosen = set(skeleton)
    core = nx.Graph()
    core.add_nodes_from(v for v in g if v in chosen)  # in the map's order, as a view has it
    core.add_edges_from((u, v) for u, v in g.edges(skeleton) if v in chosen)
    pos = nx.spring_layout(core, seed=7, iterations=30, method="force", weight=None)
    pos = {v: (float(x), float(y)) for v, (x, y) in pos.items()}
    golden = math.pi * (3 - math.sqrt(5))
    rest = list(actors[SKELETON_ACTORS:]) + sorted(v for v in g if v.startswith("kontakt-"))
    for i, v in enumerate(rest):
        placed = [pos[u] for u in g[v] if u in pos]
        if placed:
            cx = sum(p[0] for p in placed) / len(placed)
            cy = sum(p[1] for p in placed) / len(placed)
        else:
            cx = cy = 0.0
        r = 0.04 if v.startswith("kontakt-") else 0.08 + 0.02 * math.sqrt(i % 50)
        pos[v] = (cx + r * math.cos(golden * i), cy + r * math.sin(golden * i))
    return pos


def build(filters, *, today=None, kontakt_areas=None):
    """The map's data. kontakt_areas: None (no contact persons), "all", or the ids of the
    areas whose contact persons the reader may see."""
    today = today or timezone.localdate()
    builder = _Builder(filters, today=today, stale=stale_before(), kontakt_areas=kontakt_areas)
    return builder.build()


STAMPED = [Aktivitet, Aktor, Forum, Strukturfondsprojekt, Kontaktperson]


def stamp(db="default"):
    """(count, latest change) of the activities and the register's tables, and (count,
    highest id) of the forum seats, in one statement: a new, changed or deleted row gives a
    new stamp. The activities' count is their highest id with the activity list's deletion
    generation (aktiviteter.listcache): counting 100,000 rows on each page would cost more
    than the map."""
    parts = [(Aktivitet, "MAX(id)"), (Aktivitet, "MAX(updated_at)")]
    parts += [part for m in STAMPED[1:] for part in ((m, "COUNT(*)"), (m, "MAX(updated_at)"))]
    parts += [(ForumPlats, "COUNT(*)"), (ForumPlats, "MAX(id)")]
    return (*stamps.read(parts, using=db), cache.get(listcache.GENERATION_KEY, 0))


def cache_key(filters, kontakt_areas, today, data_stamp):
    areas = kontakt_areas if kontakt_areas in (None, "all") else tuple(sorted(kontakt_areas))
    # The stale rule's day too: RELATION_STALE_MONTHS may differ between processes.
    parts = (filters, areas, today.isoformat(), stale_before().isoformat(), data_stamp)
    return "natverk:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(filters, *, kontakt_areas=None, part="data", derive=None):
    """build(...) from the cache while the data stamp is unchanged. With part and derive,
    what derive(data) makes of it (the page's table, the JSON text), cached on its own: a
    page then reads only what it shows, not the whole map's data."""
    today = timezone.localdate()
    key = cache_key(filters, kontakt_areas, today, stamp())
    found = cache.get(f"{key}:{part}")
    if found is None:
        data = cache.get(f"{key}:data") if part != "data" else None
        if data is None:
            data = build(filters, today=today, kontakt_areas=kontakt_areas)
            cache.set(f"{key}:data", data, CACHE_SECONDS)
        found = derive(data) if derive else data
        if part != "data":
            cache.set(f"{key}:{part}", found, CACHE_SECONDS)
    return found
