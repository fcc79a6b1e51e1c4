"""Activity figures for the annual report (contract in the brief, rules in
docs/raknregler.md). A constant number of queries, JSON-serialisable values only."""

import datetime

from django.db.models import Count, Q

from .models import Aktivitet, Aktor, Forum, Strukturfondsprojekt


def report_data(*, year, nuts_ids=None):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    qs = Aktivitet.objects.in_year(year)
    if nuts_ids is not None:
        qs = qs.involving_nuts(list(nuts_ids))
    totals = qs.totals()
    # Only the areas asked for: the report for one area does not count its neighbours.
    by_area = qs.by_area(nuts_ids)

    return {
        "total": totals["total"],
        "by_area": by_area,
        "by_goal": qs.by_goal(),
        "by_type": qs.by_type(),
        "participants": {k: totals[k] for k in ("women", "men", "other")},
        "forums": _forums(first, last, nuts_ids),
        "actors_by_type": _actors_by_type(qs),
        "fund_projects": _fund_projects(first, last, nuts_ids),
    }


def _overlaps(first, last, start, end):
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": last})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def _forums(first, last, nuts_ids):
    forums = Forum.objects.filter(_overlaps(first, last, "active_from", "active_to"))
    if nuts_ids is not None:
        forums = forums.filter(nuts_omrade_id__in=nuts_ids)
    seat_in_year = Q(platser__start__lte=last) & (
        Q(platser__end__isnull=True) | Q(platser__end__gte=first)
    )
    rows = (
        forums.select_related("nuts_omrade")
        .annotate(seats=Count("platser", filter=seat_in_year, distinct=True))
        .order_by("nuts_omrade__code", "name")
    )
    listing = [
        {
            "name": f.name,
            "area": f.nuts_omrade.code,
            "type": str(f.get_typ_display()),
            "seats": f.seats,
            "initiated": f.union_initiated,
        }
        for f in rows
    ]
    return {
        "total": len(listing),
        "with_seat": sum(1 for f in listing if f["seats"]),
        "initiated": sum(1 for f in listing if f["initiated"]),
        "list": listing,
    }


def _actors_by_type(qs):
    labels = dict(Aktor.Typ.choices)
    rows = (
        Aktor.objects.filter(aktiviteter__in=qs.values("pk"))
        .order_by()
        .values("typ")
        .annotate(n=Count("pk", distinct=True))
        .values_list("typ", "n")
    )
    return {str(labels.get(typ, typ)): n for typ, n in sorted(rows)}


def _fund_projects(first, last, nuts_ids):
    projects = Strukturfondsprojekt.objects.filter(_overlaps(first, last, "start", "end"))
    if nuts_ids is not None:
        projects = projects.filter(
            pk__in=Strukturfondsprojekt.objects.filter(omraden__in=nuts_ids).values("pk")
        )
    return [
        {
            "name": p.name,
            "fund": str(p.get_fund_display()),
            "role": str(p.get_union_role_display()),
            "budget": float(p.budget_sek) if p.budget_sek is not None else None,
            "participants": p.participants_women + p.participants_men,
            "areas": sorted(o.code for o in p.omraden.all()),
        }
        for p in projects.prefetch_related("omraden").order_by("name")
    ]
