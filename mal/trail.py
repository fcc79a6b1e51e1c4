"""A commitment's history as its board reads it: Swedish field names, people's names, and
values as the commitment page shows them (goal and indicator names, status labels,
numbers with a decimal comma), never codes, ids, dicts or usernames.

The trail (historik) stores what the services wrote: attribute names and raw values.
This module only reads it.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format

from .models import Atagande, Indikator, Malvarde, Uppfoljning, Verksamhetsmal, display_name

STATUS_LABELS = dict(Atagande.Status.choices)
FOLLOW_UP_LABELS = dict(Uppfoljning.Status.choices)
TARGET_PARTS = [
    ("baseline", "utgångsläge"),
    ("target", "mål"),
    ("target_women", "kvinnor"),
    ("target_men", "män"),
]


def number(value):
    """12.00 → 12, 2.50 → 2,5, 30000 → 30 000; text that is not a number as it is."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    d = d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()
    return number_format(d, force_grouping=True)


def _field_label(model, name):
    for candidate in (name, name.removesuffix("_id")):
        try:
            label = str(model._meta.get_field(candidate).verbose_name)
        except FieldDoesNotExist:
            continue
        return label[:1].upper() + label[1:]
    return name[:1].upper() + name[1:]


class Reader:
    """Names for the ids a trail holds (goals, indicators), each table read once."""

    def __init__(self):
        self.goals = {vm.pk: str(vm) for vm in Verksamhetsmal.objects.all()}
        self.indicators = {i.pk: i.name for i in Indikator.objects.all()}

    def target(self, value):
        if not isinstance(value, dict):
            return self.plain(value)
        name = value.get("name") or self.indicators.get(value.get("indikator_id"), "")
        parts = [name] if name else []
        unit = value.get("unit") or ""
        for key, word in TARGET_PARTS:
            if value.get(key) is not None:
                parts.append(
                    f"{word} {number(value[key])}{' ' + unit if key == 'target' and unit else ''}"
                )
        return ", ".join(parts) or "–"

    def actual(self, value):
        if not isinstance(value, list):
            return self.plain(value)
        total, women, men = [*value, None, None, None][:3]
        text = number(total) if total is not None else "–"
        split = [f"{w} {number(v)}" for w, v in (("kvinnor", women), ("män", men)) if v is not None]
        return f"{text} ({', '.join(split)})" if split else text

    def plain(self, value):
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, int | float | Decimal):
            return number(value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {self.plain(v)}" for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(self.plain(v) for v in value)
        return str(value)

    def change(self, key, before, after):
        """(label, before, after) of one entry of Handelse.changes, as text."""
        if key == "status":
            fmt = lambda v: STATUS_LABELS.get(v, self.plain(v))  # noqa: E731
            return "Status", fmt(before), fmt(after)
        if key == "läge":
            fmt = lambda v: FOLLOW_UP_LABELS.get(v, self.plain(v))  # noqa: E731
            return "Läge", fmt(before), fmt(after)
        if key == "verksamhetsmal_id":
            fmt = lambda v: self.goals.get(v, self.plain(v)) if v is not None else "–"  # noqa: E731
            return "Verksamhetsmål", fmt(_int(before)), fmt(_int(after))
        if key.startswith("målvärde "):
            return (
                f"Målvärde {key.removeprefix('målvärde ')}",
                self.target(before),
                self.target(after),
            )
        if key.startswith("utfall "):
            return f"Utfall {key.removeprefix('utfall ')}", self.actual(before), self.actual(after)
        model = Malvarde if key in {"indikator_id", "target", "baseline"} else Atagande
        if key in {"resources_sek", "resources_hours", "resources_people"}:
            return _field_label(model, key), self.plain_number(before), self.plain_number(after)
        return _field_label(model, key), self.plain(before), self.plain(after)

    def plain_number(self, value):
        return "–" if value is None or value == "" else number(value)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


# Notes written before the trail was made readable named the source row by id.
_OLD_ID = re.compile(r" \(åtagande \d+\)")


def rows(handelser):
    """[{at, who, what, changes: [(label, before, after)]}] for the page."""
    reader = Reader()
    out = []
    for h in handelser:
        who = display_name(h.user) if h.user_id else ("borttagen användare" if h.username else "–")
        note = _OLD_ID.sub("", h.note)
        what = h.get_action_display() + (f": {note}" if note else "")
        changes = [
            reader.change(k, *(list(v) + [None, None])[:2])
            if isinstance(v, list | tuple)
            else reader.change(k, None, v)
            for k, v in (h.changes or {}).items()
        ]
        # A new commitment records its empty fields too: "– → –" says nothing.
        changes = [c for c in changes if c[1:] != ("–", "–")]
        out.append({"at": h.at, "who": who, "what": what, "changes": changes})
    return out
