"""The year's proposals and decisions in the annual report: utveckling.reporting (the
contract), the snapshot's section and both editions' rendered body."""

import pytest

from rapporter import render
from rapporter.models import Rapportversion
from rapporter.snapshot import gather
from tests.utveckling.helpers import kandidat
from utveckling import reporting

pytestmark = pytest.mark.django_db


def test_report_data_lists_the_years_proposals_and_decisions(cast, django_assert_num_queries):
    kandidat(cast, stage="tillstyrkt")  # proposed and decided in 2026
    kandidat(cast, code="SE31")  # under assessment: not in the report
    with django_assert_num_queries(2):
        rows = reporting.report_data(year=2026)
    (row,) = rows
    assert (row["area"], row["start"], row["proposal"]) == ("SE12", 2027, "Området föreslås.")
    assert row["steering"] == {"recommended": True, "on": "2026-10-15", "paragraph": "§ 7"}
    assert row["board"] is None and row["score_total"] == 24 and row["scored"] == 6
    assert reporting.report_data(year=2025) == []


@pytest.mark.parametrize("edition", ["styrgrupp", "forbundsstyrelse"])
def test_both_editions_show_the_proposal(cast, edition):
    kandidat(cast, stage="tillstyrkt")
    snap = gather(year=2026, edition=edition)
    assert [c["area"] for c in snap["utveckling"]] == ["SE12"]
    version = Rapportversion(
        year=2026,
        edition=edition,
        number=1,
        status="done",
        snapshot=snap,
    )
    html = render.render_html(version)
    assert "Nya områden: förslag och beslut 2026" in html
    assert "Området föreslås." in html and "tillstyrkte förslaget 2026-10-15 (§ 7)" in html
    assert "Väntar på förbundsstyrelsens beslut" in html
    # The three answers are in the steering group's edition only.
    assert ("Bred industri." in html) == (edition == "styrgrupp")


def test_an_areas_edition_and_an_old_snapshot_have_no_section(cast):
    kandidat(cast, stage="tillstyrkt")
    assert gather(year=2026, nuts_omrade=cast.se21, edition="styrgrupp")["utveckling"] == []


def test_the_workbook_has_the_proposals(cast):
    kandidat(cast, stage="tillstyrkt")
    title, header, rows = next(
        sheet
        for sheet in render.workbook_sheets(gather(year=2026, edition="styrgrupp"))
        if sheet[0] == "Nya områden"
    )
    assert header[:4] == ["NUTS", "Område", "Start", "Status"]
    ((area, _name, start, _status, score, scored, proposed, yes, on, board, *_rest),) = rows
    assert (area, start, score, scored) == ("SE12", 2027, 24, 6)
    assert (yes, on, board) == ("ja", "2026-10-15", None) and proposed
