import datetime
import decimal
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from regionalsamverkan.exports import (
    XLSX_TYPE,
    csv_response,
    safe_cell,
    write_xlsx,
    xlsx_response,
)
from regionalsamverkan.imports import read_rows


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
    assert [c.value for c in ws[2]] == ["'=x", 3]


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
    assert values[2][:5] == ["'-3", "a < b & c", " kant ", "ett_x0001_tecken", "_x005F_x0041_"]
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
