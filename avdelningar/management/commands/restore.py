"""Put a backup made by ``manage.py backup`` back. Replaces what is in the database."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from historik.models import Handelse
from historik.services import handelse_record

from ._dbtools import pg_args, vendor


class Command(BaseCommand):
    help = "Återställer databasen från en säkerhetskopia (pg_restore på PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Säkerhetskopian.")
        parser.add_argument(
            "--database-name",
            help="Återställ till en annan (befintlig, tom) PostgreSQL-databas, t.ex. för prov.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Fråga inte innan databasen skrivs över.",
        )

    def handle(self, *args, path, database_name=None, interactive=True, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Filen {source} finns inte.")
        if interactive:
            answer = input(
                "Allt i databasen ersätts med säkerhetskopian. Skriv 'ja' för att fortsätta: "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrutet; inget ändrades.")
        connections.close_all()
        if vendor() == "postgresql":
            argv, env, name = pg_args(database=database_name)
            cmd = [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *argv,
                "--dbname",
                name,
                str(source),
            ]
            result = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_restore misslyckades: {result.stderr.strip()}")
        else:
            if database_name:
                raise CommandError("--database-name gäller bara PostgreSQL.")
            backup = sqlite3.connect(source)
            dest = sqlite3.connect(connections["default"].settings_dict["NAME"])
            try:
                backup.backup(dest)
            finally:
                dest.close()
                backup.close()
        if not database_name:
            # The restored trail ends at the backup; this row says why later rows are missing.
            handelse_record(
                user=None,
                action=Handelse.Action.IMPORT,
                object_repr=source.name,
                note=f"Databasen återställd från säkerhetskopian {source.name}",
            )
        self.stdout.write(f"Databasen återställd från {source}.")
