"""Charts, drawn by matplotlib as SVG (docs/rapport.md, "Diagram"): the report's, and those
of any page that shows figures.

One SVG serves both the HTML page (inline, scaled to its container through the viewBox) and
the PDF (WeasyPrint draws inline SVG). Text stays text (``svg.fonttype = "none"``): it can
be searched, read by a screen reader and printed crisply. Nothing runs in the browser, so
the Content-Security-Policy is unchanged.

Every function takes plain data (the report's come from its snapshot), never the database,
and returns a ``Chart``: the SVG, its caption, a text alternative that gives the numbers in
Swedish sentences, and the table the chart was drawn from. Empty data gives a short "Inga
uppgifter" figure, never an exception.

Deterministic: the same data gives byte-identical SVG (fixed hash salt for the ids, no
date), so tests compare bytes and caches can key on them.

matplotlib is imported here only; its import is slow (about a second), so the rest of the
app imports this module lazily, where a chart is drawn. Only the object-oriented API is used
(``Figure``, no pyplot): pyplot keeps global state that threads in a web process would share.
"""

import io
import os
import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

from presentation.templatetags.tal import andel, antal, belopp, forandring


def _usable(directory):
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK)


def _ensure_config_dir():
    """matplotlib keeps its font cache in ~/.cache/matplotlib (never the repository). A
    process whose home is not writable would get a fresh temporary directory, a warning
    and a font scan (a second or more) each start; give it a fixed one under /tmp instead."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        home = Path.home()
    except RuntimeError:
        home = None
    dirs = [
        Path(os.environ.get("XDG_CONFIG_HOME") or (home and home / ".config") or "/nonexistent"),
        Path(os.environ.get("XDG_CACHE_HOME") or (home and home / ".cache") or "/nonexistent"),
    ]
    if not all(_usable(d / "matplotlib") for d in dirs):
        os.environ["MPLCONFIGDIR"] = str(Path(tempfile.gettempdir()) / f"matplotlib-{os.getuid()}")


_ensure_config_dir()

import matplotlib  # noqa: E402 -- after the config directory is settled
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.transforms import offset_copy  # noqa: E402

# Read when a figure is saved, so they are set once for the process (this module is its
# only matplotlib user). Text as text, ids from a fixed salt: the same data, the same bytes.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "regionalsamverkan-rapport",
        "font.family": "sans-serif",
        # The PDF's font (DejaVu Sans, in the image); a browser without it picks a narrower
        # sans-serif, so labels never grow out of their space.
        "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial"],  # FONTS below
        "font.size": 7.5,
        "text.color": "#1a1a1a",
        "hatch.linewidth": 0.7,
    }
)

FONTS = "'DejaVu Sans', 'Verdana', 'Arial', sans-serif"  # as matplotlib writes them
WIDTH = 4.3  # inches: 413 px or 110 mm at 1:1; on a 375 px phone the text shrinks by a tenth
INK = "#1a1a1a"
MUTED = "#555555"  # 7.5:1 on white

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart with every common
# form of colour blindness. Never the only cue: every chart also labels its values, and the
# statuses and areas carry a pattern or a marker shape, so a grey print reads too.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True)
class Style:
    colour: str
    hatch: str | None = None
    marker: str = "o"
    linestyle: str = "-"


# A commitment's status has the same colour and pattern in every chart.
STATUS = {
    "achieved": Style(OKABE_ITO["bluish_green"]),
    "at_risk": Style(OKABE_ITO["orange"], hatch="///"),
    "not_achieved": Style(OKABE_ITO["vermillion"], hatch="xxx"),
    "other": Style(OKABE_ITO["sky_blue"], hatch="||"),
}
STATUS_LABELS = {
    "achieved": "Uppnådda",
    "at_risk": "I riskzonen",
    "not_achieved": "Ej uppnådda",
    "other": "Övriga godkända",  # on track, or not followed up yet
}
# Areas in the snapshot's order (by code); the same area has the same style in each chart.
AREA_STYLES = [
    Style(OKABE_ITO["blue"], None, "o", "-"),
    Style(OKABE_ITO["reddish_purple"], "///", "s", "--"),
    Style(OKABE_ITO["orange"], "|||", "^", ":"),
    Style(OKABE_ITO["sky_blue"], "xxx", "D", "-."),
    Style(OKABE_ITO["bluish_green"], "\\\\\\", "v", "-"),
    Style(OKABE_ITO["vermillion"], "---", "P", "--"),
    Style(OKABE_ITO["yellow"], "+++", "X", ":"),
    Style(OKABE_ITO["black"], None, "*", "-."),
]
# The national half and the departments in the cost split.
COST_NATIONAL = Style(OKABE_ITO["blue"])
COST_PART = Style(OKABE_ITO["sky_blue"], hatch="///")
COST_UNDISTRIBUTED = Style("#ffffff", hatch="xxx")

# The figures an area is compared on (issue 15: activities, commitments achieved, forums
# with a seat, fund projects).
AREA_FIGURES = [  # (key, label, the label over a narrow column)
    ("activities", "Aktiviteter", "Aktiviteter"),
    ("commitments_achieved", "Uppnådda åtaganden", "Uppnådda\nåtaganden"),
    ("forums_with_seat", "Forum med plats", "Forum med\nplats"),
    ("fund_projects", "Strukturfondsprojekt", "Struktur-\nfondsprojekt"),
]
EMPTY = "Inga uppgifter"
# Behind a value written over lines or patterns: it stays legible (black on white).
_HALO = {"boxstyle": "square,pad=0.08", "fc": "white", "ec": "none"}


@dataclass(frozen=True)
class Table:
    """The rows a chart was drawn from: raw numbers (the template formats them, the
    workbook keeps them as numbers)."""

    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    svg: SafeString  # inline SVG; every text in it escaped
    caption: str
    alt: str  # the text alternative: the chart's numbers in a sentence or two
    table: Table

    # {{ chart }} in a template is the SVG itself.
    def __str__(self):
        return self.svg

    def __html__(self):
        return self.svg


# --- Numbers -----------------------------------------------------------------------------


def _n(value):
    """A count as the report writes it: 1 234 (no-break space between thousands)."""
    return antal(value or 0)


# --- Turning a figure into the report's SVG ------------------------------------------------

_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#)([^")]+)')
_STYLE = re.compile(r' style="([^"]*)"')


def _presentation_attributes(match):
    """style="fill: #fff; stroke-width: 0.6" as fill="#fff" stroke-width="0.6": the same
    drawing, but nothing for a CSS parser to read (WeasyPrint would warn about every
    declaration it does not know as HTML CSS, hundreds per report)."""
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _svg(fig, *, chart_id, caption, alt):
    """The figure as inline SVG for the page and the PDF: no XML prolog or metadata, no
    document-wide <style>, a viewBox at 100 % width (height follows), role=img named by
    <title> (the caption) and described by <desc> (the text alternative). matplotlib's ids
    are dropped unless something refers to them, and those that stay get the chart's id as
    a prefix, so two charts on one page never share one."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s*<style type="text/css">.*?</style>', "", text, flags=re.S)
    text = re.sub(r"\s*<defs>\s*</defs>", "", text)
    referenced = {m.group(2) for m in _REF.finditer(text)}
    text = _ID.sub(
        lambda m: f' id="{chart_id}-{m.group(1)}"' if m.group(1) in referenced else "", text
    )
    text = _REF.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", text)
    text = re.sub(r" \n(?=[LMCz])", " ", text)  # path data on one line: a third smaller
    text = re.sub(r"\n\s*", "\n", text)
    text = re.sub(r' transform="rotate\(-?0 [^)]*\)"', "", text)
    # Every text names the same fonts: say it once, on the root, and let them inherit it.
    text = text.replace(f"font-family: {FONTS}; ", "")
    text = _STYLE.sub(_presentation_attributes, text)
    view_box = re.search(r'viewBox="([^"]+)"', text).group(1)
    root = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view_box}" width="100%" class="rapport-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'stroke-linejoin="round" stroke-linecap="butt" font-family="{FONTS}">'
        f'\n<title id="{chart_id}-title">{escape(caption)}</title>'
        f'\n<desc id="{chart_id}-desc">{escape(alt)}</desc>'
    )
    text = root + text[text.index(">") + 1 :]
    return mark_safe(text)  # noqa: S308 -- matplotlib escapes its text; ours is escaped above


def make_figure(height):
    """A white figure of the page's width: the start of every chart, here and in the apps
    that draw their own (enkater, natverk) with make_chart, bar_style and wrap_label."""
    fig = Figure(figsize=(WIDTH, height), dpi=72)
    fig.patch.set_facecolor("white")
    return fig


def empty(*, chart_id, caption, message=EMPTY, table=None):
    """A small figure that says there is nothing to draw (and why)."""
    fig = make_figure(0.7)
    fig.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color=MUTED)
    alt = f"{caption}: {message.rstrip('.')}."
    return Chart(
        svg=_svg(fig, chart_id=chart_id, caption=caption, alt=alt),
        caption=caption,
        alt=alt,
        table=table or Table(header=[]),
    )


def wrap_label(label, width=22, lines=2):
    parts = textwrap.wrap(label, width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def _text_width(text, size):
    """About how wide a text is in points (DejaVu Sans averages 0.6 em a character)."""
    return 0.6 * size * max((len(line) for line in text.split("\n")), default=0)


def _luminance(colour):
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def bar_style(style):
    """Keyword arguments for a bar in the style: a pattern drawn in white on a dark colour,
    in dark grey on a light one, and a white edge between stacked bars."""
    light = _luminance(style.colour) > 0.35
    return {
        "facecolor": style.colour,
        "hatch": style.hatch,
        "hatchcolor": "#333333" if light else "white",
        "edgecolor": "white",
        "linewidth": 0.6,
    }


def _legend_patch(style, label):
    return Patch(**bar_style(style), label=label)


def make_chart(fig, *, chart_id, caption, alt, table):
    """The drawn figure as a Chart: its accessible SVG, caption, text alternative and table."""
    return Chart(
        svg=_svg(fig, chart_id=chart_id, caption=caption, alt=alt),
        caption=caption,
        alt=alt,
        table=table,
    )


def sentence_list(parts):
    """["a", "b", "c"] -> "a, b och c"."""
    parts = list(parts)
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


# --- 1. Per activity goal ------------------------------------------------------------------


def _goal_counts(goal):
    c = goal.get("commitments") or {}
    counts = {k: c.get(k) or 0 for k in ("total", "approved", *STATUS_LABELS)}
    outcomes = counts["achieved"] + counts["at_risk"] + counts["not_achieved"]
    # Approved, without an outcome yet: on track, or not followed up.
    counts["other"] = max(counts["approved"] - outcomes, 0)
    return counts


def goal_status(goals, *, year=None, previous=None, previous_year=None, chart_id="diagram-mal"):
    """Per activity goal, its approved commitments as one bar split by outcome: achieved,
    at risk, not achieved and the rest (on track or not followed up), with last year's
    achieved as a thin bar under it and the change beside it.

    ``goals`` is the snapshot's "goals"; ``previous`` last year's (or None), matched on the
    goal's number."""
    when = f" {year}" if year else ""
    caption = f"Åtaganden per verksamhetsmål{when}: godkända och deras utfall"
    before = {g["number"]: _goal_counts(g) for g in previous or []}
    prev_name = str(previous_year) if previous_year else "förra året"
    header = ["Mål", "Rubrik", "Åtaganden", "Godkända", "Uppnådda", "I riskzonen"]
    header += ["Ej uppnådda", "Övriga godkända"]
    if previous is not None:
        header += [f"Godkända {prev_name}", f"Uppnådda {prev_name}"]
    counts = [_goal_counts(g) for g in goals]
    rows = []
    for g, c in zip(goals, counts, strict=True):
        row = [g["number"], g["title"], c["total"], c["approved"], c["achieved"], c["at_risk"]]
        row += [c["not_achieved"], c["other"]]
        if previous is not None:
            b = before.get(g["number"])
            row += [b["approved"] if b else None, b["achieved"] if b else None]
        rows.append(row)
    table = Table(header=header, rows=rows)
    if not any(c["total"] for c in counts):
        return empty(chart_id=chart_id, caption=caption, message="Inga åtaganden.", table=table)

    sentences = [
        f"Totalt {_n(sum(c['approved'] for c in counts))} godkända åtaganden, "
        f"{_n(sum(c['achieved'] for c in counts))} uppnådda."
    ]
    for g, c in zip(goals, counts, strict=True):
        b = before.get(g["number"])
        was = f" ({prev_name}: {_n(b['achieved'])})" if b else ""
        sentences.append(
            f"Mål {g['number']}, {g['title']}: {_n(c['approved'])} godkända; "
            f"uppnådda {_n(c['achieved'])}{was}, i riskzonen {_n(c['at_risk'])}, "
            f"ej uppnådda {_n(c['not_achieved'])}."
        )
    alt = " ".join(sentences)

    # Each goal a row: its title on a line of its own (full width, so it is never cut),
    # the bar under it, last year's achieved as a thin bar under that.
    n = len(goals)
    row_h = 0.5 if before else 0.42
    legend_h = 0.5
    height = legend_h + n * row_h + 0.08
    fig = make_figure(height)
    side_w = 1.2  # the column beside the bars: "5 av 10 uppnådda", the change
    ax = fig.add_axes((0.01, 0.04 / height, 1 - (side_w + 0.05) / WIDTH, n * row_h / height))
    ax.set_axis_off()
    peak = max([c["approved"] for c in counts] + [b["achieved"] for b in before.values()] + [1])
    ax.set_xlim(0, peak)
    ax.set_ylim(-0.5, n - 0.5)
    axis_pt = ax.get_position().width * WIDTH * 72
    ys = [n - 1 - i for i in range(n)]  # goal 1 at the top
    bar_y = [y - (0.02 if before else 0.08) for y in ys]

    start = [0] * n
    for key in ("achieved", "at_risk", "not_achieved", "other"):
        values = [c[key] for c in counts]
        ax.barh(bar_y, values, left=start, height=0.36, **bar_style(STATUS[key]))
        for y, x0, value in zip(bar_y, start, values, strict=True):
            label = _n(value)
            if value and value / peak * axis_pt >= _text_width(label, 7.5) + 5:
                ax.text(
                    x0 + value / 2,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    bbox=_HALO,
                )
        start = [x0 + value for x0, value in zip(start, values, strict=True)]

    if before:
        # Last year's achieved: a thin dark bar under this year's.
        thin = [before[g["number"]]["achieved"] if g["number"] in before else 0 for g in goals]
        ax.barh([by - 0.3 for by in bar_y], thin, height=0.1, color=INK)
    for y, by, g, c in zip(ys, bar_y, goals, counts, strict=True):
        title = wrap_label(f"{g['number']} {g['title']}", 56, lines=1)
        ax.text(0, y + 0.24, title, fontsize=8.5, va="bottom")
        if c["approved"]:
            side = f"{_n(c['achieved'])} av {_n(c['approved'])} uppnådda"
        else:
            side = "inga godkända"
        b = before.get(g["number"])
        if b is not None:
            ax.text(
                b["achieved"] + peak * 0.015,
                by - 0.3,
                f"{prev_name}: {_n(b['achieved'])}",
                fontsize=7,
                va="center",
                color=MUTED,
            )
            diff = c["achieved"] - b["achieved"]
            side += f"\n{forandring(diff) if diff else 'oförändrat'} mot {prev_name}"
        ax.text(
            1.03,
            by - (0.1 if b is not None else 0),
            side,
            transform=ax.get_yaxis_transform(),
            fontsize=7.5,
            va="center",
            linespacing=1.35,
        )

    handles = [_legend_patch(STATUS[k], label) for k, label in STATUS_LABELS.items()]
    if before:
        handles.append(Patch(color=INK, label=f"Uppnådda {prev_name}"))
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.01, 1 - 0.03 / height),
        ncols=3 if before else 2,
        fontsize=7.5,
        frameon=False,
        handlelength=1.5,
        handleheight=1.0,
        columnspacing=1.0,
        borderaxespad=0,
    )
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


# --- 2. The areas side by side -------------------------------------------------------------


def _area_label(area):
    return area.get("name") or area.get("code") or "?"


def area_figures(areas, *, forums=None, fund_projects=None):
    """[(key, label, short label, [value per area])] for AREA_FIGURES. An area's forums
    with a seat and fund projects come from the area's own keys where the snapshot has
    them, else from the report year's forum list and project list (a project in two areas
    counts in both); a figure neither gives is left out."""
    figures = []
    for key, label, short in AREA_FIGURES:
        if all(key in a for a in areas):
            values = [a[key] or 0 for a in areas]
        elif key == "forums_with_seat" and forums is not None:
            listing = forums.get("list", []) if isinstance(forums, dict) else forums
            values = [
                sum(1 for f in listing if f.get("area") == a.get("code") and f.get("seats"))
                for a in areas
            ]
        elif key == "fund_projects" and fund_projects is not None:
            values = [
                sum(1 for p in fund_projects if a.get("code") in (p.get("areas") or []))
                for a in areas
            ]
        else:
            continue
        figures.append((key, label, short, values))
    return figures


def areas_side_by_side(
    areas, *, forums=None, fund_projects=None, year=None, chart_id="diagram-omraden"
):
    """The participating areas on the same figures: a row per area, a column of bars per
    figure, each column on its own scale (activities run to hundreds, fund projects to a
    few). ``areas`` is the snapshot's "areas"; ``forums`` and ``fund_projects`` its lists."""
    when = f" {year}" if year else ""
    caption = f"Områdena sida vid sida{when}"
    figures = area_figures(areas, forums=forums, fund_projects=fund_projects)
    table = Table(
        header=["NUTS", "Område"] + [label for _, label, _, _ in figures],
        rows=[
            [a.get("code"), _area_label(a)] + [values[i] for _, _, _, values in figures]
            for i, a in enumerate(areas)
        ],
    )
    if not areas or not figures:
        return empty(
            chart_id=chart_id, caption=caption, message="Inget område deltar.", table=table
        )
    alt = " ".join(
        f"{_area_label(a)}: "
        + sentence_list(f"{label.lower()} {_n(values[i])}" for _, label, _, values in figures)
        + "."
        for i, a in enumerate(areas)
    )

    n, cols = len(areas), len(figures)
    name_w = 1.3
    row_h = 0.26
    head_h = 0.38
    height = head_h + n * row_h + 0.06
    fig = make_figure(height)
    ax = fig.add_axes((0, 0.03 / height, 1, n * row_h / height))
    ax.set_axis_off()
    # One axes, x in inches: each figure's column is laid out by hand.
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(-0.5, n - 0.5)
    col_w = (WIDTH - name_w) / cols
    span = col_w - 0.44  # the longest bar; the rest is kept for its value
    ys = [n - 1 - i for i in range(n)]
    for y, a in zip(ys, areas, strict=True):
        ax.text(0.04, y, wrap_label(_area_label(a), 20), va="center", linespacing=1.1)
    starts = [name_w + j * col_w for j in range(cols)]
    widths = [
        [span * values[i] / (max(values) or 1) for _, _, _, values in figures] for i in range(n)
    ]
    for i, y in enumerate(ys):
        ax.barh([y] * cols, widths[i], left=starts, height=0.62, **bar_style(AREA_STYLES[i % 8]))
    for j, (_, _, short, values) in enumerate(figures):
        x0 = starts[j]
        ax.text(x0, n - 0.4, short, va="bottom", fontweight="bold", linespacing=1.1)
        for i, (y, value) in enumerate(zip(ys, values, strict=True)):
            ax.text(x0 + widths[i][j] + 0.04, y, _n(value), va="center")
    ax.vlines(starts, -0.45, n - 0.55, colors="#888888", linewidth=0.6)
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


# --- 3. Each area's trend since it joined ---------------------------------------------------


def area_trends(trend, areas, *, chart_id="diagram-trend"):
    """Small multiples, one per figure, a line per area from the year it joined (years as
    whole numbers on x). ``trend`` is the snapshot's "trend" (a row per year with
    "by_area"), ``areas`` its "areas" (names, order). A figure the rows do not give per area
    is drawn for the whole project, and its panel says so."""
    years = [t["year"] for t in trend]
    caption = (
        f"Utvecklingen {years[0]}–{years[-1]} per område sedan det anslöt"
        if len(years) > 1
        else f"Utvecklingen {years[0]} per område"
        if years
        else "Utvecklingen per område"
    )
    codes = [a.get("code") for a in areas]
    panels = []  # (label, whole project?, {code or None: [(year, value)]})
    for key, label, _ in AREA_FIGURES:
        series = {}
        for code in codes:
            points = [
                (t["year"], t["by_area"][code][key])
                for t in trend
                if code in (t.get("by_area") or {}) and key in t["by_area"][code]
            ]
            if points:
                series[code] = points
        if series:
            panels.append((label, False, series))
        elif any(key in t for t in trend):
            panels.append((label, True, {None: [(t["year"], t[key]) for t in trend if key in t]}))

    names = {a.get("code"): _area_label(a) for a in areas}
    header = ["Område", "År", "Projektår"] + [
        label + (" (hela projektet)" if whole else "") for label, whole, _ in panels
    ]
    rows = []
    for code in codes:
        for t in trend:
            own = (t.get("by_area") or {}).get(code)
            if own is None:
                continue
            row = [names[code], t["year"], own.get("maturity")]
            for _, whole, series in panels:
                values = dict(series.get(None if whole else code, []))
                row.append(values.get(t["year"]))
            rows.append(row)
    table = Table(header=header, rows=rows)
    if not trend or not panels:
        return empty(
            chart_id=chart_id, caption=caption, message="Ingen utveckling att visa.", table=table
        )

    # The text alternative: each line from its first year to the last (the table has all).
    sentences = []
    for label, _whole, series in panels:
        parts = []
        for code, points in series.items():
            who = "hela projektet" if code is None else names[code]
            (y0, v0), (y1, v1) = points[0], points[-1]
            span = f"{_n(v0)} ({y0})" if y0 == y1 else f"från {_n(v0)} ({y0}) till {_n(v1)} ({y1})"
            parts.append(f"{who} {span}")
        sentences.append(f"{label}: " + "; ".join(parts) + ".")
    alt = " ".join(sentences)

    cols = 2 if len(panels) > 1 else 1
    prow = -(-len(panels) // cols)
    panel_h = 1.45
    legend_h = 0.22
    height = legend_h + prow * panel_h + 0.05
    fig = make_figure(height)
    # One axes in inches for all panels, each laid out by hand: matplotlib's axes and tick
    # objects cost more than the rest of the chart together.
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, height)
    first, last = years[0], years[-1]
    label_all = len(codes) <= 3
    step = 1 if last - first < 5 else 2
    box_w = WIDTH / cols - 0.55
    box_h = panel_h - 0.62
    above = offset_copy(ax.transData, fig=fig, y=4, units="points")
    below = offset_copy(ax.transData, fig=fig, y=-5, units="points")
    beside = offset_copy(ax.transData, fig=fig, x=4, units="points")
    for p, (label, whole, series) in enumerate(panels):
        r, col = divmod(p, cols)
        x0 = 0.4 + col * WIDTH / cols
        y0 = height - legend_h - (r + 1) * panel_h + 0.25
        peak = max([v for points in series.values() for _, v in points] + [1])
        ticks = [t for t in MaxNLocator(nbins=3, integer=True).tick_values(0, peak) if t >= 0]
        top = max(ticks[-1], peak) * 1.15

        def at(year, value, x0=x0, y0=y0, top=top):
            """A point of the panel in inches."""
            x = x0 + (year - first + 0.4) / (last - first + 0.8) * box_w
            return x, y0 + value / top * box_h

        ax.text(
            x0,
            y0 + box_h + 0.1,
            wrap_label(label + (", hela projektet" if whole else ""), 32),
            fontsize=8,
            va="bottom",
            linespacing=1.1,
        )
        ax.hlines(
            [at(first, t)[1] for t in ticks if 0 < t <= top],
            x0,
            x0 + box_w,
            colors="#dddddd",
            linewidth=0.5,
        )
        ax.hlines([y0], x0, x0 + box_w, colors="#444444", linewidth=0.7)
        for t in ticks:
            if t <= top:
                ax.text(x0 - 0.05, at(first, t)[1], _n(t), ha="right", va="center", fontsize=6.5)
        for y in years:
            if (y - first) % step == 0:
                ax.text(at(y, 0)[0], y0 - 0.05, str(y), ha="center", va="top", fontsize=6.5)
        for code, points in series.items():
            s = AREA_STYLES[codes.index(code) % 8] if code is not None else None
            xy = [at(y, v) for y, v in points]
            ax.plot(
                [x for x, _ in xy],
                [y for _, y in xy],
                color=s.colour if s else INK,
                marker=s.marker if s else "o",
                linestyle=s.linestyle if s else "--",
                linewidth=1.4,
                markersize=4,
            )
        # Each year's values labelled: the highest above its point, the lowest below,
        # any between to the right, so labels of close lines do not meet.
        for y in years:
            here = sorted(
                ((v, i) for i, points in enumerate(series.values()) for yy, v in points if yy == y),
                key=lambda vi: -vi[0],
            )
            if not label_all and y != last:
                continue
            for rank, (v, _) in enumerate(here):
                if rank == 0:
                    where = {"transform": above, "ha": "center", "va": "bottom"}
                elif rank == len(here) - 1:
                    where = {"transform": below, "ha": "center", "va": "top"}
                else:
                    where = {"transform": beside, "ha": "left", "va": "center"}
                ax.text(*at(y, v), _n(v), fontsize=6.5, **where, bbox=_HALO)
    handles = [
        Line2D(
            [],
            [],
            color=AREA_STYLES[i % 8].colour,
            marker=AREA_STYLES[i % 8].marker,
            linestyle=AREA_STYLES[i % 8].linestyle,
            markersize=4,
            label=names[code],
        )
        for i, code in enumerate(codes)
    ]
    if any(whole for _, whole, _ in panels):
        handles.append(
            Line2D(
                [], [], color=INK, marker="o", linestyle="--", markersize=4, label="Hela projektet"
            )
        )
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.01, 1 - 0.03 / height),
        ncols=min(len(handles), 3),
        fontsize=7.5,
        frameon=False,
        handlelength=2.2,
        borderaxespad=0,
    )
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


# --- 4. The cost split ----------------------------------------------------------------------


def cost_split(costs, *, by="avdelning", areas=None, chart_id="diagram-kostnad"):
    """Each party's share of the year's project cost: the national union's half, then each
    department (``by="avdelning"``) or each area's departments together (``by="omrade"``,
    names from ``areas``), in kronor and percent of the total. ``costs`` is the snapshot's
    "costs" (rapporter/kostnad.py's allocation)."""
    year = costs.get("year")
    caption = f"Kostnadsfördelning {year}" if year else "Kostnadsfördelning"
    total = costs.get("total") or 0
    parts = [("IF Metall (förbundet)", None, costs.get("national") or 0, COST_NATIONAL)]
    rows = costs.get("rows") or []
    if by == "omrade":
        names = {a.get("code"): _area_label(a) for a in areas or []}
        sums = {}
        for r in rows:
            if r.get("amount") is not None:
                sums[r.get("nuts_code")] = sums.get(r.get("nuts_code"), 0) + r["amount"]
        parts += [
            (f"Avdelningarna i {names.get(code, code)}", code, amount, COST_PART)
            for code, amount in sorted(sums.items(), key=lambda item: item[0] or "")
        ]
    else:
        parts += [
            (r["avdelning"], r.get("nuts_code"), r["amount"], COST_PART)
            for r in rows
            if r.get("amount") is not None
        ]
    if costs.get("undistributed"):
        parts.append(
            ("Avdelningarnas del, ej fördelad", None, costs["undistributed"], COST_UNDISTRIBUTED)
        )
    share = [(amount / total) if total else None for _, _, amount, _ in parts]
    table = Table(
        header=["Part", "NUTS", "Belopp (kr)", "Andel av kostnaden"],
        rows=[
            [name, code or "", amount, s]
            for (name, code, amount, _), s in zip(parts, share, strict=True)
        ]
        + [["Totalt", "", total, 1.0 if total else None]],
    )
    if not total:
        message = (
            "Projektkostnaderna är inte inlagda."
            if not costs.get("entered")
            else "Projektkostnaden är 0 kr."
        )
        return empty(chart_id=chart_id, caption=caption, message=message, table=table)

    listed = parts if len(parts) <= 9 else parts[:4]
    alt = (
        f"Projektkostnaden är {belopp(total)}. "
        + sentence_list(
            f"{name} {belopp(amount)} ({andel(s)})"
            for (name, _, amount, _), s in zip(listed, share, strict=True)
        )
        + "."
    )
    if len(listed) < len(parts):
        alt += f" Tabellen har alla {len(parts)} parter."
    if not costs.get("complete", True) and costs.get("warnings"):
        alt += " " + " ".join(costs["warnings"])

    name_w, money_w, pct_w = 1.55, 0.85, 0.5
    labels = [wrap_label(name, 24) for name, _, _, _ in parts]
    heights = [0.3 if "\n" in label else 0.22 for label in labels]
    height = sum(heights) + 0.3
    fig = make_figure(height)
    bars_w = WIDTH - name_w - money_w - pct_w - 0.1
    ax = fig.add_axes((name_w / WIDTH, 0.26 / height, bars_w / WIDTH, sum(heights) / height))
    ax.set_axis_off()
    peak = max(amount for _, _, amount, _ in parts) or 1
    ax.set_xlim(0, peak)
    ax.set_ylim(0, sum(heights))
    top = sum(heights)
    money_x = 1 + (money_w + 0.05) / bars_w
    pct_x = money_x + (pct_w) / bars_w
    ys = []
    for h in heights:
        ys.append(top - h / 2)
        top -= h
    for style in (COST_NATIONAL, COST_PART, COST_UNDISTRIBUTED):
        mine = [(y, p[2]) for y, p in zip(ys, parts, strict=True) if p[3] is style]
        if mine:
            ax.barh(*zip(*mine, strict=True), height=0.15, **bar_style(style))
            if style is COST_UNDISTRIBUTED:  # white: its outline shows where it ends
                ax.barh(*zip(*mine, strict=True), height=0.15, fill=False, edgecolor=MUTED)
    side = ax.get_yaxis_transform()
    for y, label, (_, _, amount, _), s in zip(ys, labels, parts, share, strict=True):
        ax.text(-0.06 * peak / bars_w, y, label, ha="right", va="center", linespacing=1.1)
        ax.text(money_x, y, belopp(amount), transform=side, ha="right", va="center")
        ax.text(pct_x, y, andel(s), transform=side, ha="right", va="center")
    ax.plot([0, 0], [0, sum(heights)], color="#888888", linewidth=0.6)
    fig.text(
        (name_w + bars_w + money_w + 0.05) / WIDTH,
        0.1 / height,
        f"Totalt {belopp(total)}",
        ha="right",
        va="center",
        fontsize=7.5,
        fontweight="bold",
    )
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


# --- All of a snapshot's charts --------------------------------------------------------------


def for_snapshot(snap, *, previous=None, costs_by="avdelning"):
    """The front page's four charts for a snapshot. The change per goal is against
    ``previous`` (last year's snapshot) when given, else against the snapshot's own
    last-year counts ("previous_year", from schema 3); ``costs_by`` splits the costs by
    department or by area (cost_split's ``by``)."""
    if previous is not None:
        before, before_year = previous.get("goals"), previous.get("year")
    else:
        own = snap.get("previous_year") or {}
        before, before_year = own.get("goals"), own.get("year")
    return {
        "goals": goal_status(
            snap.get("goals", []),
            year=snap.get("year"),
            previous=before,
            previous_year=before_year,
        ),
        "areas": areas_side_by_side(
            snap.get("areas", []),
            forums=snap.get("forums"),
            fund_projects=snap.get("fund_projects"),
            year=snap.get("year"),
        ),
        "trends": area_trends(snap.get("trend", []), snap.get("areas", [])),
        "costs": cost_split(snap.get("costs") or {}, by=costs_by, areas=snap.get("areas", [])),
    }


# --- 5. The comparison: pilot departments against the others (nyckeltal) ------------------

# The comparison's groups: the same colour, marker and line in each chart.
COMPARISON_STYLES = {
    "pilot": Style(OKABE_ITO["blue"], None, "o", "-"),
    "before": Style(OKABE_ITO["orange"], "///", "s", ":"),
    "others": Style(OKABE_ITO["vermillion"], "xxx", "^", "--"),
}


def _decimal_text(value):
    from presentation.templatetags.tal import tal  # the page's format: up to two decimals

    return tal(value)


def comparison_lines(series, *, caption, table, chart_id="diagram-jamforelse"):
    """A line per group over the years. ``series``: [(group key, label, [(year, value
    or None)])], the group key one of COMPARISON_STYLES; ``table`` the Table the page
    shows under the chart. A year without a value breaks the line."""
    drawn = [
        (g, label, [(y, v) for y, v in points if v is not None]) for g, label, points in series
    ]
    drawn = [s for s in drawn if s[2]]
    if not drawn:
        return empty(chart_id=chart_id, caption=caption, table=table)
    parts = []
    for _, label, points in drawn:
        (y0, v0), (y1, v1) = points[0], points[-1]
        span = (
            f"{_decimal_text(v0)} ({y0})"
            if y0 == y1
            else f"från {_decimal_text(v0)} ({y0}) till {_decimal_text(v1)} ({y1})"
        )
        parts.append(f"{label} {span}")
    alt = f"{caption}: " + "; ".join(parts) + "."

    years = sorted({y for _, _, points in drawn for y, _ in points})
    height = 2.3
    fig = make_figure(height)
    ax = fig.add_axes((0.13, 0.12, 0.8, 0.62))
    for g, label, points in series:
        s = COMPARISON_STYLES.get(g, COMPARISON_STYLES["pilot"])
        xs = [y for y, _ in points]
        ys = [float("nan") if v is None else v for _, v in points]
        ax.plot(
            xs,
            ys,
            color=s.colour,
            marker=s.marker,
            linestyle=s.linestyle,
            linewidth=1.4,
            markersize=4,
            label=label,
        )
    # The last value of each line, beside its point (the table has every year).
    for _, _, points in drawn:
        y, v = points[-1]
        ax.annotate(
            _decimal_text(v),
            (y, v),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=6.5,
            bbox=_HALO,
        )
    step = 1 if years[-1] - years[0] < 6 else 2
    ax.set_xticks([y for y in years if (y - years[0]) % step == 0])
    ax.set_xticklabels([str(y) for y in years if (y - years[0]) % step == 0], fontsize=6.5)
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.9)
    ax.set_ylim(bottom=min(0, min(v for _, _, p in drawn for _, v in p)))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.set_yticks(ax.get_yticks())
    ax.set_yticklabels([_decimal_text(t) for t in ax.get_yticks()], fontsize=6.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(
        loc="upper left",
        bbox_to_anchor=(0.01, 0.99),
        ncols=min(len(series), 2),  # three labels in a row are wider than the chart
        fontsize=7,
        frameon=False,
        handlelength=2.2,
        borderaxespad=0,
    )
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


def comparison_did(rows, *, caption, table, chart_id="diagram-jamforelse-did"):
    """A bar per pilot area: how much its gap to the other departments changed after it
    joined (the difference in differences). ``rows``: [(area label, value or None)]; an
    area without a value is named in the text alternative, not drawn."""
    known = [(label, v) for label, v in rows if v is not None]
    missing = [label for label, v in rows if v is None]
    if not known:
        return empty(
            chart_id=chart_id, caption=caption, message="Ingen jämförelse att visa.", table=table
        )
    alt = f"{caption}: " + sentence_list(f"{label} {forandring(v)}" for label, v in known) + "."
    if missing:
        alt += " Utan värde: " + sentence_list(missing) + "."
    labels = [wrap_label(label, 20) for label, _ in known]
    height = 0.3 * len(known) + 0.45
    fig = make_figure(height)
    ax = fig.add_axes((0.36, 0.3 / height, 0.5, (0.3 * len(known)) / height))
    values = [v for _, v in known]
    ys = list(range(len(known)))[::-1]
    style = COMPARISON_STYLES["pilot"]
    ax.barh(ys, values, height=0.55, **bar_style(style))
    low, high = min(values + [0]), max(values + [0])
    pad = (high - low) * 0.05 or 1
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(-0.6, len(known) - 0.4)
    ax.axvline(0, color="#444444", linewidth=0.7)
    ax.set_axis_off()
    side = ax.get_yaxis_transform()
    for y, label, v in zip(ys, labels, values, strict=True):
        ax.text(-0.03, y, label, transform=side, ha="right", va="center", linespacing=1.1)
        ax.text(1.03, y, forandring(v), transform=side, ha="left", va="center")
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)
