"""A backup restored into a fresh database holds exactly the same rows."""

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from historik.models import Handelse
from historik.services import handelse_record
from tests import factories as f
from tests.helpers import require_service


def pg_connect(name):
    s = connection.settings_dict
    return psycopg2.connect(
        dbname=name, host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"]
    )


def fingerprint(conn, tables):
    """{table: (row count, md5 over the sorted md5 of every row)}."""
    out = {}
    with conn.cursor() as cur:
        for table in tables:
            rows = "string_agg(md5(t::text), '' ORDER BY md5(t::text))"
            cur.execute(f"SELECT count(*), md5(coalesce({rows}, '')) FROM \"{table}\" t")
            out[table] = cur.fetchone()
    return out


def test_backup_restores_into_a_fresh_database_with_equal_rows(
    transactional_db, cast, tmp_path, caplog
):
    # Committed rows (transactional_db): pg_dump reads through its own connection.
    require_service("PostgreSQL", connection.vendor == "postgresql")
    f.MedlemsantalFactory(avdelning=cast.a1, year=2024, active_members=1234)
    handelse_record(
        user=cast.leader, action=Handelse.Action.UPDATE, obj=cast.a1, changes={"å": ["ä", "ö"]}
    )
    dump = tmp_path / "backup.dump"
    caplog.set_level("INFO", logger="regionalsamverkan.security")
    call_command("backup", str(dump))
    assert dump.stat().st_size > 1000
    # The run is in the security log (not the trail, which the copy would then lack).
    assert f"backup written: {dump} ({dump.stat().st_size} bytes)" in caplog.messages
    assert not (tmp_path / "backup.dump.partial").exists()

    fresh = connection.settings_dict["NAME"] + "_restore"
    admin = pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cur.execute(f'CREATE DATABASE "{fresh}"')
    try:
        call_command("restore", str(dump), database_name=fresh, interactive=False)
        tables = connection.introspection.table_names()
        original = pg_connect(connection.settings_dict["NAME"])
        restored = pg_connect(fresh)
        try:
            want, got = fingerprint(original, tables), fingerprint(restored, tables)
        finally:
            original.close()
            restored.close()
        assert want == got
        assert want["avdelningar_avdelning"][0] >= 3 and want["historik_handelse"][0] >= 1
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(tmp_path / "nope.dump"), interactive=False)


@pytest.mark.django_db
def test_backup_refuses_a_missing_directory(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="finns inte"):
        call_command("backup", str(tmp_path / "nej" / "x.dump"))


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file_and_is_logged(tmp_path, monkeypatch, caplog):
    from django.core.management.base import CommandError

    from avdelningar.management.commands import backup

    require_service("PostgreSQL", connection.vendor == "postgresql")
    argv, env, _name = backup.pg_args()
    monkeypatch.setattr(backup, "pg_args", lambda: (argv, env, "ingen_sadan_databas"))
    caplog.set_level("INFO", logger="regionalsamverkan.security")
    dump = tmp_path / "backup.dump"
    with pytest.raises(CommandError, match="pg_dump misslyckades"):
        call_command("backup", str(dump))
    assert list(tmp_path.iterdir()) == []
    assert any(m.startswith(f"backup failed: {dump}") for m in caplog.messages)
