"""Actual against target: the latest follow-up value of each target, in constant queries.

"Latest" = the latest period of the commitment's year that has a value, full year before
mid-year. The rule is written here once, as model instances (the pages), as plain values
and as SQL subqueries (reporting.py and the overviews), so they cannot disagree.
"""

from collections import defaultdict

from django.db.models import Avg, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast

from .models import Malvarde, Uppfoljning, Utfall


def latest_actuals(atagande_ids):
    """{malvarde_id: Utfall} with the latest non-empty actual (one query)."""
    out = {}
    rows = (
        Utfall.objects.filter(malvarde__atagande_id__in=atagande_ids, actual__isnull=False)
        .select_related("uppfoljning__period")
        .order_by("uppfoljning__period__year", "uppfoljning__period__kind")  # halvar < helar
    )
    for u in rows:
        out[u.malvarde_id] = u
    return out


def latest_actual_values(ataganden):
    """{malvarde id: (actual, women, men)} of the latest non-empty actual: latest_actuals on
    plain values (its model instances, three per actual, are too slow for the report)."""
    rows = (
        Utfall.objects.filter(malvarde__atagande__in=ataganden, actual__isnull=False)
        .order_by("uppfoljning__period__year", "uppfoljning__period__kind")  # halvar < helar
        .values_list("malvarde_id", "actual", "actual_women", "actual_men")
    )
    return {pk: values for pk, *values in rows}


def latest_status_subquery():
    """The status of the commitment's latest follow-up, as latest_status, as a subquery."""
    return Subquery(
        Uppfoljning.objects.filter(atagande=OuterRef("pk"))
        .order_by("-period__year", "-period__kind")
        .values("status")[:1]
    )


def latest_status(atagande_ids):
    """{atagande_id: Uppfoljning} of the latest period (one query)."""
    out = {}
    rows = (
        Uppfoljning.objects.filter(atagande_id__in=atagande_ids)
        .select_related("period")
        .order_by("period__year", "period__kind")
    )
    for uf in rows:
        out[uf.atagande_id] = uf
    return out


def share(actual, target):
    if actual is None or not target:
        return None
    return float(actual) / float(target)


def percent(value):
    """A share as the whole percent the pages show, or None."""
    return round(value * 100) if value is not None else None


def annotate(ataganden):
    """Give each commitment .rows [(malvarde, utfall|None, share)], .progress (mean share of
    the targets with a value, or None) and .followup (latest Uppfoljning or None).
    Three queries whatever the number of commitments."""
    ataganden = list(ataganden)
    ids = [a.pk for a in ataganden]
    targets = defaultdict(list)
    for m in Malvarde.objects.filter(atagande_id__in=ids).select_related("indikator"):
        targets[m.atagande_id].append(m)
    actuals = latest_actuals(ids)
    followups = latest_status(ids)
    for a in ataganden:
        a.rows = []
        for m in sorted(targets[a.pk], key=lambda m: m.pk):
            u = actuals.get(m.pk)
            a.rows.append((m, u, share(u.actual if u else None, m.target)))
        shares = [s for _, _, s in a.rows if s is not None]
        a.progress = sum(shares) / len(shares) if shares else None
        a.progress_pct = percent(a.progress)
        a.followup = followups.get(a.pk)
    return ataganden


def progress_subquery():
    """A commitment's .progress as annotate() computes it, as an SQL expression (for
    overviews that need sums, not every commitment in Python): the mean over its targets
    with a value of latest actual / target. NULL when no target has a value.

    Floats on both sides, so each share is the same IEEE division as share()."""
    latest = (
        Utfall.objects.filter(malvarde=OuterRef("pk"), actual__isnull=False)
        .order_by("-uppfoljning__period__year", "-uppfoljning__period__kind")
        .values("actual")[:1]
    )
    shares = (
        Malvarde.objects.filter(atagande=OuterRef("pk"))
        .exclude(target=0)
        .annotate(
            share=Cast(Subquery(latest), FloatField()) / Cast("target", FloatField()),
        )
        .order_by()
        .values("atagande")
        .annotate(mean=Avg("share"))
        .values("mean")
    )
    return Subquery(shares, output_field=FloatField())
