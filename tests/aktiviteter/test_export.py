"""The activity export (CSV and XLSX): typed cells, links in register order, no N+1."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from aktiviteter import export
from aktiviteter.models import Aktivitet
from aktiviteter.views import EXPORT_HEADER, _export_rows
from filer.exports import safe_cell

from .helpers import make_aktivitet, make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(cast):
    forum = make_forum(cast.se21)
    projekt = make_projekt([cast.se21])
    first = make_aktivitet(
        cast.se21,
        avdelningar=[cast.a2, cast.a1],
        mal=(8, 3),
        title="Träff om kompetens",
        date=datetime.date(2024, 3, 1),
        forum=forum,
        projekt=projekt,
        participants_women=4,
        participants_men=5,
        notes="+46 70 på lappen",
        next_step="Skicka underlag",
        next_step_due=datetime.date(2024, 4, 1),
    )
    first.aktorer.add(make_aktor("Östra företagen"), make_aktor("Almi"))
    make_aktivitet(
        cast.se22,
        avdelningar=[cast.b1],
        title="Syd",
        typ="workshop",
        date=datetime.date(2023, 9, 1),
    )
    return first


def xlsx_values(client, **params):
    r = client.get(reverse("aktiviteter:export_xlsx"), params)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert ws.title == "Aktiviteter"
    return list(ws.iter_rows(values_only=True))


def test_xlsx_cells_keep_their_types_and_list_links_in_order(client, cast, rows):
    client.force_login(cast.steering)
    values = xlsx_values(client)
    assert list(values[0]) == EXPORT_HEADER
    assert len(values) == 3
    first = values[1]  # newest first
    assert first == (
        rows.pk,
        datetime.datetime(2024, 3, 1),
        "Möte",
        "Träff om kompetens",
        "SE21",
        "Avdelning A1, Avdelning A2",
        "3, 8",
        "Almi, Östra företagen",
        "Industrirådet",
        "CO-Skill",
        4,
        5,
        0,
        "+46 70 på lappen",  # as typed: an XLSX string cell is never a formula
        "Skicka underlag",
        datetime.datetime(2024, 4, 1),
    )
    second = values[2]
    assert second[2] == "Workshop" and second[7:10] == (None, None, None)
    assert second[15] is None  # no next-step date: an empty cell


def test_csv_has_the_same_rows_as_the_xlsx(client, cast, rows):
    client.force_login(cast.steering)
    r = client.get(reverse("aktiviteter:export_csv"))
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    as_text = [
        ["" if v is None else str(v.date() if isinstance(v, datetime.datetime) else v) for v in x]
        for x in xlsx_values(client)
    ]
    # The same rows; in CSV, text that would start a formula has its apostrophe.
    assert lines == [[safe_cell(v) if v.startswith("+") else v for v in x] for x in as_text]
    assert lines[1][13] == "'+46 70 på lappen"


def _queries(qs):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(_export_rows(qs))
    return rows, len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(cast, rows):
    qs = Aktivitet.objects.all()
    few, few_queries = _queries(qs)
    for i in range(9):
        a = make_aktivitet(cast.se21, avdelningar=[cast.a1], title=f"Möte {i}")
        a.aktorer.add(make_aktor(f"Aktör {i}"))
    many, many_queries = _queries(qs)
    assert len(few) == 2 and len(many) == 11
    assert many_queries == few_queries


def test_links_fetched_per_chunk_give_the_same_rows(cast, rows, monkeypatch):
    """The way without arrays (SQLite): one query per link for each chunk of rows."""
    for i in range(5):
        a = make_aktivitet(cast.se21, avdelningar=[cast.a2, cast.a1], mal=(i + 1, 8), title=f"M{i}")
        a.aktorer.add(make_aktor(f"Öst {i}"), make_aktor(f"Ada {i}"))
    qs = Aktivitet.objects.all()
    with_arrays = list(export.rows(qs))
    monkeypatch.setattr(export, "_arrays", lambda qs: False)
    with CaptureQueriesContext(connection) as ctx:
        chunked = list(export.rows(qs, chunk_size=3))
    # 3 registers, the rows, then one query per link for each of the 3 chunks.
    assert len(ctx.captured_queries) == 3 + 1 + 3 * 3
    assert chunked == with_arrays
    assert with_arrays[0][5:8] == ["Avdelning A1, Avdelning A2", "5, 8", "Ada 4, Öst 4"]
