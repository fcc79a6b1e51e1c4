"""Query budgets: every list, overview, start and report page issues the same number of
queries with N and with 10 × N rows. The rows come from generate_load_data's
loaders at two small scales, in the same test database, one after the other."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aktiviteter.models import Aktivitet
from avdelningar.loaddata import BENCH_USERS, MARKER
from avdelningar.models import Avdelning, Deltagande, Uppdrag
from rapporter.models import Rapportversion
from rapporter.snapshot import gather

pytestmark = pytest.mark.django_db

SMALL, LARGE = 0.01, 0.1


def _pages():
    """(label, username, path) for every page with rows, on whatever data is loaded."""
    year = datetime.date.today().year
    avd = Avdelning.objects.filter(name__contains=MARKER, nuts_omrade__code="SE21").first()
    row = Aktivitet.objects.order_by("-date", "-id").values_list("date", "id")[20:21].first()
    deep = f"{row[0].isoformat()}~{row[1]}"
    leader, coordinator, board = "bench-projektledare", "bench-samordnare", "bench-styrelse"
    pages = [
        ("activity list", leader, "/aktiviteter/"),
        ("activity list, next page", leader, f"/aktiviteter/?efter={deep}"),
        ("activity list, by title", leader, "/aktiviteter/?sort=title"),
        ("activity list, coordinator", coordinator, "/aktiviteter/"),
        ("activity list, department", board, "/aktiviteter/"),
        ("activity search", leader, "/aktiviteter/?q=omst%C3%A4llning"),
        ("activity filters", leader, f"/aktiviteter/?mal=3&typ=mote&avdelning={avd.pk}"),
        ("actors", leader, "/aktiviteter/aktorer/"),
        ("forums", leader, "/aktiviteter/forum/"),
        ("fund projects", leader, "/aktiviteter/projekt/"),
        ("department commitments", board, f"/mal/avdelning/{avd.pk}/{year}/"),
        ("area commitments", coordinator, f"/mal/omrade/SE21/{year}/"),
        ("national commitments", leader, f"/mal/nationellt/{year}/"),
        ("review queue", leader, "/mal/granskning/"),
        ("indicators", leader, "/mal/indikatorer/"),
        ("area page", coordinator, "/omrade/SE21/"),
        ("department page", board, f"/avdelning/{avd.pk}/"),
        ("reports", leader, f"/rapporter/?ar={year - 1}"),
        ("cost allocation", leader, f"/rapporter/kostnad/{year - 1}/"),
        ("audit trail", leader, "/historik/"),
    ]
    pages += [(f"start page {u}", u, "/") for u, _, _ in BENCH_USERS]
    return pages


def _count(username, path):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def _measure(scale):
    """Query counts per page (and for the report compile) with data at this scale; the data
    is rolled back afterwards."""
    with transaction.atomic():
        call_command("generate_load_data", scale=scale, seed=7, stdout=io.StringIO())
        n = Aktivitet.objects.count()
        counts = {label: _count(user, path) for label, user, path in _pages()}
        with CaptureQueriesContext(connection) as ctx:
            gather(year=datetime.date.today().year - 1, edition=Rapportversion.Edition.STYRGRUPP)
        counts["report compile"] = len(ctx.captured_queries)
        transaction.set_rollback(True)
    return n, counts


def test_pages_issue_the_same_queries_with_ten_times_the_rows():
    # The reference data has no participation; the generator adds all eight areas.
    assert not Deltagande.objects.exists() and not Uppdrag.objects.exists()
    n_small, small = _measure(SMALL)
    n_large, large = _measure(LARGE)
    assert n_large >= 9 * n_small
    assert small["review queue"] > 8, "the review queue should list commitments"
    grew = {k: (small[k], large[k]) for k in small if large[k] != small[k]}
    assert not grew, f"query count grows with the rows ({n_small} -> {n_large}): {grew}"
