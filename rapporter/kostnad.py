"""The cost allocation: who pays what of the year's project costs.

Half of the total is the national union's. The departments' half is divided by each
participating department's share of active members on 1 January of the year, among the
departments of every area that participates in the project that year.

Rounding (largest remainder, documented in docs/rapport.md): every party's exact share is
computed as a fraction; each gets the whole kronor below it; the kronor left over (at most
one per party) go one each to the parties with the largest remainders; equal remainders are
settled by name in Swedish alphabetical order, the national union first. The amounts then
add up exactly to the total.

A participating department with no member count for the year makes the allocation
incomplete: no department amounts are given (the departments' half stays undistributed)
instead of silently treating the missing count as zero.
"""

from collections.abc import Collection

from avdelningar.kostnadsnyckel import NATIONAL, largest_remainder, nyckel
from avdelningar.models import Deltagande

from .models import Kostnad

__all__ = ["NATIONAL", "allocate", "largest_remainder", "rows_for"]


def allocate(*, year: int) -> dict:
    """The whole allocation for the year as plain JSON-able values (used in snapshots).

    Three queries whatever the number of departments.
    """
    kostnad = Kostnad.objects.filter(year=year).first()
    key = nyckel(year=year, nuts_ids=Deltagande.objects.nuts_ids(year))
    avdelningar, members = key.avdelningar, key.members
    total = kostnad.total if kostnad else 0
    missing = [a.name for a in avdelningar if a.pk not in members]
    member_total = sum(members.values())
    incomplete = bool(missing) or kostnad is None or (avdelningar and member_total == 0)

    warnings = []
    if kostnad is None:
        warnings.append(f"Projektkostnaderna för {year} är inte inlagda.")
    if missing:
        warnings.append(
            "Medlemsantal 1 januari saknas för " + ", ".join(missing) + ": avdelningarnas "
            "halva kan inte fördelas förrän det är inlagt."
        )
    elif avdelningar and member_total == 0:
        warnings.append("Inga aktiva medlemmar är registrerade för de deltagande avdelningarna.")
    if not avdelningar:
        warnings.append(f"Inget område deltar i projektet {year}.")

    if incomplete or not avdelningar:
        national = total - total // 2
        amounts = {}
    else:
        weights = key.weights()
        amounts = largest_remainder(total, weights)
        national = amounts[NATIONAL]

    rows = [
        {
            "avdelning_id": a.pk,
            "avdelning": a.name,
            "nuts_id": a.nuts_omrade_id,
            "nuts_code": a.nuts_omrade.code,
            "members": members.get(a.pk),
            "share": (members[a.pk] / member_total) if a.pk in members and member_total else None,
            "amount": amounts.get(a.pk),
        }
        for a in avdelningar
    ]
    distributed = sum(r["amount"] for r in rows if r["amount"] is not None)
    return {
        "year": year,
        "entered": kostnad is not None,
        "costs": {
            "coordinators": kostnad.coordinators if kostnad else 0,
            "project_leader": kostnad.project_leader if kostnad else 0,
            "other": kostnad.other if kostnad else 0,
        },
        "total": total,
        "national": national,
        "departments_half": total - national,
        "undistributed": total - national - distributed,
        "member_total": member_total,
        "complete": not incomplete and bool(avdelningar),
        "missing": missing,
        "warnings": warnings,
        "rows": rows,
    }


def rows_for(allocation: dict, nuts_ids: Collection[int] | None) -> list[dict]:
    """The allocation's department rows within the given areas (None: all)."""
    if nuts_ids is None:
        return allocation["rows"]
    return [r for r in allocation["rows"] if r["nuts_id"] in nuts_ids]
