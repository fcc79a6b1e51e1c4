"""The demo's decision log: the project's history from the plan, dated, with the invented
details marked; seeding twice adds nothing; nothing lies after the day of seeding."""

import datetime

import pytest

from avdelningar import demo
from avdelningar.models import Projektbeslut
from historik.models import Handelse

pytestmark = pytest.mark.django_db


def test_the_demo_log_tells_the_plans_history_once():
    demo.seed(datetime.date(2025, 12, 31))
    first = Projektbeslut.objects.count()
    assert first == len(demo.BESLUT)
    demo.seed(datetime.date(2025, 12, 31))
    assert Projektbeslut.objects.count() == first
    joined = Projektbeslut.objects.get(nuts_omrade__code="SE22")
    assert joined.kind == Projektbeslut.Typ.UTVIDGNING
    assert joined.body == Projektbeslut.Organ.FORBUNDSSTYRELSE
    assert Projektbeslut.objects.filter(decided_on__year=2020, kind="omfattning").exists()
    assert all("(exempel)" in b.paragraph for b in Projektbeslut.objects.all())
    # Recorded through the service: the trail has each one.
    assert Handelse.objects.filter(model="avdelningar.Projektbeslut").count() == first


def test_a_decision_after_the_day_of_seeding_is_left_out():
    demo.seed(datetime.date(2021, 1, 1))
    assert not Projektbeslut.objects.filter(decided_on__gt=datetime.date(2021, 1, 1)).exists()
    assert Projektbeslut.objects.count() == 4
