"""Reading uploaded spreadsheets: a bad file is a Swedish message, never a server error.

Each case was found by the property-based tests (tests/security/test_fuzz_imports.py).
"""

import datetime
import io
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from filer import imports
from filer.imports import read_rows
from mal.importer import REQUIRED as REQUIRED_COMMITMENT


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


# --- hostile workbooks (issue 13, "Workbook bomb") ----------------------------------------

ACTIVITY_HEADER = ["datum", "typ", "rubrik", "nuts_omrade", "verksamhetsmal"]
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(headers, sheet_xml=None, extra=()):
    """A real workbook with the header; its sheet XML replaced when given, extra entries
    [(name, bytes, compression)] added."""
    wb = Workbook()
    wb.active.append(headers)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == SHEET and sheet_xml is not None:
                body = sheet_xml.encode()
            dst.writestr(item.filename, body)
        for name, body, compression in extra:
            dst.writestr(name, body, compress_type=compression)
    return out.getvalue()


def bomb(headers):
    """The red team's file: the template's header, a declared dimension of every cell
    Excel has, and one cell in the last row. About 5 KB."""
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(headers)
    )
    return workbook(
        headers,
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells}</row><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>",
    )


CHILD = """
import resource, sys, time
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from filer.imports import read_rows

data = open(sys.argv[1], "rb").read()
pages = int(open("/proc/self/statm").read().split()[0])
limit = pages * resource.getpagesize() + 300 * 1024 * 1024  # what is mapped now + 300 MB
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.monotonic()
try:
    read_rows(SimpleUploadedFile("bomb.xlsx", data), required_headers=["datum"])
except ValidationError as e:
    print(round(time.monotonic() - start, 3), " ".join(e.messages))
else:
    print("accepted")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc")
def test_workbook_bomb_is_refused_quickly_under_a_memory_limit(tmp_path):
    """openpyxl padded all 1,048,576 rows to the declared 16,384 columns: 27 s and 2.9 GB,
    and under this limit a MemoryError reported as "cannot be read" after seconds."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(ACTIVITY_HEADER))
    assert path.stat().st_size < 10_000
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
    )
    assert out.returncode == 0, out.stderr
    seconds, message = out.stdout.strip().split(" ", 1)
    assert "för många rader" in message and "1\u00a0048\u00a0576" in message
    assert float(seconds) < 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "headers"),
    [("aktiviteter:import", ACTIVITY_HEADER), ("mal:import", REQUIRED_COMMITMENT)],
)
def test_workbook_bomb_upload_is_a_message_within_a_second(client, cast, url, headers):
    client.force_login(cast.coordinator)
    assert client.get(reverse(url)).status_code == 200  # templates and the like loaded
    start = time.monotonic()
    r = client.post(reverse(url), {"file": SimpleUploadedFile("bomb.xlsx", bomb(headers))})
    assert time.monotonic() - start < 1
    assert "för många rader" in " ".join(r.context["form"].errors["file"])
    tracemalloc.start()
    try:
        r = client.post(reverse(url), {"file": SimpleUploadedFile("bomb.xlsx", bomb(headers))})
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert r.status_code == 200 and r.context["form"].errors
    assert not default_storage.exists("imports") or not default_storage.listdir("imports")[1]


def test_columns_are_cut_to_the_header_and_missing_rows_are_not_made_up():
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(["datum", "typ"])
    )
    data = workbook(
        ["datum", "typ"],
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD900"/><sheetData>'
        f'<row r="1">{cells}</row>'
        '<row r="900"><c r="A900"><v>5</v></c><c r="B900" t="inlineStr"><is><t>Möte</t></is>'
        '</c><c r="C900"><v>7</v></c><c r="XFD900"><v>9</v></c></row>'
        "</sheetData></worksheet>",
    )
    assert read("a.xlsx", data) == [(900, {"datum": 5, "typ": "Möte"})]


def test_more_rows_than_the_limit_are_refused_at_the_first_row_past_it(monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 3)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 9))
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>datum</t></is></c></row>'
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{header}{rows}</sheetData></worksheet>'
    with pytest.raises(ValidationError, match="högst 3 under rubrikraden.*rad 5"):
        read("a.xlsx", workbook(["datum"], sheet), required=["datum"])
    three = sheet.split('<row r="5">')[0] + "</sheetData></worksheet>"
    assert len(read("a.xlsx", workbook(["datum"], three), required=["datum"])) == 3


def test_unpacked_size_and_packing_ratio_are_checked_before_parsing(monkeypatch):
    zeros = b"0" * (2 * 1024 * 1024)  # packs about 1000:1
    packed = workbook(
        ACTIVITY_HEADER, extra=[("xl/media/padding.bin", zeros, zipfile.ZIP_DEFLATED)]
    )
    with pytest.raises(ValidationError, match="packad hårdare"):
        read("a.xlsx", packed)
    stored = workbook(ACTIVITY_HEADER, extra=[("xl/media/padding.bin", zeros, zipfile.ZIP_STORED)])
    assert read("a.xlsx", stored) == []  # 2 MB stored as is: neither limit
    monkeypatch.setattr(imports, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    with pytest.raises(ValidationError, match="för stor uppackad"):
        read("a.xlsx", stored)


def test_a_row_of_a_million_cells_is_refused_with_the_cell_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_CELLS", 1000)
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>datum</t></is></c></row>'
    row = '<row r="2">' + "<c><v>1</v></c>" * 2000 + "</row>"
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{header}{row}</sheetData></worksheet>'
    with pytest.raises(ValidationError, match="för många celler"):
        read("a.xlsx", workbook(["datum"], sheet), required=["datum"])


def test_excel_values_are_read_as_openpyxl_read_them():
    """Shared and inline strings, rich text, numbers, booleans, formulas' cached values
    and date cells (by their style), as the importers expect them."""
    wb = Workbook()
    ws = wb.active
    ws.append(["datum", "typ", "n", "x", "b", "f"])
    ws.append([datetime.date(2024, 3, 14), "Möte", 2, 1.5, True, "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    [(number, values)] = read("a.xlsx", buf.getvalue())
    assert number == 2
    assert values == {
        "datum": datetime.datetime(2024, 3, 14),
        "typ": "Möte",
        "n": 2,
        "x": 1.5,
        "b": True,
        "f": "",  # a formula without a cached value: nothing (as data_only read it)
    }


def test_a_sheet_with_a_dtd_is_refused():
    """Entity expansion ("billion laughs") needs a DTD; no part of a workbook has one."""
    laughs = '<!DOCTYPE w [<!ENTITY a "hahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = (
        f'<?xml version="1.0"?>{laughs}<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>datum&b;</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(ValidationError, match="Excel-fil"):
        read("a.xlsx", workbook(["datum"], sheet), required=["datum"])


def test_a_prefixed_sheet_and_rich_text_are_read():
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1">'
        '<x:c r="A1" t="inlineStr"><x:is><x:r><x:t>da</x:t></x:r><x:r><x:t>tum</x:t></x:r>'
        "<x:rPh><x:t>フリガナ</x:t></x:rPh></x:is></x:c></x:row>"
        '<x:row r="2"><x:c r="A2" t="str"><x:f>A1</x:f><x:v>2024-01-01</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    assert read("a.xlsx", workbook(["datum"], sheet), required=["datum"]) == [
        (2, {"datum": "2024-01-01"})
    ]
