import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from regionalsamverkan.exports import csv_response, safe_cell, xlsx_response
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
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[2]] == ["'=x", 3]


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
