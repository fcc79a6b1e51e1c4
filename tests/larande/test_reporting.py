"""The report's section on analysis meetings: the year's actions and their status, and the
areas' lessons; an area edition its area, the whole project every area; frozen once
compiled, and after approval."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from larande import reporting
from larande.models import Atgard, Lardom
from rapporter import services as rapporter_services
from rapporter.models import Rapportversion
from rapporter.render import render_html
from tests.mal.helpers import make_atagande
from tests.rapporter.dataset import build

from .helpers import make_atgard, make_mote

pytestmark = pytest.mark.django_db

S = Atgard.Status


@pytest.fixture
def meetings(cast):
    se21 = make_mote(cast.se21, avdelningar=[cast.a1], title="Analysmöte SE21")
    se22 = make_mote(cast.se22, avdelningar=[cast.b1], title="Analysmöte SE22")
    done = make_atgard(
        se21,
        "Sammanställa svaren",
        avdelning=cast.a1,
        status=S.DONE,
        done_on=datetime.date(2024, 4, 2),
    )
    linked = make_atgard(se21, "Ta fram ett åtagande", status=S.IN_PROGRESS)
    linked.ataganden.add(make_atagande(cast.a1, year=2025, title="Plats i plattformen"))
    make_atgard(se21, "Boka besök", person=cast.board.person)
    make_atgard(se22, "Utbilda styrelserna", avdelning=cast.b1, status=S.DROPPED)
    # Another year's meeting is not this year's.
    make_atgard(make_mote(cast.se21, date=datetime.date(2023, 3, 1)), "Förra årets")
    Lardom.objects.create(nuts_omrade=cast.se21, year=2024, worked="Träffarna med AF")
    Lardom.objects.create(nuts_omrade=cast.se22, year=2024, to_spread="Utvecklingssamtalen")
    Lardom.objects.create(nuts_omrade=cast.se22, year=2023, worked="Inte i år")
    return done


def counts(data):
    return {c["code"]: c["count"] for c in data["status_counts"]}


def test_whole_project_has_every_areas_actions_and_lessons(cast, meetings):
    data = reporting.report_data(year=2024)
    assert [a["what"] for a in data["actions"]] == [
        "Sammanställa svaren",
        "Ta fram ett åtagande",
        "Boka besök",
        "Utbilda styrelserna",
    ]
    assert counts(data) == {"open": 1, "in_progress": 1, "done": 1, "dropped": 1}
    assert data["linked"] == 1
    first = data["actions"][0]
    assert (first["owner"], first["status"], first["done_on"]) == (
        "Avdelning A1",
        "Klar",
        "2024-04-02",
    )
    assert data["actions"][1]["commitments"] == [
        {"title": "Plats i plattformen", "owner": "Avdelning A1", "year": 2025}
    ]
    assert [x["area"] for x in data["lessons"]] == ["SE21", "SE22"]


def test_an_area_edition_has_its_own_area_only(cast, meetings):
    data = reporting.report_data(year=2024, nuts_ids=[cast.se22.pk])
    assert [a["what"] for a in data["actions"]] == ["Utbilda styrelserna"]
    assert [x["area"] for x in data["lessons"]] == ["SE22"]


def test_query_count_does_not_grow(cast, meetings, django_assert_num_queries):
    with django_assert_num_queries(3):
        reporting.report_data(year=2024)
    for i in range(5):
        mote = make_mote(cast.se22, title=f"Möte {i}")
        a = make_atgard(mote, f"Åtgärd {i}", avdelning=cast.b1)
        a.ataganden.add(make_atagande(cast.b1, year=2024, title=f"Åtagande {i}"))
    with django_assert_num_queries(3):
        assert reporting.report_data(year=2024)["total"] == 9


def compile_now(nuts=None):
    v = rapporter_services.rapport_request(
        year=2024, nuts_omrade=nuts, edition=Rapportversion.Edition.STYRGRUPP, enqueue=False
    )
    return rapporter_services.rapport_compile(version_id=v.pk)


def test_the_report_shows_the_actions_and_lessons_and_stays_frozen(cast, meetings):
    build(cast)
    v = compile_now()
    assert v.snapshot["larande"]["total"] == 4
    html = render_html(v)
    assert "Analysmöten och lärdomar" in html
    assert "Sammanställa svaren" in html and "Plats i plattformen" in html
    assert "Träffarna med AF" in html and "Utvecklingssamtalen" in html
    area = compile_now(nuts=cast.se21)
    assert "Utbilda styrelserna" not in render_html(area)

    rapporter_services.rapport_approve(version=v, user=cast.steering)
    Atgard.objects.filter(pk=meetings.pk).update(what="Ändrat efteråt")
    Lardom.objects.filter(year=2024).update(worked="Skrivet om")
    v.refresh_from_db()
    assert v.is_approved
    html = render_html(v)
    assert "Sammanställa svaren" in html and "Ändrat efteråt" not in html
    assert "Träffarna med AF" in html and "Skrivet om" not in html


def test_a_snapshot_from_before_the_section_still_renders(cast, meetings):
    build(cast)
    v = compile_now()
    v.snapshot.pop("larande")
    assert "Analysmöten och lärdomar" not in render_html(v)


def test_the_workbook_has_the_actions_and_lessons(cast, meetings):
    build(cast)
    v = compile_now()
    wb = load_workbook(io.BytesIO(v.xlsx.read()))
    actions = list(wb["Åtgärder"].iter_rows(values_only=True))
    assert actions[0][:4] == ("NUTS", "Möte", "Mötesdatum", "Åtgärd")
    by_what = {r[3]: r for r in actions[1:]}
    assert set(by_what) == {
        "Sammanställa svaren",
        "Ta fram ett åtagande",
        "Boka besök",
        "Utbilda styrelserna",
    }
    assert by_what["Sammanställa svaren"][0] == "SE21" and by_what["Sammanställa svaren"][7]
    assert "Plats i plattformen" in by_what["Ta fram ett åtagande"][8]
    lessons = list(wb["Lärdomar"].iter_rows(values_only=True))
    assert [r[0] for r in lessons[1:]] == ["SE21", "SE22"]
    assert lessons[1][2] == "Träffarna med AF" and lessons[2][4] == "Utvecklingssamtalen"
