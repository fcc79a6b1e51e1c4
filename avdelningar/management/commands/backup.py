"""A consistent copy of the whole database in one file.

PostgreSQL: ``pg_dump --format=custom`` (compressed; restore with ``manage.py restore``).
SQLite: the sqlite3 online backup API, safe while the server runs.

Each run goes to the security log, not the audit trail: a trail row written after the dump
would be missing from the copy it describes.
"""

import logging
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ._dbtools import pg_args, vendor

log = logging.getLogger("regionalsamverkan.security")


class Command(BaseCommand):
    help = "Säkerhetskopierar databasen till en fil (pg_dump -Fc på PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen som ska skapas.")

    def handle(self, *args, path, **options):
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"Katalogen {target.parent} finns inte.")
        tmp = target.with_name(target.name + ".partial")
        if vendor() == "postgresql":
            argv, env, name = pg_args()
            cmd = ["pg_dump", "--format=custom", "--no-owner", "--file", str(tmp), *argv, name]
            result = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                tmp.unlink(missing_ok=True)
                log.error("backup failed: %s: %s", target, result.stderr.strip())
                raise CommandError(f"pg_dump misslyckades: {result.stderr.strip()}")
        else:
            source = sqlite3.connect(connections["default"].settings_dict["NAME"])
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
        # Rename last, so a half-written file never carries the final name.
        tmp.replace(target)
        log.info("backup written: %s (%d bytes)", target, target.stat().st_size)
        self.stdout.write(f"Säkerhetskopia sparad: {target} ({target.stat().st_size} byte)")
