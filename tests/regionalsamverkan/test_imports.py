"""Reading uploaded spreadsheets: a bad file is a Swedish message, never a server error.

Each case was found by the property-based tests (tests/security/test_fuzz_imports.py).
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from regionalsamverkan.imports import read_rows


def read(name, data, required=("datum", "typ")):
    return read_rows(SimpleUploadedFile(name, data), required_headers=list(required))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # No separator in the first lines: csv.Sniffer raised csv.Error.
        (b"datum\n2024-01-01\n", "typ saknas"),
        (b"just some text", "saknas"),
        # A cell longer than the csv module's field limit.
        (b'datum;typ\n"' + b"x" * 200_000 + b'";a\n', "kunde inte läsas"),
        # PostgreSQL cannot store NUL: refused before any row is saved.
        (b"datum;typ\n2024-01-01;a\x00b\n", "NUL"),
    ],
)
def test_bad_csv_is_a_message(data, message):
    with pytest.raises(ValidationError) as exc:
        read("a.csv", data)
    assert message in " ".join(exc.value.messages)


def test_one_column_csv_is_read():
    assert read("a.csv", b"datum\n2024-01-01\n", required=["datum"]) == [
        (2, {"datum": "2024-01-01"})
    ]


def test_xlsx_with_a_broken_sheet_is_a_message():
    wb = Workbook()
    wb.active.append(["datum", "typ"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]  # cut off mid-XML
            dst.writestr(item, body)
    with pytest.raises(ValidationError) as exc:
        read("a.xlsx", out.getvalue())
    assert "Excel-fil" in " ".join(exc.value.messages)
