"""The heaviest list queries use indexes (PostgreSQL only): no sequential scan of
the activities table, and no sort over more rows than a page, on the generated data.

Sequential scans are switched off for the EXPLAIN, as the test tables are small enough
that the planner would rightly scan them: what is checked is that an index path exists.
"""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from aktiviteter.forms import FilterForm
from aktiviteter.models import Aktivitet
from aktiviteter.views import PAGE_SIZE
from avdelningar.access import scope_for
from avdelningar.models import Avdelning, NutsOmrade
from mal.models import Atagande
from tests.helpers import require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    require_service("PostgreSQL", connection.vendor == "postgresql")
    call_command("generate_load_data", scale=0.03, seed=3, stdout=io.StringIO())


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plan(qs):
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cur.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _problems(plan, table):
    found = []
    for node in _nodes(plan):
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == table:
            found.append(f"sequential scan of {table}")
        if node["Node Type"] == "Sort":
            rows = max((c.get("Actual Rows", 0) for c in node.get("Plans", [])), default=0)
            if rows > PAGE_SIZE + 1:
                found.append(f"sort over {rows} rows")
    return found


def _page(username, params, after=None):
    user = get_user_model().objects.get(username=username)
    form = FilterForm(params or None, scope=scope_for(user))
    qs = form.filter(Aktivitet.objects.visible_to(scope_for(user)))
    sort = form.sort_order
    field, sign = sort.lstrip("-"), "-" if sort.startswith("-") else ""
    qs = qs.order_by(f"{sign}{field}", f"{sign}id")
    if after:
        value, pk = after
        # As AktivitetQuerySet.keyset_page builds it.
        qs = qs.filter(date__lte=value).filter(Q(date__lt=value) | Q(date=value, id__lt=pk))
    return qs[: PAGE_SIZE + 1]


def test_activity_list_queries_use_indexes(data):
    deep = Aktivitet.objects.order_by("-date", "-id").values_list("date", "id")[2000]
    se21 = NutsOmrade.objects.get(code="SE21")
    avd = Avdelning.objects.filter(nuts_omrade=se21).first()
    # Broad queries: walk an index and stop after a page.
    broad = {
        "first page": _page("bench-projektledare", {}),
        "deep page": _page("bench-projektledare", {}, after=deep),
        "by title": _page("bench-projektledare", {"sort": "title"}),
        "coordinator": _page("bench-samordnare", {}),
        "search": _page("bench-projektledare", {"q": "omställning"}),
        "area and goal": _page("bench-projektledare", {"omrade": str(se21.pk), "mal": "3"}),
    }
    # Narrow filters: the planner may rightly fetch the few matching rows through their
    # index and sort them; only a sequential scan is wrong.
    narrow = {
        "department": _page("bench-styrelse", {}),
        "department filter": _page("bench-projektledare", {"avdelning": str(avd.pk)}),
        "type and dates": _page(
            "bench-projektledare", {"typ": "mote", "fran": "2022-01-01", "till": "2023-12-31"}
        ),
    }
    table = "aktiviteter_aktivitet"
    problems = {name: _problems(_plan(qs), table) for name, qs in broad.items()}
    for name, qs in narrow.items():
        problems[name] = [p for p in _problems(_plan(qs), table) if p.startswith("sequential")]
    problems = {name: p for name, p in problems.items() if p}
    assert not problems, problems


def test_commitment_overviews_use_indexes(data):
    year = datetime.date.today().year
    se21 = NutsOmrade.objects.get(code="SE21")
    cases = {
        "national": Atagande.objects.filter(year=year),
        "area": Atagande.objects.filter(avdelning__nuts_omrade=se21, year=year),
        "review queue": Atagande.objects.filter(status="submitted").order_by("submitted_at", "pk"),
    }
    problems = {}
    for name, qs in cases.items():
        found = [p for p in _problems(_plan(qs), "mal_atagande") if p.startswith("sequential")]
        if found:
            problems[name] = found
    assert not problems, problems


def test_the_check_itself_reports_scans_and_big_sorts():
    # With sequential scans off PostgreSQL falls back to a full index scan, so the check is
    # tested on plans of the shape EXPLAIN returns.
    seq = {"Node Type": "Seq Scan", "Relation Name": "aktiviteter_aktivitet"}
    sort = {"Node Type": "Sort", "Plans": [{"Node Type": "Index Scan", "Actual Rows": 500}]}
    limit = {"Node Type": "Limit", "Plans": [sort, seq]}
    assert _problems(limit, "aktiviteter_aktivitet") == [
        "sort over 500 rows",
        "sequential scan of aktiviteter_aktivitet",
    ]
