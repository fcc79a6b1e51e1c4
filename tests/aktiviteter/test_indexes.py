"""The search and the deep pages use their indexes (PostgreSQL only)."""

import pytest
from django.db import connection

from aktiviteter.models import Aktivitet

from .helpers import make_aktivitet

pytestmark = pytest.mark.django_db


def plan(qs):
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        # Tiny test tables would always be scanned; make the planner show its index choice.
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


@pytest.fixture
def pg(cast):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    make_aktivitet(cast.se21, notes="Svetsutbildningar för operatörer")
    return cast


def test_full_text_search_uses_the_gin_index(pg):
    assert "aktivitet_fts_swedish" in plan(Aktivitet.objects.search("svetsutbildning"))
    # Swedish stemming: the plural in the notes matches the singular.
    assert Aktivitet.objects.search("svetsutbildning").count() == 1


def test_keyset_page_uses_the_date_id_index(pg):
    qs = Aktivitet.objects.order_by("-date", "-id").filter(date__lt="2024-01-01")[:50]
    assert "aktivitet_date_id" in plan(qs)
