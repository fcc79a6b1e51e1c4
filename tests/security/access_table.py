"""How to write a row of the access table (rows live in ``tests/security/tables/<app>.py``).

Each app's module defines ``ROWS = [Row(...), ...]``, one Row per URL name. A row says,
for GET and for POST, which status each role gets, in a fixed column order::

    #            anon board neigh outsd coord ocoord leadr steer natbd admin
    get={"own": "302  200   404   404   200   404    200   200   200   200",
         "foreign": "302  404 ..."}

Columns are the ``ROLES`` below, users from the ``cast`` fixture (tests/conftest.py) plus a
superuser ``admin``. "own" means objects of the board member's tenant (department A1 in
SE21); "foreign" objects of another area's tenant (department B1 in SE22); "national" objects
of no area and no department (a national activity). ``objects(cast)``
returns ``{"own": url_kwargs, "foreign": url_kwargs}`` and creates whatever rows it needs
(use tests/factories.py); a URL without parameters uses the default ``{"-": {}}`` and a
single matrix line under the key ``"-"``.

``post`` defaults to the same answers as ``get`` (a read-only view that does not check the
method answers POST like GET). Give ``post_data(cast, tenant)`` for a form. Mark rows whose
POST changes something ``changes_state=True`` (tested for CSRF); if the URL answers only
POST, also ``post_only=True`` (its GET must answer 405). A POST that destroys its object
needs ``fresh=True`` so every role gets new objects.

``guard`` ("avdelning" or "nuts") cross-checks the table against ``avdelningar.access``: a
role that gets a 2xx for an object must be allowed by ``scope_for(user)`` to see its tenant,
so a wrong table cannot hide a leak.

Anonymous answers of 302 must redirect to the login page.
"""

from dataclasses import dataclass, field

from avdelningar.models import Avdelning, NutsOmrade

ROLES = (
    "anonymous",
    "board",
    "neighbour",
    "outsider",
    "coordinator",
    "other_coordinator",
    "leader",
    "steering",
    "board_national",
    "admin",
)
SAME = "same as GET"


def parse(line):
    codes = [int(c) for c in line.split()]
    assert len(codes) == len(ROLES), f"{line!r}: expected {len(ROLES)} columns"
    return dict(zip(ROLES, codes, strict=True))


def no_kwargs(cast):
    return {"-": {}}


def no_data(cast, tenant):
    return {}


@dataclass
class Row:
    name: str
    get: dict
    post: object = SAME
    objects: object = no_kwargs
    post_data: object = no_data
    changes_state: bool = False
    post_only: bool = False
    fresh: bool = False
    guard: str | None = None
    note: str = field(default="")

    def expected(self, method, tenant):
        table = self.get if method == "get" or self.post == SAME else self.post
        return parse(table[tenant])

    def tenants(self):
        return list(self.get)


def tenant_object(cast, guard, tenant):
    """The object whose tenant decides the answer, for the cross-check against access.py."""
    if tenant == "national":
        # No department and no area (unsaved): only those who read everything see it.
        return Avdelning(nuts_omrade_id=None) if guard == "avdelning" else NutsOmrade()
    if guard == "avdelning":
        return {"own": cast.a1, "foreign": cast.b1}[tenant]
    if guard == "nuts":
        return {"own": cast.se21, "foreign": cast.se22}[tenant]
    raise ValueError(guard)
