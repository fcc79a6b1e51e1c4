"""The collation ``swedish`` on both databases, so models say ``db_collation`` once.

On PostgreSQL a migration creates it from ICU's Swedish locale. SQLite has no locale
collations, so each new SQLite connection gets a Python one of the same name. Both sort
… X, Y, Z, Å, Ä, Ö. (The name has no hyphen: SQLite does not quote collation names.)
"""

_LETTERS = str.maketrans(
    {
        "å": "z\u0001",
        "ä": "z\u0002",
        "æ": "z\u0002",
        "ö": "z\u0003",
        "ø": "z\u0003",
        "ü": "y",
        "é": "e",
        "è": "e",
    }
)


def swedish_key(value):
    # Primary level ignores case; the original string breaks ties so the order is total.
    return (value.lower().translate(_LETTERS), value)


def swedish_compare(a, b):
    ka, kb = swedish_key(a), swedish_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation("swedish", swedish_compare)


def create_postgres_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE COLLATION IF NOT EXISTS swedish (provider = icu, locale = 'sv-SE')"
        )
