"""The national overview counts in SQL (mal.progress.progress_subquery: one grouped query instead
of a commitment at a time in Python, for the overviews' speed); these
pin it to what annotate() computes in Python for every commitment."""

import pytest
from django.urls import reverse

from mal.models import Atagande, Uppfoljning, Utfall
from mal.progress import annotate, progress_subquery

pytestmark = pytest.mark.django_db


def _follow_up(a, period, actuals):
    uf = Uppfoljning.objects.create(atagande=a, period=period, status="on_track")
    for m, actual in zip(a.malvarden.order_by("pk"), actuals, strict=False):
        Utfall.objects.create(uppfoljning=uf, malvarde=m, actual=actual)


@pytest.fixture
def commitments(cast, mk, periods):
    half, full = periods
    a = mk(cast.a1, status="approved", targets=3)  # targets 10, 11, 12
    _follow_up(a, half, [5, None, 3])
    _follow_up(a, full, [7, 11, None])  # full year wins where it has a value
    b = mk(cast.a2, status="approved", goal=2, targets=2)
    _follow_up(b, half, [1, 22])
    c = mk(cast.a1, status="submitted", goal=2, title="Inskickat")  # no follow-up: no progress
    d = mk(nuts=cast.se21, status="approved", goal=2)  # the area's own
    _follow_up(d, half, [4])
    e = mk(cast.b1, status="approved", goal=3, targets=2)
    e.malvarden.filter(target=11).update(target=0)  # a zero target has no share
    _follow_up(e, full, [2, 9])
    national = mk(None, status="approved", goal=2, title="Nationellt")
    return [a, b, c, d, e, national]


def test_progress_in_sql_equals_annotate(commitments):
    python = {a.pk: a.progress for a in annotate(Atagande.objects.all())}
    sql = dict(Atagande.objects.annotate(p=progress_subquery()).values_list("pk", "p"))
    assert python == sql
    assert python[commitments[0].pk] == pytest.approx((7 / 10 + 11 / 11 + 3 / 12) / 3)
    assert python[commitments[2].pk] is None


def test_national_matrix_counts_and_means(client, cast, commitments):
    a, b, c, d, e, _ = commitments
    client.force_login(cast.leader)
    r = client.get(reverse("mal:nationellt", args=[2024]))
    vms = [vm.number for vm in r.context["vms"]]
    matrix = {area.code: row for area, _, row in r.context["matrix"]}
    goal2 = matrix["SE21"][vms.index(2)]
    # a, b, c and the area's own d; the national commitment is in no area.
    assert (goal2["total"], goal2["approved"]) == (4, 3)
    means = [x.progress for x in annotate([a, b, c, d]) if x.progress is not None]
    assert goal2["pct"] == round(100 * sum(means) / len(means))
    goal3 = matrix["SE22"][vms.index(3)]
    assert (goal3["total"], goal3["pct"]) == (1, round(100 * 2 / 10))
    assert [x.title for x in r.context["national"]] == ["Nationellt"]
    assert matrix["SE21"][vms.index(3)] == {"total": 0, "approved": 0, "pct": None}
