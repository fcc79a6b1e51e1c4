"""The network map for the steering group's report: the contract the report reads.

Two steps, as the report's other figures: ``area_map(area_id)`` gathers the map as plain,
JSON-able data (for the report's frozen snapshot), and ``area_map_chart(data)`` draws it as
the report's SVG (matplotlib, ``presentation.charts``), with a text alternative and the
table it was drawn from. The report never shows contact persons (personal data seen only by
coordinators and the project leader), so the snapshot has none.

    from natverk import reporting as natverk_reporting
    snap["natverk"][area.code] = natverk_reporting.area_map(area.pk)      # when compiling
    chart = natverk_reporting.area_map_chart(snap["natverk"][code])       # when rendering
"""

from django.utils import timezone

from . import graph

# What each kind of node is called (the report's workbook names them).
KIND_LABELS = graph.KIND_LABELS

# Names written on the image: the central actors, the forums and the projects; the rest are
# marks (the table under the image names every one).
LABELLED = ("forum", "projekt", "omrade")


def area_map(area_id, *, today=None, until=None):
    """The area's map as plain data: {"nodes", "edges", "measures", "stale_before"} with the
    server's layout (x, y), without contact persons. Cached like the page's.

    until: the map as it stood at the end of that day (a past year's report: the relations
    up to the year's end, weighed from there), computed rather than cached."""
    if until is not None and until < timezone.localdate():
        return graph.build(graph.Filters(area_id=area_id, till=until), today=until)
    if today is None:
        return graph.cached(graph.Filters(area_id=area_id))
    return graph.build(graph.Filters(area_id=area_id), today=today)


def summary(data):
    """{"actors", "forums", "projects", "departments", "relations", "stale", "central"}."""
    kinds = {}
    for n in data["nodes"]:
        kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    return {
        "actors": kinds.get("aktor", 0),
        "forums": kinds.get("forum", 0),
        "projects": kinds.get("projekt", 0),
        "departments": kinds.get("avdelning", 0),
        "relations": len(data["edges"]),
        "stale": sum(1 for e in data["edges"] if e["stale"]),
        "central": [labels[i] for i in data["measures"]["central"]],
        "single_person": [labels[i] for i in data["measures"]["single_person"]],
        "single_activity": [labels[i] for i in data["measures"]["single_activity"]],
    }


def area_map_chart(data, *, caption="Nätverkskartan", chart_id="diagram-natverk"):
    """The map as the report's SVG Chart (presentation.charts.Chart): fresh relations solid
    green, stale ones dashed orange-red, each kind of node its own colour and shape."""
    from presentation import charts  # matplotlib loads slowly: only when drawing

    s = summary(data)
    table = charts.Table(
        header=["Namn", "Typ", "Senaste kontakt", "Inaktuell", "Relationer"],
        rows=[
            [
                n["label"],
                graph.KIND_LABELS[n["kind"]],
                n.get("last") or "",
                "ja" if n.get("stale") else "nej",
                n.get("degree", 0),
            ]
            for n in data["nodes"]
            if n["kind"] != "omrade"
        ],
    )
    if len(data["nodes"]) <= 1:
        return charts.empty(chart_id=chart_id, caption=caption, table=table)
    alt = (
        f"{caption}: {s['actors']} aktörer, {s['forums']} forum, {s['projects']} "
        f"strukturfondsprojekt och {s['departments']} avdelningar; {s['stale']} av "
        f"{s['relations']} relationer är inaktuella."
    )
    if s["central"]:
        alt += f" Mest centrala aktörer: {charts.sentence_list(s['central'])}."
    fig = charts.make_figure(4.3)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    ax.margins(0.14, 0.06)
    pos = {n["id"]: (n["x"], -n["y"]) for n in data["nodes"]}
    for e in data["edges"]:
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        ax.plot(
            [x1, x2],
            [y1, y2],
            color=charts.OKABE_ITO["vermillion"]
            if e["stale"]
            else charts.OKABE_ITO["bluish_green"],
            linestyle="--" if e["stale"] else "-",
            linewidth=min(0.5 + e["weight"], 3.0),
            alpha=0.6,
            zorder=1,
        )
    styles = {
        "omrade": (charts.OKABE_ITO["black"], "*", 120),
        "avdelning": (charts.OKABE_ITO["sky_blue"], "s", 40),
        "aktor": (charts.OKABE_ITO["blue"], "o", 30),
        "forum": (charts.OKABE_ITO["orange"], "h", 60),
        "projekt": (charts.OKABE_ITO["reddish_purple"], "D", 50),
    }
    central = set(data["measures"]["central"])
    for kind, (colour, marker, size) in styles.items():
        nodes = [n for n in data["nodes"] if n["kind"] == kind]
        if not nodes:
            continue
        ax.scatter(
            [pos[n["id"]][0] for n in nodes],
            [pos[n["id"]][1] for n in nodes],
            s=[size * (2 if n["id"] in central else 1) for n in nodes],
            c=colour,
            marker=marker,
            edgecolors=[
                charts.OKABE_ITO["vermillion"] if n.get("stale") else "white" for n in nodes
            ],
            linewidths=0.8,
            zorder=2,
            label=graph.KIND_LABELS[kind],
        )
        for n in nodes:
            if n["kind"] in LABELLED or n["id"] in central:
                x, y = pos[n["id"]]
                ax.annotate(
                    charts.wrap_label(n["label"], 20),
                    (x, y),
                    xytext=(0, -8),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=5.5,
                    color=charts.INK,
                    zorder=3,
                )
    ax.legend(loc="lower left", fontsize=5.5, frameon=False, ncols=3, markerscale=0.7)
    return charts.make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)
