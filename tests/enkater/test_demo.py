"""The demo's questionnaires: 2021 answered by every pilot department, 2026 copied from it,
sent to the pilot departments' boards, two submitted and one draft; idempotent."""

import datetime

import pytest

from avdelningar import demo as organisation
from enkater import demo, reporting
from enkater.models import Enkat, Svar

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def test_the_demo_questionnaires():
    organisation.seed(TODAY)
    assert demo.seed(TODAY) == 2
    first = Enkat.objects.get(year=2021)
    second = Enkat.objects.get(year=2026)
    assert second.copied_from == first and second.is_open(TODAY)
    assert set(first.svar.values_list("status", flat=True)) == {Svar.Status.SUBMITTED}
    assert first.svar.count() == 8  # the pilot departments in 2021 (SE21 and SE22)
    statuses = dict(second.svar.values_list("avdelning__name", "status"))
    assert statuses["IF Metall Gotland"] == statuses["IF Metall Blekinge (exempel)"] == "submitted"
    assert statuses["IF Metall Norra Småland (exempel)"] == "draft"
    assert sum(s == "submitted" for s in statuses.values()) == 2
    data = reporting.results(second.pk)
    assert data["submitted"] == 2
    assert all(
        q["answered"] == 2 for s in data["sections"] for q in s["questions"] if q["required"]
    )
    compared = reporting.compare(second.pk)
    assert all(len(i["years"]) == 2 for i in compared)
    assert demo.seed(TODAY) == 0
    assert Enkat.objects.count() == 2
