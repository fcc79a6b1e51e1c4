"""Commitments and outcomes of a year for the annual report (contract in the brief).

Constant queries whatever the number of rows; only JSON-serialisable values.
"""

from collections import defaultdict

from django.db.models import Q

from .models import Atagande, Malvarde
from .progress import latest_actuals, latest_status, share

GOALS = [str(n) for n in range(1, 9)]


def _f(value):
    return float(value) if value is not None else None


def report_data(*, year, nuts_ids=None):
    qs = Atagande.objects.filter(year=year).select_related(
        "verksamhetsmal", "avdelning__nuts_omrade", "nuts_omrade"
    )
    if nuts_ids is not None:
        qs = qs.filter(Q(avdelning__nuts_omrade_id__in=nuts_ids) | Q(nuts_omrade_id__in=nuts_ids))
    ataganden = sorted(qs, key=lambda a: (a.verksamhetsmal.number, a.owner_label, a.title, a.pk))
    ids = [a.pk for a in ataganden]
    targets = defaultdict(list)
    for m in Malvarde.objects.filter(atagande_id__in=ids).select_related("indikator"):
        targets[m.atagande_id].append(m)
    actuals = latest_actuals(ids)
    followups = latest_status(ids)

    commitments = []
    by_goal = {
        g: {"total": 0, "approved": 0, "achieved": 0, "at_risk": 0, "not_achieved": 0}
        for g in GOALS
    }
    indicators = {}
    for a in ataganden:
        goal = a.verksamhetsmal.number
        uf = followups.get(a.pk)
        rows = []
        for m in sorted(targets[a.pk], key=lambda m: m.pk):
            u = actuals.get(m.pk)
            actual = u.actual if u else None
            rows.append(
                {
                    "indicator": m.indicator_name,
                    "unit": m.unit_label,
                    "baseline": _f(m.baseline),
                    "target": float(m.target),
                    "target_women": _f(m.target_women),
                    "target_men": _f(m.target_men),
                    "actual": _f(actual),
                    "actual_women": _f(u.actual_women if u else None),
                    "actual_men": _f(u.actual_men if u else None),
                    "share": share(actual, m.target),
                    "followup_status": uf.get_status_display() if uf else None,
                }
            )
            key = (m.indicator_name, m.unit_label, goal)
            ind = indicators.setdefault(
                key,
                {
                    "indicator": key[0],
                    "unit": key[1],
                    "goal": goal,
                    "target": 0.0,
                    "actual": None,
                    "actual_women": None,
                    "actual_men": None,
                },
            )
            ind["target"] += float(m.target)
            for name in ("actual", "actual_women", "actual_men"):
                value = rows[-1][name]
                if value is not None:
                    ind[name] = (ind[name] or 0.0) + value
        area = a.avdelning.nuts_omrade if a.avdelning_id else a.nuts_omrade
        commitments.append(
            {
                "id": a.pk,
                "owner": a.owner_label,
                "owner_type": a.owner_type,
                "nuts_code": area.code if area else None,
                "avdelning": a.avdelning.name if a.avdelning_id else None,
                "goal": goal,
                "title": a.title,
                "status": a.get_status_display(),
                "status_code": a.status,
                "targets": rows,
            }
        )
        g = by_goal[str(goal)]
        g["total"] += 1
        g["approved"] += a.status == Atagande.Status.APPROVED
        if uf and uf.status in ("achieved", "at_risk", "not_achieved"):
            g[uf.status] += 1
    return {
        "commitments": commitments,
        "by_goal": by_goal,
        "indicators": sorted(indicators.values(), key=lambda i: (i["goal"], i["indicator"])),
    }
