"""Turning a snapshot into HTML, PDF (WeasyPrint) and XLSX (the exports module's writer).

Only the snapshot is read here, never the database, so the three outputs show the same
numbers. The charts are presentation/charts.py's (matplotlib SVG, drawn once per render);
the front page, "Att besluta" and the appendices are put together here (docs/rapport.md,
"Framsidan" and "PDF:en").
"""

import datetime
import io
import re

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from filer.exports import write_xlsx
from presentation.templatetags.tal import andel, antal, tal

STATUS_LABELS = {
    "total": "Totalt",
    "approved": "Godkända",
    "achieved": "Uppnådda",
    "at_risk": "I riskzonen",
    "not_achieved": "Ej uppnådda",
}

# --- The front page ---------------------------------------------------------------------

# A goal's status on the front page: a word and a symbol, never colour alone. The rule
# (goal_state) is documented in docs/rapport.md, "Framsidan".
GOAL_STATES = {
    "pa_vag": ("På väg", "✓"),
    "risk": ("Risk", "▲"),
    "efter": ("Efter", "✕"),
    "ej_uppfoljt": ("Ej uppföljt", "?"),
    "inga": ("Inga godkända", "–"),
}
# The overall assessment on the front page: about this many characters, then "läs hela".
EXCERPT_CHARS = 600


def goal_state(commitments):
    """The status of an activity goal from its approved commitments' outcomes: "efter"
    when more than half are at risk or not achieved, or at least a third not achieved;
    "risk" when at least a quarter are at risk or not achieved; else "pa_vag". "inga"
    without approved commitments, "ej_uppfoljt" when none has been followed up."""
    approved = commitments.get("approved") or 0
    if not approved:
        return "inga"
    achieved = commitments.get("achieved") or 0
    at_risk = commitments.get("at_risk") or 0
    not_achieved = commitments.get("not_achieved") or 0
    on_track = commitments.get("on_track")  # snapshots before schema 3 lack it
    if on_track is not None and not (achieved + at_risk + not_achieved + on_track):
        return "ej_uppfoljt"
    bad = at_risk + not_achieved
    if 2 * bad > approved or 3 * not_achieved >= approved:
        return "efter"
    if 4 * bad >= approved:
        return "risk"
    return "pa_vag"


def goal_states(snap):
    """Per activity goal: its status (word, symbol) and the numbers behind it, with last
    year's achieved where the snapshot has last year's figures."""
    previous = snap.get("previous_year") or {}
    before = {g["number"]: g["commitments"] for g in previous.get("goals", [])}
    rows = []
    for g in snap["goals"]:
        c = g["commitments"]
        state = goal_state(c)
        word, symbol = GOAL_STATES[state]
        b = before.get(g["number"])
        rows.append(
            {
                "number": g["number"],
                "title": g["title"],
                "state": state,
                "word": word,
                "symbol": symbol,
                "approved": c.get("approved") or 0,
                "achieved": c.get("achieved") or 0,
                "at_risk": c.get("at_risk") or 0,
                "not_achieved": c.get("not_achieved") or 0,
                "previous_achieved": b.get("achieved") if b else None,
                "change": (c.get("achieved") or 0) - b["achieved"] if b else None,
            }
        )
    return rows


def excerpt(text, limit=EXCERPT_CHARS):
    """(the first ``limit`` characters or so of the text, cut at a word, whether it was
    cut). The whole text goes to the appendix when it is longer."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[: space if space > limit // 2 else limit].rstrip(" ,;:–-") + " …", True


def area_years(snap):
    """Each area's own rows of the trend, from the year it joined (the appendix table per
    area, and the workbook's "Trend per område")."""
    return [
        {
            **area,
            "rows": [
                {"year": t["year"], **t["by_area"][area["code"]]}
                for t in snap["trend"]
                if area["code"] in t["by_area"]
            ],
        }
        for area in snap["areas"]
    ]


# The front page's charts by their ids (charts.for_snapshot's defaults: the SVG's ids
# start with it; the appendix table it came from is "<id>-tabell").
CHART_IDS = {
    "goals": "diagram-mal",
    "areas": "diagram-omraden",
    "trends": "diagram-trend",
    "costs": "diagram-kostnad",
}


def draw_charts(snap):
    """The front page's four charts from the snapshot (about 0.1 s together): drawn once
    per render, for the page and the PDF alike, each with its appendix table."""
    from presentation import charts  # matplotlib is slow to import; only where a chart is drawn

    # The whole project's costs by area (a handful of rows on the front page; the appendix
    # has every department); an area's edition has only its own departments.
    drawn = charts.for_snapshot(snap, costs_by="avdelning" if snap.get("area") else "omrade")
    return {
        key: {"id": CHART_IDS[key], "chart": chart, "table": chart_table(chart)}
        for key, chart in drawn.items()
    }


# Columns whose numbers are not counts: years and goal numbers as written, shares in percent.
_PLAIN_COLUMNS = ("År", "Mål", "Projektår", "NUTS", "Anslöt")


def _cell(header, value):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if header in _PLAIN_COLUMNS:
        return str(value)
    if header.startswith("Andel"):
        return andel(value)
    if header.startswith("Belopp"):
        return antal(value)
    return tal(value) if isinstance(value, float) else antal(value)


def chart_table(chart):
    """A chart's table (Chart.table: raw numbers) for the appendix: each cell formatted
    the Swedish way, numbers marked for right alignment."""
    header = chart.table.header
    return {
        "caption": f"Tabell: {chart.caption}",
        "header": [
            {"text": h, "num": i >= 1 and not h.startswith(("Område", "Rubrik", "Part"))}
            for i, h in enumerate(header)
        ],
        "rows": [
            [
                {"text": _cell(h, v), "num": not isinstance(v, str) and v is not None}
                for h, v in zip(header, row, strict=True)
            ]
            for row in chart.table.rows
        ],
    }


# --- The comparison with the departments outside the pilot (steering group's edition) ----

COMPARISON_GROUPS = ("pilot", "before", "others")


def comparison_measure(figure):
    return "andel avdelningar med ja" if figure["yes_no"] else "medel per avdelning"


def comparison_tables(comparison, figure):
    """(the year-by-year table, the difference-in-differences table) of one figure, as
    charts.Table's (header, rows, raw numbers): the charts are drawn from them, the
    appendix shows them (all figures' rows in one table each) and the workbook has the
    same numbers with the departments behind each mean. The group "before" (pilot areas'
    departments before they joined) only where it has a value."""
    groups = [
        g
        for g in COMPARISON_GROUPS
        if g != "before" or any(r["before"]["n"] for r in figure["by_year"])
    ]
    header = ["Grupp", *[str(r["year"]) for r in figure["by_year"]]]
    rows = [[comparison["groups"][g]] + [r[g]["mean"] for r in figure["by_year"]] for g in groups]
    did_header = [
        "Område",
        "Anslöt",
        "Området före",
        "Övriga före",
        "Området efter",
        "Övriga efter",
        "Förändring av skillnaden",
    ]
    did_rows = [
        [
            f"{a['code']} {a['name']}",
            a["joined"],
            a["area_before"],
            a["others_before"],
            a["area_after"],
            a["others_after"],
            a["did"],
        ]
        for a in figure["areas"]
    ]
    return (header, rows, groups), (did_header, did_rows)


def comparison_charts(snap):
    """Per key figure of the snapshot's comparison: the line chart (pilot, pilot areas
    before they joined, the others: the mean per department over the years) and the bars
    of the difference in differences per pilot area, each with its table; [] when the
    snapshot has no comparison (the national board's edition, an older snapshot)."""
    comparison = snap.get("comparison")
    if not comparison:
        return []
    from presentation import charts  # matplotlib is slow to import; only where a chart is drawn

    years = comparison["years"]
    out = []
    for f in comparison["figures"]:
        (header, rows, groups), (did_header, did_rows) = comparison_tables(comparison, f)
        series = [
            (g, comparison["groups"][g], [(r["year"], r[g]["mean"]) for r in f["by_year"]])
            for g in groups
        ]
        lines_id, did_id = f"diagram-jamforelse-{f['key']}", f"diagram-jamforelse-did-{f['key']}"
        lines = charts.comparison_lines(
            series,
            caption=f"{f['label']}, {comparison_measure(f)}, {years[0]}–{years[-1]}",
            table=charts.Table(header, rows),
            chart_id=lines_id,
        )
        did = charts.comparison_did(
            [(row[0], row[-1]) for row in did_rows],
            caption=f"{f['label']}: förändringen av skillnaden mot övriga avdelningar efter "
            "anslutningen",
            table=charts.Table(did_header, did_rows),
            chart_id=did_id,
        )
        lines = {"id": lines_id, "chart": lines, "table": chart_table(lines)}
        did = {"id": did_id, "chart": did, "table": chart_table(did)}
        out.append(
            {
                **f,
                "lines": lines,
                "did": did,
                "drawn": [lines, did],
                "missing": [
                    f"{a['code']} {a['name']}: {a['missing']}" for a in f["areas"] if a["missing"]
                ],
            }
        )
    return out


def national_part(snap):
    """The national activities apart, for the template: by goal and by type (rule 9),
    None in an area's edition or an older snapshot."""
    national = snap.get("national")
    if not national:
        return None
    goals = {g["number"]: g["title"] for g in snap["goals"]}
    return {
        **national,
        "goal_rows": [
            {"number": int(n), "title": goals.get(int(n), ""), "n": v}
            for n, v in sorted(national["by_goal"].items(), key=lambda kv: int(kv[0]))
        ],
    }


def area_guidelines(snap):
    """Each area's year in the project against the maturity guidance, in a sentence or
    two for the front page (docs/rapport.md, "Områdets år")."""
    rows = []
    for a in snap["areas"]:
        g = a.get("guideline")
        if g is None:  # a snapshot before schema 3
            continue
        if not g["rules"]:
            text = "ingen riktlinje för året"
        else:
            rules = ", ".join(f"{r['minimum']} under {r['title']}" for r in g["rules"])
            text = (
                f"{g['meeting']} av {g['departments']} avdelningar når riktlinjen (minst {rules})"
            )
        rows.append({**a, "guideline_text": text})
    return rows


# --- "Att besluta" (the steering group's edition) -----------------------------------------

_OPEN_STATUSES = (("draft", "utkast"), ("submitted", "inskickade"), ("returned", "återsända"))


def to_decide(version, snap):
    """What needs the steering group's attention or decision, as far as the snapshot can
    tell: the version itself, commitments not approved, approved ones without a
    follow-up, missing texts and costs, departments short of the guidance, goals behind.
    [{"title", "text", "items": [str]}]; the decisions themselves are listed beside them
    (Rapportversion.decisions: recorded on the versions, not in the snapshot)."""
    points = []
    if not version.is_approved:
        points.append(
            {
                "title": "Godkänna rapporten",
                "text": f"Version {version.number} väntar på styrgruppens beslut: godkänn den "
                "eller skicka tillbaka den med en kommentar.",
                "items": [],
            }
        )
    items = [c for g in snap["goals"] for c in g["items"]]
    by_area = {}
    for c in items:
        if c["status_code"] in dict(_OPEN_STATUSES):
            counts = by_area.setdefault(c["nuts_code"] or "Nationellt", {})
            counts[c["status_code"]] = counts.get(c["status_code"], 0) + 1
    if by_area:
        total = sum(sum(v.values()) for v in by_area.values())
        points.append(
            {
                "title": "Åtaganden som inte är godkända",
                "text": f"{antal(total)} av årets {antal(len(items))} åtaganden är inte "
                "godkända och ingår inte i utfallet.",
                "items": [
                    f"{code}: "
                    + ", ".join(
                        f"{antal(counts[k])} {label}" for k, label in _OPEN_STATUSES if k in counts
                    )
                    for code, counts in sorted(by_area.items())
                ],
            }
        )
    unfollowed = [c for c in items if c["status_code"] == "approved" and not c.get("outcome")]
    if unfollowed:
        points.append(
            {
                "title": "Godkända åtaganden utan uppföljning",
                "text": f"{antal(len(unfollowed))} godkända åtaganden har ingen uppföljning "
                "och räknas varken som uppnådda eller ej uppnådda.",
                "items": [],
            }
        )
    texts = []
    if not snap.get("overall"):
        texts.append("Projektledarens samlade bedömning")
    texts += [
        f"{a['code']} {a['name']}: samordnarens berättelse"
        for a in snap["areas"]
        if not a["narrative"]
    ]
    if texts:
        points.append({"title": "Texter som saknas", "text": "", "items": texts})
    if snap["costs"].get("warnings"):
        points.append(
            {"title": "Kostnaderna", "text": "", "items": list(snap["costs"]["warnings"])}
        )
    short = []
    for a in snap["areas"]:
        g = a.get("guideline")
        for d in (g or {}).get("short", []):
            gaps = ", ".join(
                f"{x['title']} {x['commitments']} av minst {x['minimum']}" for x in d["gaps"]
            )
            short.append(f"{a['code']} {d['avdelning']}: {gaps}")
    if short:
        points.append(
            {
                "title": "Avdelningar under riktlinjen för sitt projektår",
                "text": "",
                "items": short,
            }
        )
    behind = [g for g in goal_states(snap) if g["state"] == "efter"]
    if behind:
        points.append(
            {
                "title": "Verksamhetsmål som ligger efter",
                "text": "",
                "items": [
                    f"{g['number']} {g['title']}: {antal(g['achieved'])} av "
                    f"{antal(g['approved'])} uppnådda, {antal(g['at_risk'])} i riskzonen, "
                    f"{antal(g['not_achieved'])} ej uppnådda"
                    for g in behind
                ],
            }
        )
    return points


# --- The appendices and the table of contents --------------------------------------------


def appendices(snap, overall_cut):
    """[(key, title)] of the appendices in the edition's order, numbered; each is the
    section with id "bilaga-<key>"."""
    full = snap["full"]
    parts = [("nyckeltal", f"Nyckeltal {snap['year']} och förändringar")]
    parts.append(("mal", "Projektmål och verksamhetsmål"))
    if full:
        parts.append(("ataganden", "Åtaganden och utfall"))
        if snap.get("area_details"):
            parts.append(("avdelningar", "Per område och avdelning"))
        parts.append(("aktiviteter", "Aktiviteter, forum och relationer"))
    parts.append(("omraden", "Områden och utveckling över tid"))
    if snap.get("comparison"):
        parts.append(("jamforelse", "Jämförelse med avdelningarna utanför piloten"))
    parts.append(("kostnad", f"Kostnadsfördelning {snap['year']}"))
    # The sections issues 16 and 17 added, where the snapshot has them (an older one may not).
    if snap.get("utveckling"):
        parts.append(("utveckling", f"Nya områden: förslag och beslut {snap['year']}"))
    if full:
        parts.append(("berattelser", "Samordnarnas berättelser"))
    if snap.get("larande"):
        parts.append(("larande", "Analysmöten och lärdomar"))
    if snap.get("natverk"):
        parts.append(("natverk", "Nätverkskartan"))
    if overall_cut:
        parts.append(("bedomning", "Samlad bedömning i sin helhet"))
    if "beslutslogg" in snap:
        parts.append(("beslutslogg", f"Beslut om projektet {snap['year']}"))
    return [(key, f"Bilaga {n}. {title}") for n, (key, title) in enumerate(parts, start=1)]


def approver_name(version):
    """Who approved the version, by the person's name where the login has one."""
    user = version.approved_by
    if user is None:
        return ""
    try:
        return user.person.name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


# Key figures that are the whole project's also in an area's edition (the cost split).
WHOLE_PROJECT_FIGURES = {"cost_total", "cost_national", "cost_departments"}


def key_figures(snap):
    """The snapshot's key figures, labelled "hela projektet" in an area's edition where
    the figure is not the area's own."""
    if not snap.get("area"):
        return snap["key_figures"]
    return [
        {**k, "label": k["label"].replace(" (kr)", ", hela projektet (kr)")}
        if k["key"] in WHOLE_PROJECT_FIGURES
        else k
        for k in snap["key_figures"]
    ]


def cost_labels(snap):
    """The cost table's first and last rows: the national half and the total are the whole
    project's; in an area's edition the table lists only the area's departments."""
    if snap.get("area"):
        return {"national": "IF Metall (förbundet), hela projektet", "total": "Hela projektet"}
    return {"national": "IF Metall (förbundet)", "total": "Totalt"}


def cover_stamp(version):
    """The approval stamp on the cover (and at the top of the page)."""
    if not version.is_approved:
        return "Utkast: rapporten är ej godkänd av styrgruppen."
    day = timezone.localtime(version.approved_at).date().isoformat()
    name = approver_name(version)
    return f"Rapporten är godkänd av styrgruppen {day}" + (f" ({name})." if name else ".")


def context(version):
    """Everything the report body's template reads."""
    snap = version.snapshot
    goals = {g["number"]: g for g in snap["goals"]}
    projektmal = [
        {**p, "goal_rows": [goals[n] for n in p["goals"] if n in goals]} for p in snap["projektmal"]
    ]
    overall, overall_cut = excerpt(snap.get("overall", ""))
    parts = appendices(snap, overall_cut)
    comparison = comparison_charts(snap)
    return {
        "v": version,
        "s": snap,
        "stamp": cover_stamp(version),
        "overall_excerpt": overall,
        "overall_cut": overall_cut,
        "goal_states": goal_states(snap),
        "area_guidelines": area_guidelines(snap),
        "figures": draw_charts(snap),
        "projektmal": projektmal,
        "area_years": area_years(snap) if snap["full"] else [],
        "to_decide": to_decide(version, snap) if snap["full"] else [],
        "bilagor": dict(parts),
        "toc": [{"id": f"bilaga-{key}", "title": title} for key, title in parts]
        if snap["full"]
        else [],
        "status_labels": STATUS_LABELS,
        "approver": approver_name(version),
        "key_figures": key_figures(snap),
        "cost_labels": cost_labels(snap),
        "comparison": comparison,
        "comparison_pairs": [comparison[i : i + 2] for i in range(0, len(comparison), 2)],
        "national": national_part(snap),
        "natverk": network_figure(snap),
    }


def network_figure(snap):
    """The area's network map (steering group's area edition) as a figure with its table,
    and the summary the appendix's text reads; None when the snapshot has no map."""
    data = snap.get("natverk")
    if not data:
        return None
    from natverk import reporting as natverk_reporting  # draws with matplotlib

    area = snap.get("area") or {}
    chart = natverk_reporting.area_map_chart(
        data,
        caption=f"Nätverkskartan {area.get('code', '')} {snap['year']}".replace("  ", " "),
        chart_id="diagram-natverk",
    )
    table = chart_table(chart)
    for i, h in enumerate(table["header"]):  # names, kinds and dates, one count at the end
        h["num"] = i == len(table["header"]) - 1
    return {
        "id": "diagram-natverk",
        "chart": chart,
        "table": table,
        "summary": natverk_reporting.summary(data),
    }


def render_html(version):
    """The report body (no page chrome): shown on the version page and printed to PDF."""
    return render_to_string("rapporter/rapport_body.html", context(version))


# Part of the cache key: a page kept from before a change of the report's layout is not
# served after it (bump it when rapport_body.html changes what it shows).
LAYOUT = 4


def html_cache_key(version):
    """A finished version's HTML changes only with its approval: one key per state."""
    approved = version.approved_at.isoformat() if version.approved_at else "ej"
    return f"rapport-html:{LAYOUT}:{version.pk}:{approved}"


# In the PDF a chart's text alternative is its <title> (WeasyPrint tags the SVG as a
# Figure with the title as /Alt); on the page it is <title> and <desc> together.
_SVG_TEXT = re.compile(
    r'<title id="(?P<id>[\w-]+)-title">(?P<title>[^<]*)</title>\s*'
    r'<desc id="(?P=id)-desc">(?P<desc>[^<]*)</desc>'
)


def _pdf_alt(body):
    return _SVG_TEXT.sub(
        lambda m: (
            f'<title id="{m["id"]}-title">{m["title"]}. {m["desc"]}</title>'
            f'\n<desc id="{m["id"]}-desc">{m["desc"]}</desc>'
        ),
        body,
    )


# Tagged PDF for screen readers (WeasyPrint's PDF/UA-1 variant: structure tags, the title
# shown as the window title, the language from <html lang>).
PDF_VARIANT = "pdf/ua-1"


def pdf_document(version, body=None):
    """The report laid out on A4 pages (a WeasyPrint Document), from the same body as the
    page (``body``, rendered here if not given): render_pdf writes it, and the tests look
    at its pages (what is on the first two, where a heading ends up)."""
    from weasyprint import HTML  # heavy import, only where PDFs are made

    body = render_html(version) if body is None else body
    snap = version.snapshot
    html = render_to_string(
        "rapporter/rapport_pdf.html",
        {
            "v": version,
            "s": snap,
            "body": mark_safe(_pdf_alt(str(body))),  # noqa: S308 -- the body we rendered
            "created": snap.get("compiled_at", ""),
            "description": f"{version.title}, version {version.number}. {cover_stamp(version)}",
        },
    )
    return HTML(string=html, base_url=None).render(pdf_variant=PDF_VARIANT)


def render_pdf(version, body=None):
    """The PDF: tagged (PDF/UA-1) with the report's title and language, bookmarks from
    the headings (h1–h3), headers repeated on each page a table runs over."""
    return pdf_document(version, body).write_pdf(pdf_variant=PDF_VARIANT)


# --- XLSX ----------------------------------------------------------------------------
# The sheets and their columns are documented in docs/rapport.md; change both together.


def workbook_sheets(snap):
    """[(sheet title, header, rows)] for the snapshot; the documented workbook contract.
    One function per sheet below, in the workbook's order."""
    sheets = [_key_figures_sheet(snap), _goals_sheet(snap)]
    if snap["full"]:
        sheets.append(_commitments_sheet(snap))
    if snap.get("area_details"):
        sheets += [_area_goals_sheet(snap), _departments_sheet(snap)]
    sheets += [
        _indicators_sheet(snap),
        _activities_sheet(snap),
        _forums_sheet(snap),
        _fund_projects_sheet(snap),
        _trend_sheet(snap),
        _area_trend_sheet(snap),
        _areas_sheet(snap),
        _guidelines_sheet(snap),
        _costs_sheet(snap),
    ]
    if (snap.get("national") or {}).get("list"):
        sheets.append(_national_sheet(snap))
    if snap.get("comparison"):
        sheets += [_comparison_sheet(snap), _comparison_did_sheet(snap)]
    larande = snap.get("larande") or {}
    if larande.get("actions"):
        sheets.append(_actions_sheet(snap))
    if larande.get("lessons"):
        sheets.append(_lessons_sheet(snap))
    if snap.get("utveckling"):
        sheets.append(_candidates_sheet(snap))
    if snap.get("beslutslogg"):
        sheets.append(_decisions_sheet(snap))
    if snap.get("natverk"):
        sheets.append(_network_sheet(snap))
    if snap.get("changes"):
        sheets.append(_changes_sheet(snap))
    return sheets


def _key_figures_sheet(snap):
    return (
        "Nyckeltal",
        ["Nyckeltal", "Värde"],
        [[k["label"], k["value"]] for k in key_figures(snap)],
    )


def _goals_sheet(snap):
    """The activity goals, with last year's approved and achieved (the front page's
    change; empty when the report has no last year)."""
    previous = snap.get("previous_year") or {}
    before = {g["number"]: g["commitments"] for g in previous.get("goals", [])}
    return (
        "Verksamhetsmål",
        [
            "Mål",
            "Rubrik",
            "Projektmål",
            "Åtaganden",
            "Godkända",
            "Uppnådda",
            "I riskzonen",
            "Ej uppnådda",
            "Mätbara mål",
            "Mål nådda",
            "Aktiviteter",
            "Godkända förra året",
            "Uppnådda förra året",
        ],
        [
            [
                g["number"],
                g["title"],
                g["projektmal"],
                g["commitments"]["total"],
                g["commitments"]["approved"],
                g["commitments"]["achieved"],
                g["commitments"]["at_risk"],
                g["commitments"]["not_achieved"],
                g["commitments"].get("targets"),
                g["commitments"].get("targets_met"),
                g["activities"],
                before.get(g["number"], {}).get("approved"),
                before.get(g["number"], {}).get("achieved"),
            ]
            for g in snap["goals"]
        ],
    )


def _commitments_sheet(snap):
    """Full edition: one row per measurable target (a commitment without one, one row)."""
    return (
        "Åtaganden",
        [
            "Mål",
            "Ägare",
            "Ägartyp",
            "NUTS",
            "Avdelning",
            "Åtagande",
            "Status",
            "Indikator",
            "Enhet",
            "Utgångsläge",
            "Mål",
            "Mål kvinnor",
            "Mål män",
            "Utfall",
            "Utfall kvinnor",
            "Utfall män",
            "Andel uppnådd",
            "Uppföljning",
        ],
        [
            [
                c["goal"],
                c["owner"],
                c["owner_type"],
                c["nuts_code"],
                c["avdelning"],
                c["title"],
                c["status"],
                t["indicator"],
                t["unit"],
                t["baseline"],
                t["target"],
                t["target_women"],
                t["target_men"],
                t["actual"],
                t["actual_women"],
                t["actual_men"],
                t["share"],
                t["followup_status"],
            ]
            for g in snap["goals"]
            for c in g["items"]
            for t in (c["targets"] or [_NO_TARGET])
        ],
    )


def _area_goals_sheet(snap):
    return (
        "Område per mål",
        ["NUTS", "Mål", "Rubrik", *_TALLY_HEADER, "Aktiviteter"],
        [
            [a["code"], g["number"], g["title"], *_tally_cells(g["commitments"])]
            + [g["activities"]]
            for a in snap["area_details"]
            for g in a["goals"]
        ],
    )


def _departments_sheet(snap):
    """Each area's departments, then a row per area for its shared commitments."""
    return (
        "Avdelningar",
        ["NUTS", "Avdelning", *_TALLY_HEADER, "Aktiviteter"],
        [
            [a["code"], d["avdelning"], *_tally_cells(d["commitments"]), d["activities"]]
            for a in snap["area_details"]
            for d in a["departments"]
        ]
        + [
            [a["code"], "Områdesgemensamma åtaganden"]
            + _tally_cells(a["area_commitments"])
            + [None]
            for a in snap["area_details"]
        ],
    )


def _indicators_sheet(snap):
    return (
        "Indikatorer",
        [
            "Mål",
            "Indikator",
            "Enhet",
            "Mål, alla åtaganden",
            "Mål kvinnor, alla åtaganden",
            "Mål män, alla åtaganden",
            "Mål, godkända åtaganden",
            "Utfall (godkända åtaganden)",
            "Utfall kvinnor",
            "Utfall män",
        ],
        [
            [
                i["goal"],
                i["indicator"],
                i["unit"],
                i["target"],
                i.get("target_women"),
                i.get("target_men"),
                i.get("target_approved"),
                i["actual"],
                i["actual_women"],
                i["actual_men"],
            ]
            for i in snap["indicators"]
        ],
    )


def _activities_sheet(snap):
    activities = snap["activities"]
    national = snap.get("national") or {}
    return (
        "Aktiviteter",
        ["Fördelning", "Värde", "Antal"],
        [["Område", k, v] for k, v in activities["by_area"].items()]
        + [["Typ", k, v] for k, v in activities["by_type"].items()]
        + [["Aktörstyp", k, v] for k, v in activities["actors_by_type"].items()]
        # The national ones apart (rule 9): in the totals above, in no area's row.
        + ([["Nationella", "Totalt", national["total"]]] if national else [])
        + [["Nationella per typ", k, v] for k, v in national.get("by_type", {}).items()]
        + [["Nationella per mål", k, v] for k, v in national.get("by_goal", {}).items() if v],
    )


def _national_sheet(snap):
    """Full edition: the year's national activities one by one."""
    return (
        "Nationella aktiviteter",
        ["Datum", "Aktivitet", "Typ", "Avdelningar", "Mål", "Kvinnor", "Män", "Annat"],
        [
            [
                a["date"],
                a["title"],
                a["type"],
                ", ".join(a["departments"]),
                ", ".join(str(n) for n in a["goals"]),
                a["women"],
                a["men"],
                a["other"],
            ]
            for a in snap["national"]["list"]
        ],
    )


def _comparison_sheet(snap):
    """The comparison year by year: one row per key figure, year and group."""
    comparison = snap["comparison"]
    labels = comparison["groups"]
    return (
        "Jämförelse per år",
        ["Nyckeltal", "År", "Grupp", "Avdelningar med värde", "Summa", "Medel per avdelning"]
        + ["Per 1 000 medlemmar"],
        [
            [f["label"], r["year"], labels[g], r[g]["n"]]
            + [r[g]["total"] if r[g]["n"] else None, r[g]["mean"]]
            # Per 1 000 members only for a count (not the members, not a yes/no figure).
            + [r[g]["per_1000"] if f["count"] else None]
            for f in comparison["figures"]
            for r in f["by_year"]
            for g in COMPARISON_GROUPS
            if g != "before" or r[g]["n"]
        ],
    )


def _comparison_did_sheet(snap):
    """Each pilot area before and after it joined against the others, per key figure."""
    comparison = snap["comparison"]
    return (
        "Jämförelse före och efter",
        [
            "Nyckeltal",
            "NUTS",
            "Område",
            "Anslöt",
            "Avdelningar",
            "Området före",
            "Övriga före",
            "Området efter",
            "Övriga efter",
            "Förändring av skillnaden",
            "Not",
        ],
        [
            [f["label"], a["code"], a["name"], a["joined"], a["departments"]]
            + [a["area_before"], a["others_before"], a["area_after"], a["others_after"]]
            + [a["did"], a["missing"] or comparison["caveat"]]
            for f in comparison["figures"]
            for a in f["areas"]
        ],
    )


def _forums_sheet(snap):
    return (
        "Forum",
        ["Forum", "Område", "Typ", "Platser", "Initierat av IF Metall"],
        [
            [f["name"], f["area"], f["type"], f["seats"], _yes_no(f["initiated"])]
            for f in snap["forums"]["list"]
        ],
    )


def _fund_projects_sheet(snap):
    return (
        "Strukturfondsprojekt",
        ["Projekt", "Fond", "IF Metalls roll", "Budget", "Deltagare", "Områden"],
        [
            [
                p["name"],
                p["fund"],
                p["role"],
                p["budget"],
                p["participants"],
                ", ".join(p["areas"]),
            ]
            for p in snap["fund_projects"]
        ],
    )


def _trend_sheet(snap):
    return (
        "Trend",
        ["År"] + [label for key, label in _TREND_COLUMNS],
        [[t["year"]] + [t[key] for key, _ in _TREND_COLUMNS] for t in snap["trend"]],
    )


def _area_trend_sheet(snap):
    """Each area from the year it joined, in both editions (the page, only in the full one)."""
    return (
        "Trend per område",
        ["NUTS", "År", "Projektår", "Åtaganden", "Uppnådda", "Aktiviteter"],
        [
            [
                a["code"],
                r["year"],
                r["maturity"],
                r["commitments"],
                r.get("commitments_achieved"),
                r["activities"],
            ]
            for a in area_years(snap)
            for r in a["rows"]
        ],
    )


def _areas_sheet(snap):
    return (
        "Områden",
        [
            "NUTS",
            "Område",
            "Med sedan",
            "Projektår",
            "Åtaganden",
            "Uppnådda",
            "Aktiviteter",
            "Forum med plats",
            "Strukturfondsprojekt",
            "Avdelningar",
            "Når riktlinjen",
        ],
        [
            [
                a["code"],
                a["name"],
                a["joined"],
                a["maturity"],
                a["commitments"],
                a.get("commitments_achieved"),
                a["activities"],
                a.get("forums_with_seat"),
                a.get("fund_projects"),
                (a.get("guideline") or {}).get("departments"),
                (a.get("guideline") or {}).get("meeting"),
            ]
            for a in snap["areas"]
        ],
    )


def _guidelines_sheet(snap):
    """Each area's departments against the maturity guidance of its project year."""
    return (
        "Riktlinjer",
        ["NUTS", "Projektår", "Projektmål", "Minst per avdelning", "Avdelningar", "Når den"],
        [
            [a["code"], a["maturity"], r["title"], r["minimum"]]
            + [a["guideline"]["departments"], r["meeting"]]
            for a in snap["areas"]
            if a.get("guideline")
            for r in a["guideline"]["rules"]
        ],
    )


def _costs_sheet(snap):
    """The national half first, the departments, what could not be distributed, the total."""
    costs, labels = snap["costs"], cost_labels(snap)
    return (
        "Kostnadsfördelning",
        ["Part", "NUTS", "Aktiva medlemmar 1 jan", "Andel av medlemmarna", "Belopp (kr)"],
        [[labels["national"], "", None, None, costs["national"]]]
        + [
            [r["avdelning"], r["nuts_code"], r["members"], r["share"], r["amount"]]
            for r in costs["rows"]
        ]
        + (
            [["Ej fördelat", "", None, None, costs["undistributed"]]]
            if costs.get("undistributed")
            else []
        )
        + [[labels["total"], "", None, None, costs["total"]]],
    )


def _actions_sheet(snap):
    """The year's actions from analysis meetings, with their status and the commitments
    they led to."""
    return (
        "Åtgärder",
        ["NUTS", "Möte", "Mötesdatum", "Åtgärd", "Ansvarig", "Klart senast", "Status", "Klar"]
        + ["Åtaganden"],
        [
            [
                a["area"] or "nationellt",
                a["meeting"],
                a["meeting_date"],
                a["what"],
                a["owner"],
                a["due"],
                a["status"],
                a["done_on"],
                "; ".join(f"{c['title']} ({c['owner']}, {c['year']})" for c in a["commitments"]),
            ]
            for a in snap["larande"]["actions"]
        ],
    )


def _lessons_sheet(snap):
    return (
        "Lärdomar",
        ["NUTS", "Område", "Det här fungerade", "Det här fungerade inte", "Det här ska spridas"],
        [
            [x["area"], x["area_name"], x["worked"], x["did_not_work"], x["to_spread"]]
            for x in snap["larande"]["lessons"]
        ],
    )


def _yes_no(value):
    return None if value is None else ("ja" if value else "nej")


def _candidates_sheet(snap):
    """The year's proposals and decisions on new areas (the whole project's editions)."""
    rows = []
    for k in snap["utveckling"]:
        steering, board = k.get("steering") or {}, k.get("board") or {}
        rows.append(
            [
                k["area"],
                k["name"],
                k["start"],
                k["status"],
                k["score_total"],
                k["scored"],
                k["proposed_on"],
                _yes_no(steering.get("recommended")),
                steering.get("on"),
                _yes_no(board.get("yes")),
                board.get("on"),
                board.get("joined_on"),
            ]
        )
    return (
        "Nya områden",
        ["NUTS", "Område", "Start", "Status", "Poäng", "Bedömda kriterier", "Föreslaget"]
        + ["Styrgruppen tillstyrker", "Styrgruppens beslut", "Förbundsstyrelsen ja"]
        + ["Förbundsstyrelsens beslut", "Deltar från"],
        rows,
    )


def _decisions_sheet(snap):
    """The year's decisions in the decision log, oldest first."""
    return (
        "Beslut",
        ["Datum", "Organ", "Typ", "Beslut", "Paragraf", "NUTS", "Beskrivning", "Länkar"],
        [
            [
                b["date"],
                b["body"],
                b["kind"],
                b["title"],
                b["paragraph"],
                b["area"],
                b["description"],
                "; ".join(f"{link['label']}: {link['url']}" for link in b["links"]),
            ]
            for b in snap["beslutslogg"]
        ],
    )


def _network_sheet(snap):
    """The area's network map at the year's end as a table (the steering group's area
    edition): every node but the area's own, with its relations."""
    from natverk import reporting as natverk_reporting  # networkx is slow to import

    data = snap["natverk"]
    central = set(data["measures"]["central"])
    return (
        "Nätverkskartan",
        ["Namn", "Typ", "Beskrivning", "Senaste kontakt", "Inaktuell", "Centralitet"]
        + ["Central", "Relationer"],
        [
            [
                n["label"],
                natverk_reporting.KIND_LABELS.get(n["kind"], n["kind"]),
                n.get("detail", ""),
                n.get("last"),
                _yes_no(n.get("stale")),
                n.get("centrality"),
                _yes_no(n["id"] in central),
                n.get("degree", 0),  # as the PDF's table under the map
            ]
            for n in data["nodes"]
            if n["kind"] != "omrade"
        ],
    )


def _changes_sheet(snap):
    changes = snap["changes"]
    return (
        "Förändringar",
        [
            "Nyckeltal",
            # Snapshots from before the label existed name the same year's version.
            changes.get("label") or f"Version {changes['version']}",
            "Denna version",
            "Skillnad",
        ],
        [[r["label"], r["previous"], r["current"], r["diff"]] for r in changes["rows"]],
    )


_TALLY_HEADER = [
    "Åtaganden",
    "Godkända",
    "Uppnådda",
    "I riskzonen",
    "Ej uppnådda",
    "Mätbara mål",
    "Mål nådda",
]


def _tally_cells(t):
    keys = ("total", "approved", "achieved", "at_risk", "not_achieved", "targets", "targets_met")
    return [t[k] for k in keys]


_NO_TARGET = dict.fromkeys(
    (
        "indicator",
        "unit",
        "baseline",
        "target",
        "target_women",
        "target_men",
        "actual",
        "actual_women",
        "actual_men",
        "share",
        "followup_status",
    )
)

_TREND_COLUMNS = [
    ("commitments", "Åtaganden"),
    ("commitments_approved", "Godkända"),
    ("commitments_achieved", "Uppnådda"),
    ("activities", "Aktiviteter"),
    ("participants_women", "Deltagare kvinnor"),
    ("participants_men", "Deltagare män"),
    ("participants_other", "Deltagare annat"),
    ("forums_with_seat", "Forum med plats"),
    ("fund_projects", "Strukturfondsprojekt"),
]


def approval_stamp(version):
    """The approval as the cover says it: date, approver, by whom on whose behalf."""
    if not version.is_approved:
        return "ej godkänd"
    day = timezone.localtime(version.approved_at).date().isoformat()
    name = approver_name(version)
    return f"{day}, {name} (styrgruppen)" if name else f"{day} (styrgruppen)"


def cover_sheet(version):
    """The workbook's first sheet: which report this is and whether it is approved. The
    files are rendered again when the steering group approves (rapport_approve)."""
    snap = version.snapshot
    compiled = snap.get("compiled_at", "")
    if compiled:
        compiled = timezone.localtime(datetime.datetime.fromisoformat(compiled)).date().isoformat()
    return (
        "Rapport",
        ["Uppgift", "Värde"],
        [
            ["Rapport", version.title],
            ["Version", version.number],
            ["Sammanställd", compiled],
            ["Godkänd", approval_stamp(version)],
        ],
    )


def render_xlsx(snap, version):
    buf = io.BytesIO()
    write_xlsx(buf, [cover_sheet(version), *workbook_sheets(snap)])
    return buf.getvalue()
