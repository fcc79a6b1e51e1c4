"""CSV and XLSX exports: streamed, and safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab/CR) would be run as a formula by Excel or
LibreOffice ("CSV injection"); such text gets a leading apostrophe. Numbers stay numbers.
"""

import csv
import datetime
import decimal
import io

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """Stream rows (any iterable, e.g. a queryset .iterator()) as CSV, memory stays flat."""
    writer = csv.writer(_Echo(), delimiter=";")

    def generate():
        yield "\ufeff"  # BOM: Excel then reads the file as UTF-8 (å, ä, ö)
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, sheets):
    """sheets: [(title, header, rows)]. Written in write-only mode so memory stays low."""
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append([safe_cell(h) for h in header])
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
