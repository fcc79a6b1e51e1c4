import csv
import datetime
import decimal
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from filer.exports import (
    PERCENT,
    XLSX_TYPE,
    Column,
    csv_response,
    safe_cell,
    write_xlsx,
    xlsx_response,
)
from filer.imports import read_rows


def test_formula_cells_are_neutralised_and_numbers_kept():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+46 70") == "'+46 70"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("@SUM") == "'@SUM"
    assert safe_cell("Möte") == "Möte"
    assert safe_cell(-1) == -1
    assert safe_cell(datetime.date(2024, 1, 2)) == datetime.date(2024, 1, 2)


def test_csv_is_streamed_with_bom_and_safe_cells():
    r = csv_response("x", ["Titel"], iter([["=1+1"], ["Åtagande"]]))
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffTitel")
    assert "'=1+1" in body and "Åtagande" in body


def test_xlsx_roundtrip():
    r = xlsx_response("x", [("Blad", ["A", "B"], [["=x", 3]])])
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert [c.value for c in ws[2]] == ["=x", 3]


def test_xlsx_is_streamed_from_a_file_and_keeps_types(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    at = datetime.datetime(2024, 6, 1, 10, 30, tzinfo=datetime.UTC)
    rows = (
        row
        for row in [
            [1, decimal.Decimal("2.50"), 0.25, datetime.date(2024, 1, 2), at, None, "", True],
            ["-3", "a < b & c", " kant ", "ett\x01tecken", "_x0041_", "x" * 40000],
        ]
    )
    r = xlsx_response("åtaganden", [("Blad 1", list("ABCDEFGH"), rows), ("Tomt", ["X"], [])])
    assert r.streaming and r["Content-Type"] == XLSX_TYPE
    assert r["Content-Disposition"].startswith("attachment; filename*=utf-8''%C3%A5taganden")
    wb = load_workbook(io.BytesIO(r.getvalue()))
    assert wb.sheetnames == ["Blad 1", "Tomt"]
    ws = wb["Blad 1"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == list("ABCDEFGH")
    assert values[1] == [
        1,
        2.5,
        0.25,
        datetime.datetime(2024, 1, 2),
        datetime.datetime(2024, 6, 1, 12, 30),  # local time
        None,
        None,
        "ja",
    ]
    assert ws["D2"].number_format == "yyyy-mm-dd" and ws["A2"].data_type == "n"
    # Text stays text; what XML cannot carry is escaped the way Excel does.
    assert values[2][:5] == ["-3", "a < b & c", " kant ", "ett_x0001_tecken", "_x005F_x0041_"]
    assert len(values[2][5]) == 32767  # Excel's limit for a cell
    assert [[c.value for c in row] for row in wb["Tomt"].iter_rows()] == [["X"]]


def test_xlsx_refuses_sheet_names_excel_cannot_open():
    for sheets in ([("A/B", ["x"], [])], [("Blad", ["x"], []), ("BLAD", ["y"], [])]):
        with pytest.raises(ValueError, match="blad"):
            write_xlsx(io.BytesIO(), sheets)


def test_read_rows_reports_missing_headers_and_keeps_row_numbers():
    upload = SimpleUploadedFile("a.csv", "Titel;År\nEtt;2024\n\nTvå;2025\n".encode())
    rows = read_rows(upload, required_headers=["Titel", "År"])
    assert [n for n, _ in rows] == [2, 4]
    assert rows[1][1]["Titel"] == "Två"
    bad = SimpleUploadedFile("a.csv", b"Foo;Bar\n1;2\n")
    try:
        read_rows(bad, required_headers=["Titel"])
    except Exception as exc:
        assert "Titel" in str(exc)
    else:
        raise AssertionError("missing header accepted")


def test_read_rows_refuses_other_file_types():
    upload = SimpleUploadedFile("a.pdf", b"%PDF")
    try:
        read_rows(upload, required_headers=[])
    except Exception as exc:
        assert ".xlsx" in str(exc)
    else:
        raise AssertionError("pdf accepted")


def test_csv_guards_every_fragment_that_starts_a_formula_under_either_separator():
    """A ';' file opened with ',' as separator (English-locale Excel) splits this title
    into three cells, the second a DDE formula; so does a ',' split of a ';' cell."""
    title = "Möte,=cmd|'/C calc'!A0,slut"
    r = csv_response("x", ["Titel", "Antal"], iter([[title, -2], ["a;+1;b", 3], ["Möte", 1]]))
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    for separator in (";", ","):
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (separator, cell)
                assert not cell.startswith("-") or cell == "-2", (separator, cell)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Möte,'=cmd|'/C calc'!A0,slut", "-2"]  # a number stays a number
    assert rows[2][0] == "a;'+1;b" and rows[3][0] == "Möte"  # nothing else changes


def test_xlsx_text_is_stored_as_typed_never_as_a_formula():
    """An inline string cell is never run as a formula; an apostrophe there was kept as
    part of the text (the title read back as "'=Forum i Skåne")."""
    r = xlsx_response("x", [("Blad", ["Titel"], [["=HYPERLINK(1)"], ["-3"], ["@SUM"]])])
    ws = load_workbook(io.BytesIO(r.getvalue())).active
    assert [(c.value, c.data_type) for (c,) in ws.iter_rows(min_row=2)] == [
        ("=HYPERLINK(1)", "s"),
        ("-3", "s"),
        ("@SUM", "s"),
    ]


def test_xlsx_numbers_have_formats_and_the_header_is_frozen_with_a_filter():
    header = ["Part", "År", "Aktiva medlemmar", "Andel av medlemmarna", "Belopp (kr)", "Mål"]
    rows = [
        ["Avd A", 2024, 12500, 0.4567, 30000, decimal.Decimal("2.50")],
        ["Avd B", 2024, 800, 0.05, 1500, 40.0],
    ]
    wb = load_workbook(io.BytesIO(xlsx_response("x", [("Kostnader", header, rows)]).getvalue()))
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F3"
    assert ws["A1"].font.b and ws["F1"].font.b
    assert [ws.cell(2, c).number_format for c in range(2, 7)] == [
        "0",  # a year: no thousands grouping
        "#,##0",  # a count: 12 500
        "0.0%",  # a share: 45.7 %
        "#,##0",  # an amount: 30 000
        "#,##0.00",  # a decimal target: 2,50
    ]
    assert ws["F3"].number_format == "#,##0"  # 40.0 is shown as 40
    assert ws["C2"].value == 12500 and ws["D2"].value == 0.4567  # numbers, not text
    assert ws.column_dimensions["D"].width >= len("Andel av medlemmarna")
    # A Column names its format where the header alone would not tell.
    wb = load_workbook(
        io.BytesIO(
            xlsx_response(
                "y", [("Blad", [Column("Uppnått", PERCENT), "Löpnummer"], [[0.5, 12345]])]
            ).getvalue()
        )
    )
    assert [c.number_format for c in wb.active[2]] == ["0.0%", "#,##0"]
