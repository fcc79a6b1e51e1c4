"""Maturity guidance: a rule applies from the year in the project it names until a rule
for a later year takes over."""

import pytest
from django.urls import reverse

from mal.models import Mognadsriktlinje, Projektmal

pytestmark = pytest.mark.django_db


def rule(maturity, pm_number, minimum):
    Mognadsriktlinje.objects.create(
        maturity=maturity,
        projektmal=Projektmal.objects.get(number=pm_number),
        min_commitments=minimum,
    )


def test_a_rule_holds_after_its_year_until_a_later_one_takes_over(cast):
    rule(1, 1, 1)
    rule(3, 1, 2)
    rule(2, 2, 1)
    pm1, pm2 = (Projektmal.objects.get(number=n).pk for n in (1, 2))
    assert Mognadsriktlinje.for_maturity(1) == {pm1: 1}
    assert Mognadsriktlinje.for_maturity(2) == {pm1: 1, pm2: 1}
    assert Mognadsriktlinje.for_maturity(8) == {pm1: 2, pm2: 1}
    assert Mognadsriktlinje.for_maturity(None) == {}


def test_an_area_in_its_8th_year_with_no_commitments_is_under_the_guidance(client, cast):
    rule(1, 1, 1)
    rule(3, 1, 2)
    client.force_login(cast.coordinator)
    # SE21 joined 2019: 2026 is its 8th year; A1 has no commitments at all.
    body = client.get(reverse("mal:omrade_ar", args=["SE21", 2026])).content.decode()
    assert "8:e år" in body
    assert "Under riktlinjen" in body and "0 av minst 2" in body
    body = client.get(reverse("mal:avdelning_ar", args=[cast.a1.pk, 2026])).content.decode()
    assert "riktlinje minst 2" in body and "Färre åtaganden än riktlinjen" in body
