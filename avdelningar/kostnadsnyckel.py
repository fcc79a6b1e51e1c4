"""The cost key: how the departments' half of the project's costs is divided among the
participating departments, by their share of active members on 1 January (the pure part of
``rapporter.kostnad``, moved down here so that the assessment of a candidate area can show
the key with the candidate's departments included before anything is decided).

Rounding (largest remainder, docs/rapport.md): every party's exact share is a fraction;
each gets the whole kronor below it; the kronor left over (at most one per party) go one
each to the parties with the largest remainders, ties to the earlier party in the order
given (the national union first, then the departments by name in Swedish order).

``frozen_year(year)`` asks the higher floors whether a year's cost split may still change
(the annual report registers "the year's report is approved"): a new participation in such
a year would change an approved split after the fact.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from fractions import Fraction

from .models import Avdelning, Medlemsantal

NATIONAL = "IF Metall (förbundet)"


def largest_remainder(total: int, weights: list[tuple[object, Fraction]]) -> dict:
    """Split ``total`` whole kronor by ``weights`` [(key, Fraction)] (summing to 1).

    ``weights`` must be in tie-break order: on equal remainders the earlier key wins.
    Returns {key: int}; the values add up to ``total`` exactly.
    """
    quotas = [(key, total * w) for key, w in weights]
    amounts = {key: int(q) for key, q in quotas}  # floor: quotas are never negative
    left = total - sum(amounts.values())
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i][1] - int(quotas[i][1])), i))
    for i in order[:left]:
        amounts[quotas[i][0]] += 1
    return amounts


@dataclass
class Nyckel:
    """The departments of a set of areas and their members on 1 January of a year."""

    year: int
    avdelningar: list  # by name, Swedish order: the documented tie-break order
    members: dict  # {department id: active members}; a department without a count is missing

    @property
    def member_total(self) -> int:
        return sum(self.members.values())

    @property
    def missing(self) -> list[str]:
        return [a.name for a in self.avdelningar if a.pk not in self.members]

    @property
    def complete(self) -> bool:
        """Every department has a count and there are members to divide by."""
        return bool(self.avdelningar) and not self.missing and self.member_total > 0

    def share(self, avdelning_id) -> float | None:
        """The department's share of the departments' half (None without a count)."""
        if avdelning_id not in self.members or not self.member_total:
            return None
        return self.members[avdelning_id] / self.member_total

    def weights(self) -> list[tuple[object, Fraction]]:
        """[(NATIONAL, 1/2), (department id, its exact share of the whole)] for
        largest_remainder; only for a complete key."""
        total = self.member_total
        return [(NATIONAL, Fraction(1, 2))] + [
            (a.pk, Fraction(self.members[a.pk], 2 * total)) for a in self.avdelningar
        ]


def nyckel(*, year: int, nuts_ids: Collection[int]) -> Nyckel:
    """The key for the year over these areas' departments. Two queries."""
    avdelningar = list(
        Avdelning.objects.filter(nuts_omrade_id__in=list(nuts_ids))
        .select_related("nuts_omrade")
        .order_by("name")
    )
    members = dict(
        Medlemsantal.objects.filter(
            year=year, avdelning_id__in=[a.pk for a in avdelningar]
        ).values_list("avdelning_id", "active_members")
    )
    return Nyckel(year=year, avdelningar=avdelningar, members=members)


# --- years whose split may no longer change ------------------------------------------

_FROZEN_CHECKS: list[Callable[[int], str | None]] = []


def register_frozen_year_check(check: Callable[[int], str | None]) -> None:
    """A higher app says when a year's split is settled: ``check(year)`` returns why (a
    sentence) or None. Registered in the app's ``AppConfig.ready()``."""
    if check not in _FROZEN_CHECKS:
        _FROZEN_CHECKS.append(check)


def frozen_year(year: int) -> str | None:
    """Why the year's cost split may no longer change, or None."""
    for check in _FROZEN_CHECKS:
        reason = check(year)
        if reason:
            return reason
    return None
