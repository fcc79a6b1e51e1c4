"""Full-text search reads a stored document instead of computing one per row (PostgreSQL).

0002 indexed the expression to_tsvector(title || ' ' || notes). That index finds rare words
quickly, but a common one is cheaper to check row by row along the list's date order, and
then every row passed computed its tsvector again (~45 µs a row; a page of a word in 5 % of
the rows read ~1,000). A generated column keeps the document: computed once when a row is
written, read when searched, and the GIN index moves to it.

It is not a model field: SQLite has no text-search configuration, and Django never writes it
(GENERATED ALWAYS). ``AktivitetQuerySet.search`` reads it. A later migration that changes the
type of title or notes must drop the column first and add it again (PostgreSQL refuses to
alter a column a generated column uses).
"""

from django.db import migrations

TABLE = "aktiviteter_aktivitet"
COLUMN = "search_document"
INDEX = "aktivitet_search_document"
OLD_INDEX = "aktivitet_fts_swedish"
DOCUMENT = "to_tsvector('swedish'::regconfig, (title || ' ' || notes))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    # Statistics for the new column now, not at autovacuum's next visit: without them the
    # planner guesses a common word is rare and sorts every match (20 ms instead of 4 ms
    # for a word in 5 % of 100,000 rows).
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON {TABLE} USING gin ({DOCUMENT})")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("aktiviteter", "0004_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
