"""Indexes for the activity list (the performance targets, docs/performance.md).

- updated_at: the list cache's stamp (aktiviteter.listcache) reads MAX(updated_at).
- (avdelning_id, aktivitet_id) on the activity-department links: visibility through a
  department (Scope.filter_area_or_departments) and the department filter collect the
  activities of a few departments; with both columns in the index that is an index-only
  scan instead of a bitmap scan over the table (coordinator's page 1: 60 -> 15 ms under
  load on the generated data). The table is Django's automatic many-to-many table, so the
  index is plain SQL.
"""

from django.db import migrations, models

LINK_INDEX = "aktivitet_avd_avdelning_akt"
LINK_TABLE = "aktiviteter_aktivitet_avdelningar"


class Migration(migrations.Migration):
    dependencies = [
        ("aktiviteter", "0003_perf_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="aktivitet",
            index=models.Index(fields=["updated_at"], name="aktivitet_updated_at"),
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {LINK_INDEX} ON {LINK_TABLE} (avdelning_id, aktivitet_id)",
            f"DROP INDEX IF EXISTS {LINK_INDEX}",
        ),
    ]
