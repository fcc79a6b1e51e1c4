"""Imports from uploaded spreadsheets (XLSX or CSV): reading, and the preview kept until
the user confirms it. Both imports (commitments, activities) use this, and so should any
later one.

Reading turns a file into ``[(row_number, {header: value})]`` or a Swedish error, within
limits a hostile file cannot stretch (SECURITY.md, "Import"): the upload's size, the
unpacked size and packing ratio of the workbook's zip entries (checked before anything
is parsed), at most MAX_IMPORT_ROWS rows below the header (read lazily: reading stops at
the first row past the limit) and the header's columns (cells to its right are skipped
as they are parsed). A sheet's declared dimension is never read, so a 5 KB workbook that
claims A1:XFD1048576 costs what its few cells cost.

The XLSX reader is our own streaming parse of the sheet XML (expat, one row in memory).
openpyxl's read-only mode pads every missing row up to the declared size and builds a
whole row before it can be cut; python-calamine (Rust) loads the whole sheet as a dense
grid before the first row is returned, which for the same file is 1048576 rows.

An importer is a module with ``REQUIRED`` (the headers a file must have), ``check(rows,
*, user)`` returning a plan with ``.ready`` (what would be saved) and ``.errors`` ([(row
number, message)]), and ``save(plan, *, user, request=None, **options)`` that saves it all
or nothing and returns the number saved (ValidationError otherwise, with ``plan.errors``
filled when rows are at fault).

The preview: ``preview`` reads and checks the upload and, when it can be imported, keeps
the file in storage (``imports/<token>.<ext>``, a random token) with the token, the owner's
user id and the time in the session; ``confirm`` takes it back only for that session and
user, reads and checks it again with the user's rights at that moment, and saves it. The
file is deleted once saved, once a confirm finds errors in it, when the user previews
another file of the same kind, and by the hourly task (filer.tasks) once it
is older than PREVIEW_MAX_AGE, so an abandoned preview never outlives a day.
"""

import csv
import datetime
import io
import posixpath
import secrets
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import fromstring
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # the upload
MAX_IMPORT_ROWS = 20000  # below the header
MAX_IMPORT_COLUMNS = 60  # read from the left; the templates have 15 and 16
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # all of a workbook's zip entries, unpacked
MAX_ZIP_RATIO = 100  # unpacked : packed, for an entry over RATIO_FROM bytes unpacked
RATIO_FROM = 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_IMPORT_CELLS = 2_000_000  # cells in the sheet, counted however far right they are
MAX_SHARED_STRINGS = 500_000
MAX_PART_BYTES = 5 * 1024 * 1024  # workbook, relationships and styles, read whole

PREVIEW_DIR = "imports"
PREVIEW_MAX_AGE = datetime.timedelta(days=1)
SESSION_KEY = "import_previews"

UNREADABLE = "Filen kunde inte läsas som en Excel-fil (.xlsx)."


# --- reading ------------------------------------------------------------------------------


def read_rows(upload, *, required_headers):
    """Rows of the first sheet (XLSX) or the file (CSV; ; or , separated), keyed by header.

    Raises ValidationError with a Swedish message when the file is too big, not a
    spreadsheet, lacks the template's headers or has too many rows.
    """
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError("Filen är för stor (högst 5 MB).")
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(upload.read())
    elif name.endswith(".csv"):
        raw = _csv_rows(upload.read())
    else:
        raise ValidationError("Ladda upp mallen som .xlsx eller .csv.")
    return _table(raw, required_headers)


def _table(raw, required_headers):
    """raw: (row number, values) in order, lazily; the header is row 1."""
    first = next(raw, None)
    if first is None:
        raise ValidationError("Filen är tom.")
    number, values = first
    _refuse_nul(values)
    header = [str(h).strip() if h is not None else "" for h in values] if number == 1 else []
    while header and not header[-1]:
        header.pop()
    missing = [h for h in required_headers if h not in header]
    if missing:
        raise ValidationError(
            "Filen följer inte mallen: kolumnerna %(cols)s saknas.",
            params={"cols": ", ".join(missing)},
        )
    width = len(header)
    rows = []
    for number, values in raw:
        if number > MAX_IMPORT_ROWS + 1:
            raise ValidationError(
                f"Filen har för många rader (högst {_n(MAX_IMPORT_ROWS)} under rubrikraden; "
                f"den här har något på rad {_n(number)})."
            )
        values = values[:width]
        _refuse_nul(values)
        if all(v in (None, "") for v in values):
            continue
        rows.append(
            (
                number,
                {h: (v if v is not None else "") for h, v in zip(header, values, strict=False)},
            )
        )
    return rows


def _n(number):
    return f"{number:,}".replace(",", "\u00a0")  # 20 000, as Swedish writes it


def _refuse_nul(values):
    if any(isinstance(v, str) and "\x00" in v for v in values):
        # PostgreSQL cannot store NUL in text: refuse the file rather than fail at the save.
        raise ValidationError("Filen innehåller otillåtna tecken (NUL).")


class _Semicolon(csv.excel):
    delimiter = ";"


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("CSV-filen måste vara sparad som UTF-8.") from None
    if not text.strip():
        return
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
    except csv.Error:
        # The sniffer could not tell (one column, or a first line that is all the header
        # the file has): the header line's own separator, else one column, and the header
        # check says which columns are missing.
        dialect = csv.excel
        if ";" in text.split("\n", 1)[0]:
            dialect = _Semicolon
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            yield number, values[:MAX_IMPORT_COLUMNS]
    except csv.Error:
        raise ValidationError(
            "CSV-filen kunde inte läsas (en cell är för lång eller citattecknen stämmer inte)."
        ) from None


# XLSX ---------------------------------------------------------------------------------------

_DOC_REL = "/officeDocument"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_rows(data):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ValidationError(UNREADABLE) from None
    _check_zip(infos)
    try:
        sheet, strings, dates, epoch = _workbook_parts(zf)
        yield from _sheet_rows(zf, sheet, strings, dates, epoch)
    except ValidationError:
        raise
    except Exception:
        # Broken XML, a missing part, an index out of range, a bad CRC, ...
        raise ValidationError(UNREADABLE) from None


def _check_zip(infos):
    """Before anything is unpacked: the sizes the zip declares (zipfile never unpacks an
    entry past its declared size, so these bound the work)."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ValidationError(UNREADABLE)
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise ValidationError(
            f"Filen är för stor uppackad (högst {MAX_UNZIPPED_BYTES // 2**20} MB); "
            "dela upp den i flera filer."
        )
    for i in infos:
        if i.file_size > RATIO_FROM and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise ValidationError(
                "Filen är packad hårdare än ett kalkylark brukar vara och läses inte."
            )


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _refuse(*_args):
    raise ValidationError(UNREADABLE)


def _tree(zf, name):
    """A small part (relationships, workbook, styles) as an element tree; no DTDs."""
    if zf.getinfo(name).file_size > MAX_PART_BYTES:
        raise ValidationError(UNREADABLE)
    data = zf.read(name)
    check = expat.ParserCreate()
    check.StartDoctypeDeclHandler = _refuse
    check.Parse(data, True)
    return fromstring(data)  # noqa: S314 -- no DTD (checked above), so no entities


def _rels(zf, name):
    """{id: (type, target path in the zip)} of a .rels part, targets resolved."""
    base = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/x.rels -> xl
    out = {}
    for rel in _tree(zf, name):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        out[rel.get("Id")] = (rel.get("Type", ""), posixpath.normpath(path))
    return out


def _workbook_parts(zf):
    book = next(t for kind, t in _rels(zf, "_rels/.rels").values() if kind.endswith(_DOC_REL))
    folder, file = posixpath.split(book)
    rels = _rels(zf, posixpath.join(folder, "_rels", file + ".rels"))
    epoch = CALENDAR_WINDOWS_1900
    first_sheet = None
    for elem in _tree(zf, book).iter():
        tag = _local(elem.tag)
        if tag == "workbookPr" and elem.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif tag == "sheet" and first_sheet is None:
            first_sheet = rels[elem.get(_R_ID)][1]
    if first_sheet is None:
        raise ValidationError(UNREADABLE)
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    strings = _shared_strings(zf, by_type["sharedStrings"]) if "sharedStrings" in by_type else []
    dates = _date_styles(zf, by_type["styles"]) if "styles" in by_type else set()
    return first_sheet, strings, dates, epoch


def _date_styles(zf, name):
    """Indices of the cell styles whose number format is a date or time."""
    formats = dict(BUILTIN_FORMATS)
    dates = set()
    for elem in _tree(zf, name):
        tag = _local(elem.tag)
        if tag == "numFmts":
            for fmt in elem:
                formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode", "")
        elif tag == "cellXfs":
            for index, xf in enumerate(elem):
                code = formats.get(int(xf.get("numFmtId", 0)), "")
                if code and is_date_format(code):
                    dates.add(index)
    return dates


def _expat(zf, name, start, end, text):
    """Feed one zip entry, in pieces, to expat with these handlers (element names without
    a namespace prefix); yields after each piece so that the caller can hand on what is
    done. No tree is built: memory holds what the handlers keep. DTDs are refused."""

    def first(tag, attrs):
        # The root's prefix (if any) is the document's: strip it only when there is one.
        if ":" in tag:
            parser.StartElementHandler = lambda t, a: start(t.rpartition(":")[2], a)
            parser.EndElementHandler = lambda t: end(t.rpartition(":")[2])
        else:
            parser.StartElementHandler, parser.EndElementHandler = start, end
        start(tag.rpartition(":")[2], attrs)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.StartElementHandler = first
    parser.EndElementHandler = lambda t: end(t.rpartition(":")[2])
    parser.CharacterDataHandler = text
    with zf.open(name) as fh:
        while chunk := fh.read(64 * 1024):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


class _Strings:
    """expat handlers for the shared strings: each item's text, its own <t> or its runs'
    (phonetic guides, <rPh>, left out)."""

    def __init__(self):
        self.strings = []
        self.parts = []
        self.in_t = self.in_phonetic = False

    def start(self, tag, _attrs):
        if tag == "t":
            self.in_t = not self.in_phonetic
        elif tag == "rPh":
            self.in_phonetic = True

    def end(self, tag):
        if tag == "t":
            self.in_t = False
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "si":
            self.strings.append("".join(self.parts))
            self.parts.clear()
            if len(self.strings) > MAX_SHARED_STRINGS:
                raise ValidationError(UNREADABLE)

    def text(self, data):
        if self.in_t:
            self.parts.append(data)


def _shared_strings(zf, name):
    reader = _Strings()
    for _ in _expat(zf, name, reader.start, reader.end, reader.text):
        pass
    return reader.strings


def _column(ref):
    number = 0
    for ch in ref:
        if ch.isalpha():
            number = number * 26 + ord(ch.upper()) - 64
        else:
            break
    return number


class _Sheet:
    """expat handlers for a sheet: each finished row goes to ``done`` as (row number,
    [values of the first MAX_IMPORT_COLUMNS columns]); missing rows are not made up,
    missing cells are None. Memory holds one row's values and one cell's text."""

    def __init__(self, strings, dates, epoch):
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.done = []
        self.number = self.column = self.cells = 0
        self.values = []
        self.cell = None  # (type, style) of the open cell, if it is one we read
        self.parts = None  # where text goes: inside <v>, or an inline string's <t>
        self.text_parts = []
        self.in_phonetic = False

    def start(self, tag, attrs):
        if tag == "c":
            self.cells += 1
            if self.cells > MAX_IMPORT_CELLS:
                raise ValidationError(f"Filen har för många celler (högst {_n(MAX_IMPORT_CELLS)}).")
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            if 0 < self.column <= MAX_IMPORT_COLUMNS:
                self.cell = (attrs.get("t", "n"), attrs.get("s"))
                self.text_parts = []
        elif self.cell is not None:
            if tag == "v" or (tag == "t" and not self.in_phonetic):
                self.parts = self.text_parts
            elif tag == "rPh":
                self.in_phonetic = True
        elif tag == "row":
            ref = attrs.get("r")
            self.number = int(ref) if ref else self.number + 1
            self.values, self.column = [], 0

    def end(self, tag):
        if tag == "c":
            if self.cell is not None:
                value = self._value(*self.cell, "".join(self.text_parts))
                if self.column > len(self.values):
                    self.values += [None] * (self.column - len(self.values))
                self.values[self.column - 1] = value
            self.cell = self.parts = None
        elif tag in ("v", "t"):
            self.parts = None
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "row":
            self.done.append((self.number, self.values))

    def text(self, data):
        if self.parts is not None:
            self.parts.append(data)

    def _value(self, kind, style, raw):
        if kind == "inlineStr":
            return raw
        if raw == "":
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind in ("str", "e"):
            return raw
        if kind == "d":
            return datetime.datetime.fromisoformat(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if style and int(style) in self.dates:
            try:
                return from_excel(number, self.epoch)
            except (OverflowError, ValueError):
                return number
        return number


def _sheet_rows(zf, name, strings, dates, epoch):
    reader = _Sheet(strings, dates, epoch)
    for _ in _expat(zf, name, reader.start, reader.end, reader.text):
        yield from reader.done
        reader.done.clear()


# --- the preview, kept until confirmed -------------------------------------------------------


@dataclass
class Preview:
    plan: object
    token: str = ""  # set when the file was kept: the confirm form sends it back


def preview(request, *, kind, importer, upload):
    """Read and check an upload; keep it for the confirm step if it can be imported.

    The user's earlier preview of the same kind is deleted. Raises ValidationError when
    the file cannot be read at all.
    """
    plan = importer.check(read_rows(upload, required_headers=importer.REQUIRED), user=request.user)
    discard(request, kind=kind)
    result = Preview(plan=plan)
    if plan.ready and not plan.errors:
        ext = upload.name.rsplit(".", 1)[-1].lower()
        token = secrets.token_hex(16)
        upload.seek(0)
        default_storage.save(_path(token, ext), upload)
        previews = request.session.get(SESSION_KEY, {})
        previews[kind] = {
            "token": token,
            "ext": ext,
            "user": request.user.pk,
            "at": timezone.now().isoformat(),
        }
        request.session[SESSION_KEY] = previews
        result.token = token
    return result


def confirm(request, *, kind, importer, token, **options):
    """Save the kept preview ``token`` all or nothing; returns (plan, number saved).

    The file is read and checked again with the user's rights now. Raises ValidationError
    if the preview is gone, not this user's, or cannot be saved; the plan (``.errors``)
    of a file that was read is on the exception as ``plan``.
    """
    kept = request.session.get(SESSION_KEY, {}).get(kind)
    if not isinstance(kept, dict) or not token or kept.get("token") != token:
        # None, or an older preview's form (another tab): the current one is left alone.
        raise ValidationError("Förhandsgranskningen har gått ut. Ladda upp filen igen.")
    path = _kept_path(request, kept)
    if path is None or not default_storage.exists(path):
        discard(request, kind=kind)
        raise ValidationError("Förhandsgranskningen har gått ut. Ladda upp filen igen.")
    with default_storage.open(path, "rb") as fh:
        upload = SimpleUploadedFile(f"import.{kept['ext']}", fh.read())
    plan = None
    try:
        plan = importer.check(
            read_rows(upload, required_headers=importer.REQUIRED), user=request.user
        )
        if plan.errors:
            raise ValidationError("Filen har fel; rätta dem och ladda upp den igen.")
        saved = importer.save(plan, user=request.user, request=request, **options)
    except ValidationError as exc:
        if plan is None or plan.errors:
            discard(request, kind=kind)  # the file itself is at fault: not kept for a retry
        exc.plan = plan
        raise
    discard(request, kind=kind)
    return plan, saved


def discard(request, *, kind):
    """Delete the user's kept preview of this kind, if any."""
    previews = request.session.get(SESSION_KEY, {})
    kept = previews.pop(kind, None)
    if kept is None:
        return
    request.session[SESSION_KEY] = previews
    if isinstance(kept, dict) and kept.get("token", "").isalnum():
        default_storage.delete(_path(kept["token"], kept.get("ext", "")))


def purge_previews(*, older_than=PREVIEW_MAX_AGE, now=None):
    """Delete kept previews older than ``older_than``; returns how many. (The session
    entry that pointed at one then finds nothing: "the preview has expired".)"""
    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(PREVIEW_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in files:
        path = f"{PREVIEW_DIR}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > older_than:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile (confirmed, or a second run)
            continue
    return deleted


def _path(token, ext):
    return f"{PREVIEW_DIR}/{token}.{ext}"


def _kept_path(request, kept):
    """The kept file's path, if it is this user's and not older than a day."""
    if kept.get("user") != request.user.pk or kept.get("ext") not in ("xlsx", "csv"):
        return None
    try:
        at = datetime.datetime.fromisoformat(kept["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - at > PREVIEW_MAX_AGE:
        return None
    return _path(kept["token"], kept["ext"])
