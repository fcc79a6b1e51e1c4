"""The comparison (issue 16 §4): the pilot departments' key figures against the other
departments', year by year, and per pilot area a difference in differences. Read from
the key figures' contract (``reporting.key_figures``, ``reporting.pilot_years``) only.

The groups, for a year Y:

- "pilot": departments whose area had joined the project by Y (its joining year or later);
- "before": departments of an area that joins the project later in the span, in the
  years before it joins. They are neither pilot nor others: they are the "before" of the
  difference in differences;
- "others": departments whose area has never taken part in the project (nor is planned to).

Per group and year: the departments with a known value (n), their sum, the mean per
department, and for a count (not the members themselves, not a yes/no figure) the value
per 1 000 active members (the sum over the same departments' members, of those whose
members on 1 January are known). For a
yes/no figure the sum is the number of departments with "ja" and the mean the share.

The difference in differences of a pilot area A that joined in J, on the mean per
department: A's mean before J (the years of the span before J, each year weighing the
same) against the others' mean over the same years, and the same from J on; the result is
how much the gap changed: (A after − others after) − (A before − others before). It is a
comparison and not proof of cause: the areas were not chosen at random, and whatever else
changed in them in those years is in the number too.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from aktiviteter.models import ForumPlats, Strukturfondsprojekt
from avdelningar.models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    KommitteLedamot,
    Medlemsantal,
    Uppdrag,
)
from historik import stamps
from historik.models import Handelse

from .models import Nyckeltal
from .reporting import BY_KEY, FIGURES, key_figures, pilot_years

PILOT, BEFORE, OTHERS = "pilot", "before", "others"
GROUPS = [PILOT, BEFORE, OTHERS]
GROUP_LABELS = {
    PILOT: "Avdelningar i projektet",
    BEFORE: "Pilotområden innan de anslöt",
    OTHERS: "Övriga avdelningar",
}
EARLIEST = 2000  # no participation before it
CAVEAT = "Jämförelsen visar skillnaden, inte orsaken."


def is_yes_no(key: str) -> bool:
    return BY_KEY[key].unit == "ja/nej"


def is_count(key: str) -> bool:
    """Counted per 1 000 members: every figure that is a number of something, except
    the members themselves."""
    return key != "members" and not is_yes_no(key)


@dataclass
class Cell:
    """One group's figures in one year."""

    n: int = 0  # departments with a known value
    total: int = 0
    # For per 1 000: the sum and the members of the departments whose members are known.
    counted: int = 0
    members: int = 0

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def per_1000(self) -> float | None:
        if not self.members:
            return None
        return self.counted / self.members * 1000


@dataclass
class AreaDiD:
    """The difference in differences of one pilot area."""

    nuts_id: int
    code: str
    name: str
    joined: int
    departments: int
    before_years: list[int] = field(default_factory=list)
    after_years: list[int] = field(default_factory=list)
    area_before: float | None = None
    others_before: float | None = None
    area_after: float | None = None
    others_after: float | None = None

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def gap_before(self) -> float | None:
        return _minus(self.area_before, self.others_before)

    @property
    def gap_after(self) -> float | None:
        return _minus(self.area_after, self.others_after)

    @property
    def did(self) -> float | None:
        return _minus(self.gap_after, self.gap_before)

    @property
    def missing(self) -> str:
        """Why there is no result (empty when there is one)."""
        if not self.before_years:
            return "Inga år före anslutningen i det valda spannet."
        if not self.after_years:
            return "Inga år efter anslutningen i det valda spannet."
        if self.did is None:
            return "Värden saknas för åren före eller efter."
        return ""


@dataclass
class Comparison:
    key: str
    years: list[int]
    # {year: {group: Cell}}
    by_year: dict
    areas: list[AreaDiD]

    @property
    def figure(self):
        return BY_KEY[self.key]

    @property
    def yes_no(self) -> bool:
        return is_yes_no(self.key)

    @property
    def count(self) -> bool:
        return is_count(self.key)

    def has(self, group: str) -> bool:
        return any(self.by_year[y][group].n for y in self.years)


def _minus(a, b):
    return None if a is None or b is None else a - b


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


# The tables the key figures are read from (reporting.key_figures, pilot_years).
STAMPED = [
    Avdelning,
    Deltagande,
    Medlemsantal,
    Nyckeltal,
    Arbetsplats,
    Klubb,
    KommitteLedamot,
    Uppdrag,
    ForumPlats,
    Strukturfondsprojekt.avdelningar.through,
]
CACHE_SECONDS = 600


def data_stamp() -> tuple:
    """A cheap stamp of everything the comparison reads, in one statement: the row count
    of each table (a row added or deleted), the latest key-figure change, and the latest
    audit record (every change made in the app or in admin is recorded, so an edit in
    place, a member count or an assignment's end, moves it too). A write that bypasses
    both (a shell, a migration) shows within CACHE_SECONDS."""
    parts = [(m, "COUNT(*)") for m in STAMPED]
    parts += [(Nyckeltal, "MAX(updated_at)"), (Handelse, "MAX(id)")]
    return stamps.read(parts)


def comparison_compute(*, key: str, years: list[int], nuts_id: int | None = None) -> Comparison:
    """The comparison of one figure over the years (see the module's docstring). nuts_id:
    only that pilot area's departments in "pilot" and "before" (the others stay all the
    non-pilot departments).

    Kept in the cache under a stamp of the data (``data_stamp``): computing it reads every
    department's figures for every year (thirteen queries, most of the page's time), and
    they change a few times a year per department while the page is read far more often.
    One query when the figures have not changed."""
    years = _checked(key=key, years=years)
    today = timezone.localdate()  # "this year" decides which figures are known yet
    cache_key = (
        "nyckeltal-jamforelse-data:"
        + hashlib.sha256(
            repr((key, years, nuts_id, today.isoformat(), data_stamp())).encode()
        ).hexdigest()
    )
    return cache.get_or_set(
        cache_key, lambda: _compare(key, years, nuts_id, _load(years)), CACHE_SECONDS
    )


def comparisons_compute(
    *, keys: list[str], years: list[int], nuts_id: int | None = None
) -> dict[str, Comparison]:
    """{key: comparison_compute(key=key, ...)} for several figures from one reading of
    the rows (the annual report's comparison): thirteen queries for all of them, never
    from the cache (a compiled report is frozen from what the rows say then)."""
    if not keys:
        raise ValueError("Inga nyckeltal att jämföra.")
    for key in keys:
        years = _checked(key=key, years=years)
    loaded = _load(years)
    return {key: _compare(key, years, nuts_id, loaded) for key in keys}


def _checked(*, key, years):
    if key not in BY_KEY:
        raise ValueError(f"Okänt nyckeltal: {key}")
    years = sorted(set(years))
    if not years:
        raise ValueError("Inga år att jämföra.")
    return years


def _load(years):
    """What a comparison is computed from: the joining years, the departments and their
    figures over the years."""
    # An area that joins after the span (or left before it) is still a pilot area: its
    # departments are "before" (or "pilot"), never "others". So ask over every year.
    this_year = timezone.localdate().year
    joined = pilot_years(years=range(EARLIEST, max(years[-1], this_year) + 10))
    departments = list(
        Avdelning.objects.order_by().values_list(
            "pk", "nuts_omrade_id", "nuts_omrade__code", "nuts_omrade__name"
        )
    )
    figures = key_figures(years=years, avdelning_ids=None)
    return joined, departments, figures


def _compare(key, years, nuts_id, loaded):
    joined, departments, figures = loaded

    def group_of(pk, nuts, year):
        start = joined.get(pk)
        if start is None:
            return OTHERS
        if nuts_id is not None and nuts != nuts_id:
            return None  # another pilot area: in no group
        return PILOT if year >= start else BEFORE

    by_year = {y: {g: Cell() for g in GROUPS} for y in years}
    # {nuts id: {year: [values]}}, the pilot areas' departments (before and after).
    area_values = {}
    for pk, nuts, _code, _name in departments:
        for y in years:
            group = group_of(pk, nuts, y)
            if group is None:
                continue
            row = figures.get(pk, {}).get(y, {})
            value = row.get(key)
            if value is None:
                continue
            value = int(value)
            cell = by_year[y][group]
            cell.n += 1
            cell.total += value
            if row.get("members"):
                cell.counted += value
                cell.members += row["members"]
            if group != OTHERS:
                area_values.setdefault(nuts, {}).setdefault(y, []).append(value)

    areas = []
    info = {}
    for pk, nuts, code, name in departments:
        if joined.get(pk) is None or (nuts_id is not None and nuts != nuts_id):
            continue
        a = info.setdefault(nuts, {"code": code, "name": name, "joined": joined[pk], "n": 0})
        a["n"] += 1
    for nuts, a in sorted(info.items(), key=lambda item: item[1]["code"]):
        did = AreaDiD(
            nuts_id=nuts,
            code=a["code"],
            name=a["name"],
            joined=a["joined"],
            departments=a["n"],
            before_years=[y for y in years if y < a["joined"]],
            after_years=[y for y in years if y >= a["joined"]],
        )
        own = area_values.get(nuts, {})
        others = {y: by_year[y][OTHERS].mean for y in years}
        for part, span in (("before", did.before_years), ("after", did.after_years)):
            # Only years where both sides have a value, so the gap compares like with like.
            both = [y for y in span if own.get(y) and others[y] is not None]
            setattr(did, f"area_{part}", _mean(_mean(own[y]) for y in both))
            setattr(did, f"others_{part}", _mean(others[y] for y in both))
        areas.append(did)
    return Comparison(key=key, years=years, by_year=by_year, areas=areas)


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def table_rows(comp: Comparison) -> tuple[list[str], list[list]]:
    """The year-by-year table as (header, rows) for the page and the export: raw numbers."""
    header = ["År", "Grupp", "Avdelningar med värde", "Summa", "Medel per avdelning"]
    if comp.count:
        header.append("Per 1 000 medlemmar")
    rows = []
    for y in comp.years:
        for g in GROUPS:
            cell = comp.by_year[y][g]
            if g == BEFORE and not cell.n:
                continue
            row = [y, GROUP_LABELS[g], cell.n, cell.total if cell.n else None, _round(cell.mean)]
            if comp.count:
                row.append(_round(cell.per_1000))
            rows.append(row)
    return header, rows


def did_rows(comp: Comparison) -> tuple[list[str], list[list]]:
    """The difference in differences per area as (header, rows)."""
    header = [
        "Område",
        "Anslöt",
        "Avdelningar",
        "Området före",
        "Övriga före",
        "Området efter",
        "Övriga efter",
        "Förändring av skillnaden",
    ]
    rows = [
        [
            a.label,
            a.joined,
            a.departments,
            _round(a.area_before),
            _round(a.others_before),
            _round(a.area_after),
            _round(a.others_after),
            _round(a.did),
        ]
        for a in comp.areas
    ]
    return header, rows


FIGURE_CHOICES = [(f.key, f.label) for f in FIGURES]
