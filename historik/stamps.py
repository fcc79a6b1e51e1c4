"""Stamps of change: a few aggregates of the tables a cached result was computed from, read
in one statement, so the cache's key changes when the data does (a new, changed or deleted
row) and an entry for old data is never read again.

Three caches use them: the activity list's totals and filter options (aktiviteter.listcache),
the key-figure comparison (nyckeltal.comparison) and the network map (natverk.graph). Each
names its own tables; this module only reads them. Down here because the audit trail's own
table is one of them (the comparison reads MAX(id) of historik's records).
"""

from django.db import connections

# What a stamp may read of a table: each is cheap (an index end, or a count of a table of
# thousands of rows, not of the activities), and the list keeps any other text out of SQL.
AGGREGATES = {"COUNT(*)", "MAX(id)", "MAX(updated_at)"}


def read(parts, *, using="default"):
    """(value, ...) of each (model, aggregate) in parts, in order, in one statement."""
    selects = []
    for model, aggregate in parts:
        if aggregate not in AGGREGATES:
            raise ValueError(f"not a stamp aggregate: {aggregate!r}")
        # The table name is the model's own and the aggregate one of AGGREGATES.
        selects.append(f"(SELECT {aggregate} FROM {model._meta.db_table})")  # noqa: S608
    with connections[using].cursor() as cur:
        cur.execute("SELECT " + ", ".join(selects))
        return tuple(cur.fetchone())
