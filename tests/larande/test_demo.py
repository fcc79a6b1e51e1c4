"""The demo's analysis meetings: March 2021 in each pilot area, and the autumn 2026 one in
SE21 with three actions (one done, one linked to a 2027 commitment, one open); lessons for
SE21 and SE22. A second seed changes nothing."""

import datetime

import pytest

from avdelningar import demo as organisation
from larande import demo
from larande.models import Analysmote, Atgard, Lardom

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def counts():
    return (Analysmote.objects.count(), Atgard.objects.count(), Lardom.objects.count())


def test_the_demo_meetings_actions_and_lessons():
    organisation.seed(TODAY)
    demo.seed(TODAY)
    march = Analysmote.objects.filter(aktivitet__date__year=2021, aktivitet__date__month=3)
    assert sorted(m.aktivitet.nuts_omrade.code for m in march) == ["SE21", "SE22"]
    autumn = Analysmote.objects.get(aktivitet__date__year=2026)
    assert autumn.aktivitet.nuts_omrade.code == "SE21"
    actions = list(autumn.atgarder.all())
    assert len(actions) == 3
    assert sorted(a.status for a in actions) == ["done", "in_progress", "open"]
    linked = [a for a in actions if a.ataganden.exists()]
    assert len(linked) == 1
    assert [(c.year, c.status) for c in linked[0].ataganden.all()] == [(2027, "draft")]
    assert {lardom.nuts_omrade.code for lardom in Lardom.objects.all()} == {"SE21", "SE22"}
    before = counts()
    demo.seed(TODAY)
    assert counts() == before


def test_nothing_after_the_day_it_is_seeded():
    organisation.seed(datetime.date(2021, 3, 17))
    demo.seed(datetime.date(2021, 3, 17))
    assert [m.aktivitet.nuts_omrade.code for m in Analysmote.objects.all()] == ["SE21"]
    assert not Lardom.objects.filter(year__gt=2021).exists()
