"""The snapshot's shape, and where its numbers may come from.

The HTML, PDF and XLSX read the snapshot's keys; old versions keep the keys they were
compiled with. A section that gains, loses or reorders a key shows here first (change
SCHEMA and the templates with it). The numbers themselves are tests/rapporter/test_numbers.py's.
"""

import ast
import pathlib

import pytest

from rapporter.models import Rapportversion
from rapporter.snapshot import gather

from .dataset import build

RAPPORTER = pathlib.Path(__file__).resolve().parents[2] / "rapporter"

SECTIONS = [
    "schema",
    "year",
    "edition",
    "full",
    "area",
    "compiled_at",
    "projektmal",
    "goals",
    "key_figures",
    "indicators",
    "activities",
    "forums",
    "fund_projects",
    "area_details",
    "areas",
    "trend",
    "costs",
    "overall",
    "changes",
    "previous_year",
    "larande",
    "utveckling",
    # The year's decisions from the decision log (rows: tests/avdelningar/test_beslutslogg.py).
    "beslutslogg",
    "national",
    "comparison",
    # The area's network map (natverk.reporting), the steering group's area edition; None otherwise.
    "natverk",
]
ROW_KEYS = {
    "projektmal": ["number", "title", "heading", "goals", "commitments"],
    "goals": ["number", "title", "projektmal", "commitments", "activities", "items", "indicators"],
    "key_figures": ["key", "label", "value"],
    "indicators": [
        "indicator",
        "unit",
        "goal",
        "target",
        "target_approved",
        "actual",
        "actual_women",
        "actual_men",
        "target_women",
        "target_men",
    ],
    "area_details": ["code", "name", "commitments", "area_commitments", "goals", "departments"],
    "areas": [
        "code",
        "name",
        "joined",
        "maturity",
        "coordinator",
        "activities",
        "commitments",
        "commitments_achieved",
        "narrative",
        "forums_with_seat",
        "fund_projects",
        "guideline",
    ],
    "trend": [
        "year",
        "commitments",
        "commitments_approved",
        "commitments_achieved",
        "commitments_at_risk",
        "commitments_not_achieved",
        "activities",
        "participants_women",
        "participants_men",
        "participants_other",
        "forums",
        "forums_with_seat",
        "forums_initiated",
        "fund_projects",
        "by_area",
    ],
}
COMMITMENT_KEYS = [
    "id",
    "owner",
    "owner_type",
    "nuts_code",
    "avdelning",
    "goal",
    "title",
    "status",
    "status_code",
    "targets",
    "outcome",
]


@pytest.mark.parametrize("nuts", [None, "se21"])
@pytest.mark.parametrize("edition", Rapportversion.Edition.values)
def test_sections_and_their_keys(cast, edition, nuts):
    build(cast)
    snap = gather(year=2024, nuts_omrade=getattr(cast, nuts) if nuts else None, edition=edition)
    full = edition == Rapportversion.Edition.STYRGRUPP
    assert list(snap) == SECTIONS
    for section, keys in ROW_KEYS.items():
        if section == "area_details" and not full:
            assert snap[section] == []
            continue
        assert snap[section], section
        assert {tuple(row) for row in snap[section]} == {tuple(keys)}, section
    assert list(snap["activities"]) == ["total", "by_area", "by_type", "participants"] + [
        "actors_by_type"
    ]
    items = [c for g in snap["goals"] for c in g["items"]]
    assert bool(items) == full
    assert {tuple(c) for c in items} <= {tuple(COMMITMENT_KEYS)}
    if full:
        area = snap["area_details"][0]
        assert list(area["goals"][0]) == ["number", "title", "commitments", "activities"]
        assert list(area["departments"][0]) == ["avdelning", "commitments", "activities"]
    assert list(snap["areas"][0]["guideline"]) == [
        "maturity",
        "departments",
        "meeting",
        "rules",
        "short",
    ]
    assert list(snap["previous_year"]) == ["year", "goals"]
    assert {tuple(g) for g in snap["previous_year"]["goals"]} == {("number", "commitments")}
    # The national activities apart: the whole project's editions only, the list in the full.
    if nuts:
        assert snap["national"] is None
    else:
        assert list(snap["national"]) == ["total", "by_type", "by_goal", "participants", "list"]
        assert snap["national"]["list"] == []  # the dataset has none
    # The comparison: the steering group's editions only, every key figure.
    if full:
        assert list(snap["comparison"]) == ["years", "caveat", "groups", "figures"]
        figure = snap["comparison"]["figures"][0]
        assert list(figure) == ["key", "label", "unit", "yes_no", "count", "by_year", "areas"]
        assert list(figure["by_year"][0]) == ["year", "pilot", "before", "others"]
        assert list(figure["by_year"][0]["pilot"]) == ["n", "total", "mean", "per_1000"]
    else:
        assert snap["comparison"] is None
    by_area = next(t["by_area"] for t in reversed(snap["trend"]) if t["by_area"])
    assert {tuple(row) for row in by_area.values()} == {
        ("maturity", "activities", "commitments", "commitments_achieved")
    }


def _imports(path):
    """The modules a file imports (``from x import y`` gives x.y as well as x)."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_rapporter_reads_goals_and_activities_only_through_their_contracts():
    """The apps below the report are read through their reporting.py (the contract), never
    their models or querysets, so each app can change its tables without the report
    knowing."""
    apps = ("mal", "aktiviteter", "nyckeltal", "enkater", "larande", "natverk", "utveckling")
    contracts = set(apps) | {f"{app}.reporting" for app in apps}
    wrong = {
        f"{path.relative_to(RAPPORTER.parent)}: {name}"
        for path in RAPPORTER.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in apps and name not in contracts
    }
    assert not wrong
