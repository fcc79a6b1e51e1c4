"""Caches for the activity list (docs/performance.md), keyed on a stamp of the data they come from.

The list's totals aggregate every visible row (100,000 for a national reader: 20-60 ms
on each page, deep pages too), and its filter form lists every actor, forum and fund
project (2,500 options). Both change only when the rows do, so each is kept in Django's
cache under a key that holds a cheap stamp of its tables: a new or changed row gives a
new key, and the old entry is never read again.

What a stamp cannot see: a deleted activity and a department moved to another area.
Deleting through the app (``services.aktivitet_delete``) calls ``forget_totals``, which
starts a new generation of totals in this cache; totals also expire after TOTALS_SECONDS
(a per-process cache in another worker, and deletions in Django admin).
"""

import hashlib

from django.core.cache import cache
from django.utils.html import escape

from historik import stamps

from .models import Aktivitet, Aktor, Forum, Strukturfondsprojekt

TOTALS_SECONDS = 60
OPTIONS_SECONDS = 3600
REGISTER = {"aktor": Aktor, "forum": Forum, "projekt": Strukturfondsprojekt}


def stamp(db="default"):
    """((highest id, latest change) of the activities, (count, latest change) of each of
    actors, forums and fund projects), in one statement. The activity figures are read from
    an index end; counting the register (thousands of rows) also catches a deletion."""
    tables = [(Aktivitet, "MAX(id)")] + [(m, "COUNT(*)") for m in REGISTER.values()]
    row = stamps.read(
        [part for m, first in tables for part in ((m, first), (m, "MAX(updated_at)"))], using=db
    )
    return row[:2], row[2:]


def _key(*parts):
    return "akt:" + hashlib.sha256(repr(parts).encode()).hexdigest()


GENERATION_KEY = "akt:totals-generation"


def forget_totals():
    """Make every cached total unreachable (after a deletion)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet
        cache.set(GENERATION_KEY, 1, None)


def totals(qs, stamp):
    """qs.totals() (the counting rules), cached per query and data stamp.

    The key is the statement itself with its parameters, so whatever decides the rows
    (the user's scope, the filters) is part of it: two users share an entry only when they
    would run the same query.
    """
    sql, params = qs.order_by().query.sql_with_params()
    key = _key("totals", qs.db, sql, params, stamp[0], cache.get(GENERATION_KEY, 0))
    found = cache.get(key)
    if found is None:
        found = qs.totals()
        cache.set(key, found, TOTALS_SECONDS)
    return found


def register_options(kind, stamp, db="default"):
    """The <option>s (value, escaped name) of every actor, forum or fund project, as HTML,
    for this stamp."""
    key = _key("options", db, kind, stamp[1])
    html = cache.get(key)
    if html is None:
        rows = REGISTER[kind].objects.using(db).order_by("name").values_list("pk", "name")
        html = "".join(f'<option value="{pk}">{escape(name)}</option>' for pk, name in rows)
        cache.set(key, html, OPTIONS_SECONDS)
    return html
