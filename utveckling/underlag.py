"""What the assessment shows beside the criteria: the candidate area's departments, their
key figures (read through ``nyckeltal.reporting``) and the activities with them (through
``aktiviteter.reporting``), and the effect on the cost split (``avdelningar.kostnadsnyckel``).
A constant number of queries whatever the number of candidates or departments.
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from aktiviteter.reporting import area_department_activities
from avdelningar.kostnadsnyckel import Nyckel, nyckel
from avdelningar.models import Avdelning, Deltagande
from nyckeltal.reporting import FIGURES, key_figures

# Activities with the area's departments over the last years, as evidence.
ACTIVITY_YEARS = 3


# Where the labels' long compounds may break (a soft hyphen), as on the key-figure pages:
# on a phone the first column is narrow.
BREAKS = [
    "arbetsmarknads",
    "Arbetsmarknads",
    "kompetens",
    "örändrings",
    "samverkans",
    "Strukturfonds",
    "Arbets",
    "avdelningar",
    "Närings",
]


def breakable(label):
    for part in BREAKS:
        label = label.replace(part, part + "\u00ad")
    return label


def figures_year(today=None):
    """The key figures shown: last year's, the latest whole year."""
    return (today or timezone.localdate()).year - 1


def area_figures(nuts_ids, *, year):
    """{area id: {"departments": [names], "members": n, "figures": [{label, unit,
    value}]}}: the area's departments' key figures for the year added up (a yes/no figure
    as how many departments have it)."""
    departments = list(
        Avdelning.objects.filter(nuts_omrade_id__in=list(nuts_ids))
        .order_by("name")
        .values_list("pk", "name", "nuts_omrade_id")
    )
    figures = key_figures(years=[year], avdelning_ids=[pk for pk, _n, _a in departments])
    out = {}
    by_area = defaultdict(list)
    for pk, name, area in departments:
        by_area[area].append((pk, name))
    for area in nuts_ids:
        rows = by_area.get(area, [])
        values = [figures[pk][year] for pk, _n in rows]
        summed = []
        for f in FIGURES:
            known = [v[f.key] for v in values if v[f.key] is not None]
            if f.unit == "ja/nej":
                value = f"{sum(1 for v in known if v)} av {len(rows)}" if known else None
            else:
                value = sum(known) if known else None
            summed.append(
                {"key": f.key, "label": breakable(f.label), "unit": f.unit, "value": value}
            )
        out[area] = {
            "departments": [n for _pk, n in rows],
            "members": next(s["value"] for s in summed if s["key"] == "members"),
            "figures": summed,
        }
    return out


def activities(kandidat, today=None):
    today = today or timezone.localdate()
    since = datetime.date(today.year - ACTIVITY_YEARS + 1, 1, 1)
    return {
        "since": since,
        **area_department_activities(nuts_id=kandidat.nuts_omrade_id, since=since, until=today),
    }


def cost_effect(kandidat, today=None):
    """Each department's share of the departments' half this year as the project stands,
    and with the candidate's departments included (members on 1 January this year).
    {"year", "rows": [{name, area, members, now, with_candidate, change}], "complete",
    "missing"}."""
    year = (today or timezone.localdate()).year
    now_ids = set(Deltagande.objects.nuts_ids(year)) - {kandidat.nuts_omrade_id}
    both = nyckel(year=year, nuts_ids=now_ids | {kandidat.nuts_omrade_id})
    now = Nyckel(
        year=year,
        avdelningar=[a for a in both.avdelningar if a.nuts_omrade_id in now_ids],
        members=both.members,
    )
    now.members = {a.pk: both.members[a.pk] for a in now.avdelningar if a.pk in both.members}
    rows = []
    for a in both.avdelningar:
        before = now.share(a.pk) if a.nuts_omrade_id in now_ids else None
        after = both.share(a.pk)
        rows.append(
            {
                "name": a.name,
                "area": a.nuts_omrade.code,
                "candidate": a.nuts_omrade_id == kandidat.nuts_omrade_id,
                "members": both.members.get(a.pk),
                "now": before,
                "with_candidate": after,
                "change": (after - (before or 0)) if after is not None else None,
            }
        )
    rows.sort(key=lambda r: (r["candidate"], r["area"]))
    return {
        "year": year,
        "rows": rows,
        "complete": both.complete,
        "missing": both.missing,
        "member_total_now": now.member_total,
        "member_total_with": both.member_total,
    }
