"""The demo's candidates: SE12 assessed on every criterion, proposed and recommended,
waiting for the national board; SE31 under assessment; a second run changes nothing."""

import pytest
from django.apps import apps
from django.utils import timezone

from avdelningar import demo
from utveckling import demo as utveckling_demo
from utveckling.models import Kandidat, Kravbedomning, Status

pytestmark = pytest.mark.django_db


def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_demo_candidates_and_idempotence():
    today = timezone.localdate()
    demo.seed(today)
    utveckling_demo.seed(today)
    first = counts()
    utveckling_demo.seed(today)
    assert counts() == first
    se12 = Kandidat.objects.get(nuts_omrade__code="SE12", year=today.year + 1)
    assert se12.status == Status.TILLSTYRKT and se12.fs_yes is None
    assert se12.kriterier.filter(score__isnull=False).count() == 6
    assert Kravbedomning.objects.filter(kandidat=se12, person=se12.samordnare).count() == 5
    se31 = Kandidat.objects.get(nuts_omrade__code="SE31", year=today.year + 1)
    assert se31.status == Status.BEDOMS
    assert first["aktiviteter.Aktivitet"] == len(utveckling_demo.MEETINGS)
