"""The collation ``swedish`` on both databases, so models say ``db_collation`` once.

On PostgreSQL a migration creates it from ICU's Swedish locale. SQLite has no locale
collations, so each new SQLite connection gets a Python one of the same name. Both sort
… X, Y, Z, Å, Ä, Ö. (The name has no hyphen: SQLite does not quote collation names.)

The Python key follows ICU's levels: letters without accents or case first (punctuation
and spaces before digits before letters, control characters ignored), then accents, then
case (lower before upper), then the string itself so that the order is total, as
PostgreSQL's deterministic collation is. tests/avdelningar/test_collation.py checks it
against PostgreSQL's order.
"""

import unicodedata
from functools import lru_cache

# ICU's order of the punctuation and symbols a name may hold; all sort before digits and letters.
_PUNCTUATION = "\t\n\x0b\x0c\r \xa0_-–—,;:!?.…·'’\"”«»()[]{}§@*/\\&#%`´^+<=>|~$€"
_PRIMARY = {ch: "\x01" + chr(0x21 + i) for i, ch in enumerate(_PUNCTUATION)}
# Å, Ä, Ö after Z (æ and ø as ä and ö, ü as y); code points above z move up three to make room.
_PRIMARY.update({"å": "\x7b", "ä": "\x7c", "æ": "\x7c", "ö": "\x7d", "ø": "\x7d", "ü": "y"})


def _primary(ch):
    if ch in _PRIMARY:
        return _PRIMARY[ch]
    if unicodedata.combining(ch) or unicodedata.category(ch) == "Cc":
        return ""  # ignorable, as in ICU
    base = unicodedata.normalize("NFD", ch)[0]  # é -> e
    cp = ord(base)
    return chr(cp + 3) if 0x7A < cp < 0x10FFFC else base


@lru_cache(maxsize=4096)  # SQLite asks once per comparison
def swedish_key(value):
    text = unicodedata.normalize("NFC", value)
    lower = text.lower()
    primary = "".join(_primary(ch) for ch in lower)
    case = "".join("1" if ch.isupper() else "0" for ch in text)
    return (primary, lower, case, value)


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
