"""Results by hand: counts, means and free text of submitted answers only, per area and
overall; the charts and their tables; the PDF; copying year to year keeps the lineage and
the comparison finds it; query counts pinned."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enkater import reporting
from enkater.models import Enkat, Svar, Svarsvarde
from historik.models import Handelse

from .helpers import make_enkat, question, send

pytestmark = pytest.mark.django_db


def answer(svar, enkat, *, scale=None, single=None, multiple=(), number=None, text="", submit=True):
    for kind, column, value in [
        ("scale", "number", scale),
        ("single", "text", single),
        ("multiple", "chosen", list(multiple)),
        ("number", "number", number),
        ("text", "text", text),
    ]:
        if value not in (None, "", []):
            Svarsvarde.objects.create(svar=svar, fraga=question(enkat, kind), **{column: value})
    if submit:
        svar.status = Svar.Status.SUBMITTED
        svar.submitted_at = timezone.now()
    else:
        svar.status = Svar.Status.DRAFT
    svar.save()


@pytest.fixture
def answered(cast):
    """Sent to A1, A2 (SE21) and B1 (SE22): A1 and B1 submitted, A2 a draft."""
    e = send(make_enkat(year=2026), avdelningar=[cast.a1, cast.a2, cast.b1])
    by = {s.avdelning: s for s in e.svar.select_related("avdelning")}
    answer(by[cast.a1], e, scale=4, single="Ja", multiple=["Mål 1", "Mål 2"], number=10, text="Bra")
    answer(by[cast.b1], e, scale=1, single="Ja", multiple=["Mål 2"], number=5, text="Svårt")
    answer(by[cast.a2], e, scale=5, single="Nej", multiple=["Mål 3"], number=99, submit=False)
    return e


def q(data, kind):
    return next(q for s in data["sections"] for q in s["questions"] if q["kind"] == kind)


def test_overall_results_count_only_submitted_answers(answered):
    data = reporting.results(answered.pk)
    assert (data["recipients"], data["submitted"]) == (3, 2)
    assert q(data, "scale")["counts"] == [("1", 1), ("2", 0), ("3", 0), ("4", 1), ("5", 0)]
    assert q(data, "scale")["mean"] == Decimal("2.50")  # (4 + 1) / 2; A2's 5 is a draft
    assert q(data, "single")["counts"] == [("Ja", 2), ("Nej", 0)]
    assert q(data, "multiple")["counts"] == [("Mål 1", 1), ("Mål 2", 2), ("Mål 3", 0)]
    number = q(data, "number")
    assert (number["mean"], number["min"], number["max"], number["total"]) == (
        Decimal("7.50"),
        Decimal("5"),
        Decimal("10"),
        Decimal("15"),
    )
    assert q(data, "text")["texts"] == [
        {"area": "SE21", "respondent": "Avdelning A1", "text": "Bra"},
        {"area": "SE22", "respondent": "Avdelning B1", "text": "Svårt"},
    ]


def test_an_areas_results_are_its_departments(answered, cast):
    data = reporting.results(answered.pk, cast.se21.pk)
    assert data["area"]["code"] == "SE21"
    assert (data["recipients"], data["submitted"]) == (2, 1)
    assert q(data, "scale")["mean"] == Decimal("4.00")
    assert [t["respondent"] for t in q(data, "text")["texts"]] == ["Avdelning A1"]


def test_the_results_page_draws_a_chart_with_its_table_and_groups_the_free_text(
    client, answered, cast, django_assert_num_queries
):
    client.force_login(cast.steering)
    url = reverse("enkater:resultat", args=[answered.pk])
    client.get(url)
    with django_assert_num_queries(8):
        r = client.get(url)
    page = r.content.decode()
    assert page.count('class="rapport-chart"') == 3  # scale, single, multiple
    assert "<caption" in page and "Tabell: Vilka mål?" in page
    assert "medelvärde 2,5" in page
    texts = page[page.index("Vilka lärdomar?") :]
    assert texts.index(">SE21<") < texts.index("Bra") < texts.index(">SE22<") < texts.index("Svårt")
    assert "2 av 3 mottagare" in page


def test_the_coordinator_reads_their_area_not_the_other(client, answered, cast):
    client.force_login(cast.coordinator)
    r = client.get(reverse("enkater:resultat_omrade", args=[answered.pk, "SE21"]))
    assert (
        r.status_code == 200 and "Bra" in r.content.decode() and "Svårt" not in r.content.decode()
    )
    assert (
        client.get(reverse("enkater:resultat_omrade", args=[answered.pk, "SE22"])).status_code
        == 404
    )
    assert client.get(reverse("enkater:resultat", args=[answered.pk])).status_code == 403


def test_the_pdf_is_the_meetings_material_and_its_download_is_recorded(client, answered, cast):
    client.force_login(cast.coordinator)
    r = client.get(reverse("enkater:resultat_omrade_pdf", args=[answered.pk, "SE21"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    h = Handelse.objects.get(action=Handelse.Action.DOWNLOAD)
    assert h.user == cast.coordinator and "SE21" in h.note


def test_copying_keeps_the_questions_and_their_lineage(client, answered, cast):
    client.force_login(cast.leader)
    r = client.post(reverse("enkater:kopiera", args=[answered.pk]), {"year": "2027"})
    copy = Enkat.objects.get(year=2027)
    assert r["Location"] == copy.get_absolute_url()
    assert copy.status == Enkat.Status.DRAFT and copy.copied_from == answered
    assert copy.deadline == answered.deadline.replace(year=answered.deadline.year + 1)
    old = list(answered.fragor.values_list("text", "kind", "choices", "linje"))
    assert list(copy.fragor.values_list("text", "kind", "choices", "linje")) == old
    assert not copy.svar.exists()


def test_a_bad_year_copies_nothing(client, answered, cast):
    client.force_login(cast.leader)
    client.post(reverse("enkater:kopiera", args=[answered.pk]), {"year": "tjugo"})
    assert Enkat.objects.count() == 1


def test_the_comparison_puts_a_copied_question_beside_last_year(client, answered, cast):
    from enkater import services

    later = services.enkat_copy(source=answered, user=cast.leader, year=2027)
    later.fragor.filter(kind="number").update(text="Ändrad fråga")  # still the same lineage
    send(later, avdelningar=[cast.a1])
    s = later.svar.get()
    answer(s, later, scale=3, number=20)
    items = {i["kind"]: i for i in reporting.compare(later.pk)}
    assert [(y["year"], y["answered"], y["mean"]) for y in items["scale"]["years"]] == [
        (2026, 2, Decimal("2.50")),
        (2027, 1, Decimal("3.00")),
    ]
    assert items["number"]["text"] == "Ändrad fråga"
    assert [y["mean"] for y in items["number"]["years"]] == [Decimal("7.50"), Decimal("20.00")]
    # SE21 only: A1's 4 in 2026.
    se21 = {i["kind"]: i for i in reporting.compare(later.pk, cast.se21.pk)}
    assert [y["mean"] for y in se21["scale"]["years"]] == [Decimal("4.00"), Decimal("3.00")]
    client.force_login(cast.leader)
    page = client.get(reverse("enkater:jamforelse", args=[later.pk])).content.decode()
    assert "medelvärde per år" in page and "2026" in page and "2027" in page


def test_a_question_added_after_copying_has_nothing_to_compare(answered, cast):
    from enkater import services
    from enkater.models import Fraga

    later = services.enkat_copy(source=answered, user=cast.leader, year=2027)
    Fraga.objects.create(enkat=later, avsnitt=later.avsnitt.get(), text="Ny", kind="text")
    items = {i["text"]: i for i in reporting.compare(later.pk)}
    assert [y["year"] for y in items["Ny"]["years"]] == [2027]


def test_the_list_makes_the_same_queries_however_many_questionnaires(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.board)
    url = reverse("enkater:lista")
    client.get(url)
    for _ in range(3):
        send(
            make_enkat(deadline=timezone.localdate() + datetime.timedelta(days=3)),
            avdelningar=[cast.a1, cast.a2],
        )
    with django_assert_num_queries(5):
        r = client.get(url)
    assert r.content.decode().count("Avdelning A1: <strong>Ej påbörjad") == 3
