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
    # Unordered: with the list's date order the planner may rightly walk the date index
    # and check each row's stored document instead.
    found = Aktivitet.objects.search("svetsutbildning").order_by()
    assert "aktivitet_search_document" in plan(found)
    # Swedish stemming: the plural in the notes matches the singular.
    assert Aktivitet.objects.search("svetsutbildning").count() == 1


def test_the_stored_document_follows_every_write(pg):
    a = Aktivitet.objects.get()
    Aktivitet.objects.filter(pk=a.pk).update(notes="Omställningsstöd efter nedläggningen")
    assert not Aktivitet.objects.search("svetsutbildning").exists()
    assert list(Aktivitet.objects.search("omställningsstöd")) == [a]
    a.title = "Elektrifieringen av fordonsindustrin"
    a.save()
    assert list(Aktivitet.objects.search("elektrifiering")) == [a]


def test_search_in_a_subquery_reads_the_subquery_own_row(pg):
    """pk__in gives the table another alias: the document must come from that row, not be
    correlated with the outer query (which would be a scan per outer row)."""
    other = make_aktivitet(pg.se21, title="Möte om annat")
    inner = Aktivitet.objects.search("svetsutbildning").values("pk")
    qs = Aktivitet.objects.filter(pk__in=inner)
    assert list(qs) == list(Aktivitet.objects.exclude(pk=other.pk))
    sql = str(qs.query)
    assert 'U0."search_document"' in sql and '"aktiviteter_aktivitet"."search_document"' not in sql


def test_the_migration_goes_back_to_the_expression_index_and_forward_again(pg):
    from django.core.management import call_command

    def indexes():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'aktiviteter_aktivitet'"
            )
            return {row[0] for row in cur.fetchall()}

    with connection.cursor() as cur:
        # The rows made above have foreign-key checks pending until commit, and PostgreSQL
        # will not index a table with pending checks: run them now. (The test's
        # transaction is rolled back afterwards, the schema change with it.)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("migrate", "aktiviteter", "0004", verbosity=0)
    try:
        assert "aktivitet_fts_swedish" in indexes()
        assert "aktivitet_search_document" not in indexes()
    finally:
        call_command("migrate", "aktiviteter", verbosity=0)
    assert "aktivitet_search_document" in indexes() and "aktivitet_fts_swedish" not in indexes()
    assert Aktivitet.objects.search("svetsutbildning").count() == 1


def test_keyset_page_uses_the_date_id_index(pg):
    qs = Aktivitet.objects.order_by("-date", "-id").filter(date__lt="2024-01-01")[:50]
    assert "aktivitet_date_id" in plan(qs)
