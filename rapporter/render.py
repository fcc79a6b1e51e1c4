"""Turning a snapshot into HTML, PDF (WeasyPrint) and XLSX (the exports module's writer).

Only the snapshot is read here, never the database, so the three outputs show the same
numbers. Charts are plain SVG drawn in Python (no JavaScript, nothing from outside).
"""

import datetime
import io
from html import escape

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from filer.exports import write_xlsx

STATUS_LABELS = {
    "total": "Totalt",
    "approved": "Godkända",
    "achieved": "Uppnådda",
    "at_risk": "I riskzonen",
    "not_achieved": "Ej uppnådda",
}


def bar_chart(title, items, *, width=520, bar_height=18):
    """A horizontal bar chart as an SVG string. items: [(label, number)].

    Drawn in a width x height coordinate system (viewBox) and shown at the width of its
    container: on a phone the whole chart shrinks instead of being cut off. CSS caps how
    wide it grows (app.css, the PDF's style)."""
    items = [(str(label), value or 0) for label, value in items]
    label_w, gap, top = 230, 6, 24
    height = top + len(items) * (bar_height + gap) + 4
    peak = max((v for _, v in items), default=0) or 1
    span = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'style="width:100%;height:auto" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{escape(title)}" class="rapport-chart">',
        f'<text x="0" y="14" font-size="13" font-weight="bold" fill="#1a1a1a">{escape(title)}'
        "</text>",
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        w = round(span * value / peak, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height - 5}" font-size="11" '
            f'text-anchor="end" fill="#1a1a1a">{escape(_short(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_height}" fill="#0a4a8c"/>'
            f'<text x="{label_w + w + 4}" y="{y + bar_height - 5}" font-size="11" '
            f'fill="#1a1a1a">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text part is escaped above


def _short(label, limit=38):
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def charts(snap):
    trend = snap["trend"]
    return {
        "goals": bar_chart(
            "Aktiviteter per verksamhetsmål",
            [(f"{g['number']} {g['title']}", g["activities"]) for g in snap["goals"]],
        ),
        "commitments": bar_chart(
            "Åtaganden per verksamhetsmål",
            [(f"{g['number']} {g['title']}", g["commitments"]["total"]) for g in snap["goals"]],
        ),
        "trend": bar_chart(
            "Aktiviteter per år", [(str(t["year"]), t["activities"]) for t in trend]
        ),
        "trend_commitments": bar_chart(
            "Åtaganden per år", [(str(t["year"]), t["commitments"]) for t in trend]
        ),
    }


def area_trends(snap):
    """Each area's own rows of the trend, from the year it joined (full edition)."""
    if not snap["full"]:
        return []
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


def context(version):
    snap = version.snapshot
    goals = {g["number"]: g for g in snap["goals"]}
    projektmal = [
        {**p, "goal_rows": [goals[n] for n in p["goals"] if n in goals]} for p in snap["projektmal"]
    ]
    return {
        "v": version,
        "s": snap,
        "projektmal": projektmal,
        "area_trends": area_trends(snap),
        "charts": charts(snap),
        "status_labels": STATUS_LABELS,
        "approver": approver_name(version),
        "key_figures": key_figures(snap),
        "cost_labels": cost_labels(snap),
    }


def render_html(version):
    """The report body (no page chrome): shown on the version page and printed to PDF."""
    return render_to_string("rapporter/rapport_body.html", context(version))


def html_cache_key(version):
    """A finished version's HTML changes only with its approval: one key per state."""
    approved = version.approved_at.isoformat() if version.approved_at else "ej"
    return f"rapport-html:{version.pk}:{approved}"


def render_pdf(version, body=None):
    from weasyprint import HTML  # heavy import, only where PDFs are made

    body = render_html(version) if body is None else body
    html = render_to_string("rapporter/rapport_pdf.html", {**context(version), "body": body})
    return HTML(string=html, base_url=None).write_pdf()


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
        _costs_sheet(snap),
    ]
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
    return (
        "Aktiviteter",
        ["Fördelning", "Värde", "Antal"],
        [["Område", k, v] for k, v in activities["by_area"].items()]
        + [["Typ", k, v] for k, v in activities["by_type"].items()]
        + [["Aktörstyp", k, v] for k, v in activities["actors_by_type"].items()],
    )


def _forums_sheet(snap):
    return (
        "Forum",
        ["Forum", "Område", "Typ", "Platser", "Initierat av IF Metall"],
        [
            [f["name"], f["area"], f["type"], f["seats"], "ja" if f["initiated"] else "nej"]
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
            for a in area_trends({**snap, "full": True})
            for r in a["rows"]
        ],
    )


def _areas_sheet(snap):
    return (
        "Områden",
        ["NUTS", "Område", "Med sedan", "Projektår", "Åtaganden", "Uppnådda", "Aktiviteter"],
        [
            [
                a["code"],
                a["name"],
                a["joined"],
                a["maturity"],
                a["commitments"],
                a.get("commitments_achieved"),
                a["activities"],
            ]
            for a in snap["areas"]
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
