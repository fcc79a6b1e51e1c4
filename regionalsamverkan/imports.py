"""Reading uploaded spreadsheets (XLSX or CSV) into rows with their row numbers.

Each import (commitments, activities) validates the rows itself and saves all-or-nothing;
this module only turns a file into ``[(row_number, {header: value})]`` or a clear error.
"""

import csv
import io

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20000


def read_rows(upload, *, required_headers):
    """Rows of the first sheet (XLSX) or the file (CSV; ; or , separated), keyed by header.

    Raises ValidationError with a Swedish message when the file is too big, not a
    spreadsheet, or lacks the template's headers.
    """
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError("Filen är för stor (högst 5 MB).")
    name = upload.name.lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            # Read-only sheets are parsed lazily: a broken sheet fails here, not at load.
            raw = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        except Exception:
            raise ValidationError("Filen kunde inte läsas som en Excel-fil (.xlsx).") from None
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("CSV-filen måste vara sparad som UTF-8.") from None
        raw = []
        if text.strip():
            try:
                dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
            except csv.Error:
                # No separator in the first lines: one column (or not a table at all);
                # the header check below says which columns are missing.
                dialect = csv.excel
            try:
                raw = list(csv.reader(io.StringIO(text), dialect))
            except csv.Error:
                raise ValidationError(
                    "CSV-filen kunde inte läsas (en cell är för lång eller citattecknen "
                    "stämmer inte)."
                ) from None
    else:
        raise ValidationError("Ladda upp mallen som .xlsx eller .csv.")
    if not raw:
        raise ValidationError("Filen är tom.")
    if any(isinstance(v, str) and "\x00" in v for r in raw for v in r):
        # PostgreSQL cannot store NUL in text: refuse the file rather than fail at the save.
        raise ValidationError("Filen innehåller otillåtna tecken (NUL).")
    header = [str(h).strip() if h is not None else "" for h in raw[0]]
    missing = [h for h in required_headers if h not in header]
    if missing:
        raise ValidationError(
            "Filen följer inte mallen: kolumnerna %(cols)s saknas.",
            params={"cols": ", ".join(missing)},
        )
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if all(v in (None, "") for v in values):
            continue
        rows.append(
            (
                number,
                {h: (v if v is not None else "") for h, v in zip(header, values, strict=False)},
            )
        )
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(f"Filen har för många rader (högst {MAX_IMPORT_ROWS}).")
    return rows
