"""The rows of the activity export (CSV and XLSX), for any number of activities.

Values only (no model instances), read through one server-side cursor. Each row brings
the ids of its departments, goals and actors: on PostgreSQL as arrays from correlated
subqueries in the same query (index-only scans), elsewhere (SQLite for `make run`) one
query per link for each chunk of rows. The ids become names through the registers, read
once in their own order (the database's Swedish collation), so each cell lists them as
the register does. 100,000 rows: one query and a few seconds.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef

from .models import Aktivitet

FIELDS = [
    "pk",
    "date",
    "typ",
    "title",
    "nuts_omrade__code",
    "forum__name",
    "projekt__name",
    "participants_women",
    "participants_men",
    "participants_other",
    "notes",
    "next_step",
    "next_step_due",
]
# The links listed in a cell, and what names each linked row there.
LINKS = [("avdelningar", "name"), ("verksamhetsmal", "number"), ("aktorer", "name")]


def rows(qs, *, chunk_size=2000):
    """[id, date, type, title, area, departments, goals, actors, forum, project, women,
    men, other, notes, next step, next step due] for each activity of qs, newest first."""
    labels = dict(Aktivitet.Typ.choices)
    registers = [Register(Aktivitet._meta.get_field(name), label) for name, label in LINKS]
    qs = qs.order_by("-date", "-id")
    if _arrays(qs):
        links = {
            f"link_{name}": ArraySubquery(
                _through(name).objects.filter(aktivitet_id=OuterRef("pk")).values(column)
            )
            for name, column in ((n, _column(n)) for n, _ in LINKS)
        }
        values = qs.annotate(**links).values_list(*FIELDS, *links).iterator(chunk_size)
    else:
        values = _with_links(qs.values_list(*FIELDS).iterator(chunk_size), chunk_size)
    deps, goals, actors = registers
    for row in values:
        pk, date, typ, title, code, forum, projekt, women, men, other = row[:10]
        notes, step, due, dep_ids, goal_ids, actor_ids = row[10:]
        yield [
            pk,
            date,
            labels.get(typ, typ),
            title,
            code,
            deps.names(dep_ids),
            goals.names(goal_ids),
            actors.names(actor_ids),
            forum or "",
            projekt or "",
            women,
            men,
            other,
            notes,
            step,
            due,
        ]


class Register(dict):
    """{id: (position, name)} of a whole register (departments, goals, actors)."""

    def __init__(self, field, label):
        super().__init__()
        self.model, self.label = field.related_model, label
        self.load()

    def load(self):
        rows = self.model.objects.values_list("pk", self.label)  # the model's own order
        self.update({pk: (i, str(name)) for i, (pk, name) in enumerate(rows)})

    def __missing__(self, pk):
        # Added while a long export was running: read the register again.
        self.load()
        return self.get(pk, (len(self), str(pk)))

    def names(self, ids):
        return ", ".join(name for _, name in sorted(self[pk] for pk in ids))


def _arrays(qs):
    return connections[qs.db].vendor == "postgresql"


def _through(name):
    return Aktivitet._meta.get_field(name).remote_field.through


def _column(name):
    return Aktivitet._meta.get_field(name).m2m_reverse_name()  # e.g. avdelning_id


def _with_links(values, chunk_size):
    """Each row of values with its links' ids appended, one query per link per chunk."""
    chunk = []
    for row in values:
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield from _chunk_with_links(chunk)
            chunk = []
    yield from _chunk_with_links(chunk)


def _chunk_with_links(chunk):
    ids = [row[0] for row in chunk]
    linked = []
    for name, _label in LINKS:
        by_id = {}
        pairs = _through(name).objects.filter(aktivitet_id__in=ids)
        for pk, other in pairs.values_list("aktivitet_id", _column(name)):
            by_id.setdefault(pk, []).append(other)
        linked.append(by_id)
    for row in chunk:
        yield (*row, *(by_id.get(row[0], ()) for by_id in linked))
