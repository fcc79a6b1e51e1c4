"""The questionnaire's charts, drawn with the report's charting library
(``presentation.charts``: matplotlib SVG, text kept as text, a text alternative and the
table each chart was drawn from). Plain data in (enkater.reporting), a Chart out.

- ``answer_counts``: how many chose each option (scale 1–5, single and multiple choice),
  one horizontal bar per option with its count written beside it.
- ``means_by_year``: a scale or number question's mean per year (the comparison).
"""

from presentation.charts import (
    OKABE_ITO,
    Style,
    Table,
    bar_style,
    empty,
    make_chart,
    make_figure,
    sentence_list,
    wrap_label,
)
from presentation.templatetags.tal import antal, tal

BAR = Style(OKABE_ITO["blue"])
PREVIOUS = Style(OKABE_ITO["sky_blue"], hatch="///")


def _bars(rows, *, caption, alt, table, chart_id, fmt, style=BAR):
    """Horizontal bars [(label, value)], the value written at the end of each bar."""
    labels = [wrap_label(label, 24) for label, _ in rows]
    height = 0.28 * len(rows) + 0.35
    fig = make_figure(height)
    ax = fig.add_axes((0.4, 0.2 / height, 0.46, (0.28 * len(rows)) / height))
    values = [float(v or 0) for _, v in rows]
    ys = list(range(len(rows)))[::-1]
    ax.barh(ys, values, height=0.6, **bar_style(style))
    ax.set_xlim(0, (max(values) or 1) * 1.05)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_axis_off()
    side = ax.get_yaxis_transform()
    for y, label, (_, v) in zip(ys, labels, rows, strict=True):
        ax.text(-0.03, y, label, transform=side, ha="right", va="center", linespacing=1.1)
        ax.text(float(v or 0), y, " " + fmt(v), ha="left", va="center")
    return make_chart(fig, chart_id=chart_id, caption=caption, alt=alt, table=table)


def answer_counts(question, *, chart_id):
    """The options of a question and how many answers chose each."""
    caption = question["text"]
    rows = question["counts"]
    table = Table(header=["Svar", "Antal"], rows=[[label, n] for label, n in rows])
    if not rows or question["answered"] == 0:
        return empty(chart_id=chart_id, caption=caption, message="Inga svar ännu", table=table)
    alt = (
        f"{caption}: {antal(question['answered'])} svar. "
        + sentence_list(f"{label}: {antal(n)}" for label, n in rows)
        + "."
    )
    if question.get("mean") is not None:
        alt += f" Medelvärde {tal(question['mean'])}."
    return _bars(rows, caption=caption, alt=alt, table=table, chart_id=chart_id, fmt=antal)


def means_by_year(item, *, chart_id):
    """Mean per year of one question (same lineage) in the compared questionnaires."""
    caption = f"{item['text']}: medelvärde per år"
    rows = [(str(y["year"]), y["mean"]) for y in item["years"] if y["mean"] is not None]
    table = Table(
        header=["År", "Svar", "Medelvärde"],
        rows=[[y["year"], y["answered"], y["mean"]] for y in item["years"]],
    )
    if not rows:
        return empty(
            chart_id=chart_id, caption=caption, message="Inga svar att jämföra", table=table
        )
    alt = f"{caption}: " + sentence_list(f"{year} {tal(v)}" for year, v in rows) + "."
    return _bars(rows, caption=caption, alt=alt, table=table, chart_id=chart_id, fmt=tal)
