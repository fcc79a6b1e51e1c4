"""Shared by backup and restore: the PostgreSQL connection as command-line tool arguments."""

import os

from django.db import connections


def pg_args(alias="default", database=None):
    """(argv options, environment) for pg_dump/pg_restore from Django's settings."""
    s = connections[alias].settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]  # never on the command line, where ps shows it
    return args, env, database or s["NAME"]


def vendor(alias="default"):
    return connections[alias].vendor
