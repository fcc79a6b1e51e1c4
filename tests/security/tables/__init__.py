"""The access table: every URL name of the project with the answer each role must get.

One module per app in this package (``avdelningar.py``, ``konto.py``, ...), each defining
``ROWS``, a list of :class:`tests.security.access_table.Row`. ``all_rows()`` merges them;
``tests/security/test_access_matrix.py`` walks the URLconf and fails for any URL name that
no module lists. See ``tests/security/access_table.py`` for how to write a row.
"""

import importlib
import pkgutil


def all_rows():
    rows = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for row in module.ROWS:
            assert row.name not in rows, f"URL name {row.name!r} is listed twice in the table"
            rows[row.name] = row
    return rows
