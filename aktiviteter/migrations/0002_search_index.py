"""Full-text search over titles and notes with Swedish stemming (PostgreSQL only).

A functional GIN index on the very expression ``AktivitetQuerySet.search`` uses, so the
planner can use it. SQLite has no full-text config; the search falls back to icontains.
"""

from django.db import migrations

INDEX = "aktivitet_fts_swedish"
EXPRESSION = "to_tsvector('swedish'::regconfig, (title || ' ' || notes))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON aktiviteter_aktivitet USING gin ({EXPRESSION})"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("aktiviteter", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
