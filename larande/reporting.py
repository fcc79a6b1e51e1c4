"""What the report reads of the learning loop (its contract: rapporter imports this module
and nothing else of larande).

``report_data(year=, nuts_ids=)``: the year's actions from analysis meetings (the meeting's
date decides the year), with their status, and the areas' lessons of the year. An area
edition (nuts_ids) has its areas' meetings and lessons; the whole project (None) every
area's and the national meetings'. Plain values only: the report freezes them.
Queries: three, however many meetings, actions and commitments.
"""

from django.db.models import Prefetch

from mal.models import Atagande

from .models import Atgard, AtgardStatus, Lardom

STATUS_ORDER = [s.value for s in AtgardStatus]


def report_data(*, year, nuts_ids=None):
    actions = (
        Atgard.objects.in_year(year)
        .select_related("mote__aktivitet__nuts_omrade", "person", "avdelning")
        .prefetch_related(
            Prefetch(
                "ataganden", queryset=Atagande.objects.select_related("avdelning", "nuts_omrade")
            )
        )
        .order_by("mote__aktivitet__nuts_omrade__code", "mote__aktivitet__date", "due", "pk")
    )
    lessons = Lardom.objects.filter(year=year).select_related("nuts_omrade")
    if nuts_ids is not None:
        actions = actions.filter(mote__aktivitet__nuts_omrade_id__in=nuts_ids)
        lessons = lessons.filter(nuts_omrade_id__in=nuts_ids)
    rows = [_action(a) for a in actions]
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for r in rows:
        counts[r["status_code"]] += 1
    return {
        "actions": rows,
        "status_counts": [
            {"code": code, "label": str(AtgardStatus(code).label), "count": counts[code]}
            for code in STATUS_ORDER
        ],
        "total": len(rows),
        "linked": sum(1 for r in rows if r["commitments"]),
        "lessons": [
            {
                "area": lardom.nuts_omrade.code,
                "area_name": lardom.nuts_omrade.name,
                "worked": lardom.worked,
                "did_not_work": lardom.did_not_work,
                "to_spread": lardom.to_spread,
            }
            for lardom in lessons.order_by("nuts_omrade__code")
            if not lardom.is_empty
        ],
    }


def _action(a):
    aktivitet = a.mote.aktivitet
    return {
        "meeting": aktivitet.title,
        "meeting_date": aktivitet.date.isoformat(),
        "area": aktivitet.nuts_omrade.code if aktivitet.nuts_omrade_id else None,
        "what": a.what,
        "owner": a.owner_label,
        "due": a.due.isoformat(),
        "status_code": a.status,
        "status": str(a.get_status_display()),
        "done_on": a.done_on.isoformat() if a.done_on else None,
        "commitments": [
            {"title": c.title, "owner": c.owner_label, "year": c.year} for c in a.ataganden.all()
        ],
    }
