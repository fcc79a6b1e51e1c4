"""The report's PDF (docs/rapport.md, "PDF:en"): tagged PDF/UA-1 with a title, Swedish
as its language and bookmarks from the headings; the front page on at most two pages
without a table; no heading or caption left at the foot of a page; table headers on every
page a table runs over; the approval stamp on the cover.

The pages are looked at through WeasyPrint's laid-out document (render.pdf_document):
which boxes ended up on which page.
"""

import contextlib
import re
import subprocess
import zlib
from html import escape

import pytest
from django.utils import timezone
from weasyprint.formatting_structure.boxes import TableBox

from rapporter import render, services
from rapporter.models import Rapportversion

from .dataset import build

STYR = Rapportversion.Edition.STYRGRUPP
FS = Rapportversion.Edition.FORBUNDSSTYRELSE


@pytest.fixture
def data(cast):
    return build(cast)


def compile_now(edition):
    v = services.rapport_request(year=2024, edition=edition, enqueue=False)
    done = services.rapport_compile(version_id=v.pk)
    assert done is not None, Rapportversion.objects.get(pk=v.pk).failure_reason
    return done


def pdfinfo(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, check=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pdf_objects(data):
    """The PDF's objects as bytes: the file itself and every Flate stream decompressed
    (WeasyPrint keeps the catalogue and the outline in compressed object streams)."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        with contextlib.suppress(zlib.error):  # not every stream is Flate-compressed
            parts.append(zlib.decompress(data[m.end() : end].rstrip(b"\r\n")))
    return b"\n".join(parts)


def pdf_string(token):
    """A PDF string object (literal or UTF-16 hex) as text."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return token[1:-1].decode("latin-1")


def outline_titles(data):
    objects = pdf_objects(data)
    return [
        pdf_string(t)
        # An outline item: its title, then where it leads (the document info has no /Dest).
        for t in re.findall(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)\s*/Dest", objects)
    ]


def boxes(page):
    """Each element on the page once (the first box it made there) with its top and bottom."""
    seen = {}
    for box in page._page_box.descendants():
        if box.element is not None and box.element_tag and id(box.element) not in seen:
            seen[id(box.element)] = box
    return list(seen.values())


@pytest.mark.parametrize("edition", [STYR, FS])
def test_tagged_titled_swedish_with_bookmarks_from_the_headings(data, edition):
    v = compile_now(edition)
    info = pdfinfo(v.pdf.path)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == v.title
    assert info["Author"].strip() == "IF Metall – Regionalsamverkan"
    data_ = v.pdf.open("rb").read()
    objects = pdf_objects(data_)
    assert b"/Lang (sv)" in objects
    assert b"pdfuaid:part" in objects or b"pdfuaid" in objects  # PDF/UA's identification
    titles = outline_titles(data_)
    front = ["Samlad bedömning", "Verksamhetsmålen 2024", "Områdena 2024"]
    front += ["Utvecklingen sedan områdena anslöt", "Kostnadsfördelning 2024"]
    assert titles[0] == v.title  # the h1
    assert titles[1:6] == front
    assert "Bilaga 1. Nyckeltal 2024 och förändringar" in titles
    assert "Förändringar sedan förra godkända versionen" in titles  # an h3
    if edition == STYR:
        assert titles[6:8] == ["Innehåll", "Att besluta"]
        assert "Bilaga 4. Per område och avdelning" in titles
    else:
        assert "Att besluta" not in titles


@pytest.mark.parametrize("edition", [STYR, FS])
def test_pages(data, edition):
    v = compile_now(edition)
    doc = render.pdf_document(v)
    pages = [boxes(p) for p in doc.pages]
    tags = [{b.element_tag for b in page} for page in pages]

    # The front page: at most two pages, charts and no table; the rest starts on page 3.
    assert "{http://www.w3.org/2000/svg}svg" in tags[0]
    assert not {"table", "td"} & (tags[0] | tags[1])
    first_appendix = next(i for i, t in enumerate(tags) if "table" in t)
    assert first_appendix == 2 if edition == FS else first_appendix >= 2
    for page in pages[:2]:
        ids = {b.element.get("id") for b in page}
        if "verksamhetsmalen" in ids:
            assert "diagram-mal" in ids  # the goals' chart with their statuses

    for n, (page, elements) in enumerate(zip(doc.pages, pages, strict=True), start=1):
        # No heading or table caption at the foot of a page: something follows it there.
        content = [b for b in elements if b.element_tag in ("p", "li", "td", "figure", "ul")]
        for b in elements:
            if b.element_tag in ("h2", "h3", "caption"):
                text = "".join(b.element.itertext())
                assert any(c.position_y > b.position_y for c in content), (
                    f"page {n}: {b.element_tag} {text!r} is the last thing on the page"
                )
        # A table that runs over to this page shows its header row here too.
        for table in page._page_box.descendants():
            if table.element_tag == "table" and isinstance(table, TableBox):
                cells = {c.element_tag for c in table.descendants() if c.element_tag}
                if "td" in cells:
                    assert "th" in cells, f"page {n}: a table without its header row"


def test_the_approval_stamp_on_the_cover(data, cast):
    cast.steering.person.name = "Stina Styrgrupp"
    cast.steering.person.save()
    v = compile_now(FS)

    def cover():
        out = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", v.pdf.path, "-"], capture_output=True, check=True
        )
        return " ".join(out.stdout.decode().split())

    assert "Utkast: rapporten är ej godkänd av styrgruppen." in cover()
    v = services.rapport_approve(version=v, user=cast.steering)
    v.refresh_from_db()
    day = timezone.localtime(v.approved_at).date().isoformat()
    assert f"Rapporten är godkänd av styrgruppen {day} (Stina Styrgrupp)." in cover()


def test_a_charts_text_alternative_is_its_pdf_alt_text(data):
    """WeasyPrint tags an SVG as a Figure whose /Alt is the SVG's <title>: in the PDF the
    title carries the text alternative (the numbers), not only the caption."""
    v = compile_now(FS)
    body = render.render_html(v)
    chart = render.draw_charts(v.snapshot)["goals"]["chart"]
    pdf_body = render._pdf_alt(str(body))
    caption, alt = escape(chart.caption), escape(chart.alt)
    assert f'<title id="diagram-mal-title">{caption}. {alt}</title>' in pdf_body
    assert f'<title id="diagram-mal-title">{caption}</title>' in body
