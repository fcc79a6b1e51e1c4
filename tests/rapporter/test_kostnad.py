"""The cost allocation: half national, half by members on 1 January, exact whole kronor."""

import datetime
from fractions import Fraction

import pytest

from rapporter.kostnad import NATIONAL, allocate, largest_remainder
from rapporter.models import Kostnad
from tests import factories as f


def members(avd, n, year=2024):
    f.MedlemsantalFactory(avdelning=avd, year=year, active_members=n)


@pytest.fixture
def three(cast):
    members(cast.a1, 1000)
    members(cast.a2, 1000)
    members(cast.b1, 1000)
    return cast


def test_half_national_and_the_rest_by_members(cast):
    members(cast.a1, 3000)
    members(cast.a2, 1000)
    members(cast.b1, 4000)
    Kostnad.objects.create(year=2024, coordinators=600_000, project_leader=300_000, other=100_000)
    alloc = allocate(year=2024)
    assert alloc["complete"] is True
    assert alloc["total"] == 1_000_000
    assert alloc["national"] == 500_000
    amounts = {r["avdelning"]: r["amount"] for r in alloc["rows"]}
    assert amounts == {"Avdelning A1": 187_500, "Avdelning A2": 62_500, "Avdelning B1": 250_000}
    assert alloc["national"] + sum(amounts.values()) == alloc["total"]
    assert alloc["undistributed"] == 0


def test_amounts_are_whole_kronor_summing_exactly_with_ties_by_name(three):
    # 100 kr: 50 national, 50 over three equal departments = 16.67 each: two kronor left,
    # equal remainders: by name, so A1 and A2 get one more, B1 does not.
    Kostnad.objects.create(year=2024, other=100)
    alloc = allocate(year=2024)
    amounts = {r["avdelning"]: r["amount"] for r in alloc["rows"]}
    assert amounts == {"Avdelning A1": 17, "Avdelning A2": 17, "Avdelning B1": 16}
    assert alloc["national"] == 50
    assert alloc["national"] + sum(amounts.values()) == 100


def test_odd_total_national_half_gets_the_odd_krona_on_a_tie():
    # 1 krona between the national half and one department's half: equal remainders,
    # the national union comes first in the tie-break order.
    result = largest_remainder(1, [(NATIONAL, Fraction(1, 2)), ("a", Fraction(1, 2))])
    assert result == {NATIONAL: 1, "a": 0}


@pytest.mark.parametrize("total", [0, 1, 7, 99_999, 1_234_567, 10**9 + 3])
def test_sum_is_exact_for_awkward_shares(cast, total):
    members(cast.a1, 7)
    members(cast.a2, 13)
    members(cast.b1, 29)
    Kostnad.objects.create(year=2024, other=total)
    alloc = allocate(year=2024)
    assert alloc["national"] + sum(r["amount"] for r in alloc["rows"]) == total
    # Each amount is within one krona of its exact share.
    for r in alloc["rows"]:
        exact = Fraction(total, 2) * Fraction(r["members"], 49)
        assert abs(r["amount"] - exact) < 1


def test_missing_member_count_is_flagged_not_zero(cast):
    members(cast.a1, 1000)
    members(cast.b1, 1000)
    Kostnad.objects.create(year=2024, other=1000)
    alloc = allocate(year=2024)
    assert alloc["complete"] is False
    assert alloc["missing"] == ["Avdelning A2"]
    assert any("Avdelning A2" in w for w in alloc["warnings"])
    # No department amount is given, not even a silent zero for A2.
    assert all(r["amount"] is None for r in alloc["rows"])
    assert alloc["national"] == 500
    assert alloc["undistributed"] == 500


def test_only_participating_areas_count(cast):
    """SE22 joined 2020: in 2019 B1 is not in the key."""
    members(cast.a1, 1000, 2019)
    members(cast.a2, 3000, 2019)
    members(cast.b1, 5000, 2019)
    Kostnad.objects.create(year=2019, other=800)
    alloc = allocate(year=2019)
    assert [r["avdelning"] for r in alloc["rows"]] == ["Avdelning A1", "Avdelning A2"]
    assert [r["amount"] for r in alloc["rows"]] == [100, 300]


def test_area_that_left_is_not_in_the_key(cast):
    cast.se22.deltaganden.update(left_on=datetime.date(2023, 12, 31))
    for a in (cast.a1, cast.a2, cast.b1):
        members(a, 10)
    Kostnad.objects.create(year=2024, other=40)
    alloc = allocate(year=2024)
    assert [r["avdelning"] for r in alloc["rows"]] == ["Avdelning A1", "Avdelning A2"]


def test_no_costs_entered_is_a_warning(three):
    alloc = allocate(year=2024)
    assert alloc["total"] == 0
    assert alloc["complete"] is False
    assert any("inte inlagda" in w for w in alloc["warnings"])


def test_constant_queries(three, django_assert_num_queries):
    Kostnad.objects.create(year=2024, other=1000)
    with django_assert_num_queries(4):
        allocate(year=2024)
    for i in range(5):
        members(f.AvdelningFactory(nuts_omrade=three.se21), 100 + i)
    with django_assert_num_queries(4):
        assert len(allocate(year=2024)["rows"]) == 8
