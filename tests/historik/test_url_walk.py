"""Every URL of the app, driven as the access table drives it, leaves a trail.

For each URL that changes something (``changes_state`` in tests/security/tables), roles
allowed to POST it do so; the database is compared before and after
(tests/historik/trail.py), and every row the request created, changed or deleted must be
accounted for by a Handelse of that user. Every GET that answers with a file (an export or
a download) must record who took it.
"""

import pytest
from django.urls import reverse

from historik.models import Handelse
from tests.helpers import client_for
from tests.historik.trail import Watch
from tests.security.access_table import ROLES
from tests.security.tables import all_rows

pytestmark = pytest.mark.django_db

TABLE = all_rows()
STATE_CHANGING = sorted(n for n, row in TABLE.items() if row.changes_state)

# Files that hold no data: blank import templates.
NO_DATA = {"mal:import_mall", "aktiviteter:import_mall"}
# Tables whose rows the walk must see written, so it cannot quietly walk nothing.
MUST_WRITE = {
    "mal.Atagande",
    "mal.Uppfoljning",
    "mal.Kommentar",
    "mal.Bilaga",
    "aktiviteter.Aktivitet",
    "rapporter.Kostnad",
    "rapporter.Berattelse",
    "rapporter.Rapportversion",
}


def _allowed(row, method, tenant):
    expected = row.expected(method, tenant)
    return [r for r in ROLES if r != "anonymous" and expected[r] < 400]


def test_every_change_through_a_url_is_recorded(cast, users):
    missing, written = [], set()
    for name in STATE_CHANGING:
        row = TABLE[name]
        objects = row.objects(cast)
        for tenant in row.tenants():
            allowed = _allowed(row, "post", tenant)
            # The first and the last role allowed (a department or area role, and the
            # project leader or admin): the paths differ by role, not by each of them.
            for role in dict.fromkeys(allowed[:1] + allowed[-1:]):
                if row.fresh:
                    objects = row.objects(cast)
                user = users[role]
                url = reverse(name, kwargs=objects[tenant])
                with Watch() as w:
                    client_for(user).post(url, row.post_data(cast, tenant))
                written |= {key[0] for _kind, key in w.changed}
                missing += [f"{name} {tenant} as {role}: {m}" for m in w.missing(user=user)]
    assert not missing, "changed without a trail:\n" + "\n".join(missing)
    assert written >= MUST_WRITE, f"the walk never wrote {sorted(MUST_WRITE - written)}"


def _is_file(response):
    return "attachment" in response.get("Content-Disposition", "") or getattr(
        response, "streaming", False
    )


def test_every_export_and_download_is_recorded(cast, users):
    missing, files = [], set()
    for name, row in sorted(TABLE.items()):
        objects = row.objects(cast)
        for tenant in row.tenants():
            allowed = _allowed(row, "get", tenant)
            if not allowed or row.post_only:
                continue
            user = users[allowed[0]]
            before = Handelse.objects.order_by("-id").values_list("id", flat=True).first() or 0
            r = client_for(user).get(reverse(name, kwargs=objects[tenant]))
            if r.status_code != 200 or not _is_file(r) or name in NO_DATA:
                continue
            files.add(name)
            took = Handelse.objects.filter(
                id__gt=before,
                user=user,
                action__in=[Handelse.Action.EXPORT, Handelse.Action.DOWNLOAD],
            )
            if not took.exists():
                missing.append(f"{name} {tenant} as {allowed[0]}")
    assert not missing, "files handed out without a trail: " + ", ".join(missing)
    assert {"rapporter:pdf", "rapporter:xlsx", "aktiviteter:export_csv", "mal:bilaga"} <= files
