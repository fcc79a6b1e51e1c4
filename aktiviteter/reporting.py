"""The activities' contract with the annual report (rapporter): what the report may read of
aktiviteter.

The report reads aktiviteter only through these functions, never its models. The counting
rules are docs/raknregler.md's. Each makes a constant number of queries whatever the number
of rows, and returns plain values (dicts, lists, numbers, strings) the snapshot can keep.

- ``report_data(year=, nuts_ids=None)``: the year's activities (total, per area, per goal,
  per area and goal, per type, participants), the national ones apart (``national``),
  actors per type, forums, fund projects.
- ``department_counts(year=)``: activities per department (docs/rapport.md, "Per avdelning").
- ``trend_data(first_year=, last_year=, nuts_ids=None)``: the yearly figures of the trend,
  with the national activities apart.
- ``national_activities(year=)``: the year's national activities one by one (the
  report's list of them).

``nuts_ids`` restricts to the activities involving the areas (rule "Områden en aktivitet
berör") and to the areas' forums and fund projects; None is the whole project: every activity,
and the forums and fund projects of the areas taking part (that year; in the trend, during
its years). A department outside the pilot may be in a forum or fund project of its own area
(issue 16); those are not the project's.

National activities (no area; docs/raknregler.md rule 9): in the whole project's ``total``,
``by_goal``, ``by_type`` and ``participants`` once each, in no area's count (``by_area``,
``by_area_goal``), and described again under ``national``: {"total", "by_type" {label: n},
"by_goal" {"1".."8": n}, "participants" {"women", "men", "other"}}. An area's report
(nuts_ids given) has none of them: its ``national`` part is zero. ``department_counts``
counts a national activity for each of its departments, like any other (a department
outside the pilot that the working-life unit supported, too). The national part costs no
query of its own: it is split from the same grouped queries.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from avdelningar.models import Deltagande, Uppdrag

from .models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt

NO_ACTIVITIES = {"total": 0, "women": 0, "men": 0, "other": 0}
GOALS = range(1, 9)
PARTICIPANTS = ("women", "men", "other")


def report_data(*, year, nuts_ids=None):
    """{"total", "by_area" {code: n}, "by_goal" {"1".."8": n}, "by_area_goal" {code: {goal: n}},
    "by_type" {label: n}, "participants" {"women", "men", "other"}, "national" {"total",
    "by_type", "by_goal", "participants"}, "forums" {"total", "with_seat", "initiated",
    "list"}, "actors_by_type" {label: n}, "fund_projects" [...]}."""
    first, last = _year_bounds(year)
    qs = Aktivitet.objects.in_year(year)
    if nuts_ids is not None:
        nuts_ids = list(nuts_ids)
        # No national activity involves an area (involving_nuts leaves them out).
        qs = qs.involving_nuts(nuts_ids)
    register = nuts_ids if nuts_ids is not None else _taking_part(first, last)
    # Only the areas asked for: the report for one area does not count its neighbours.
    totals, by_area, national = qs.area_tally(nuts_ids)
    totals = totals.get(None, NO_ACTIVITIES)
    goals, by_area_goal, national_goals = qs.area_tally(nuts_ids, by="goal")
    by_type, national_by_type = qs.type_tally()
    national = national.get(None, NO_ACTIVITIES)

    return {
        "total": totals["total"],
        "by_area": by_area.get(None, {}),
        "by_goal": {str(n): goals.get(n, NO_ACTIVITIES)["total"] for n in GOALS},
        # {area code: {goal: n}}: each area's activities (rule 2) under each goal (rule 3).
        "by_area_goal": {
            code: {str(n): by_area_goal.get(n, {}).get(code, 0) for n in GOALS}
            for code in sorted({code for areas in by_area_goal.values() for code in areas})
        },
        "by_type": by_type,
        "participants": {k: totals[k] for k in PARTICIPANTS},
        "national": {
            "total": national["total"],
            "by_type": national_by_type,
            "by_goal": {str(n): national_goals.get(n, NO_ACTIVITIES)["total"] for n in GOALS},
            "participants": {k: national[k] for k in PARTICIPANTS},
        },
        "forums": _forums(first, last, register),
        "actors_by_type": _actors_by_type(qs),
        "fund_projects": _fund_projects(first, last, register, without_area=nuts_ids is None),
    }


def department_counts(*, year):
    """{department id: n}: the year's activities, each once for every department that is
    with it (docs/rapport.md "Per avdelning"). One query."""
    return Aktivitet.objects.in_year(year).by_department()


def _overlaps(first, last, start, end):
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": last})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def _forums_in(nuts_ids):
    forums = Forum.objects.all()
    if nuts_ids is not None:
        forums = forums.filter(nuts_omrade_id__in=nuts_ids)
    return forums


def _fund_projects_in(nuts_ids, *, without_area=False):
    """Projects in any of the areas (a project can be in several: each once); with
    without_area (the whole project) also those registered with no area."""
    projects = Strukturfondsprojekt.objects.all()
    if nuts_ids is not None:
        inside = Q(pk__in=Strukturfondsprojekt.objects.filter(omraden__in=nuts_ids).values("pk"))
        if without_area:
            with_area = Strukturfondsprojekt.objects.filter(omraden__isnull=False).values("pk")
            inside |= ~Q(pk__in=with_area)
        projects = projects.filter(inside)
    return projects


def _forums(first, last, nuts_ids):
    forums = _forums_in(nuts_ids).filter(_overlaps(first, last, "active_from", "active_to"))
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


def _fund_projects(first, last, nuts_ids, *, without_area=False):
    projects = _fund_projects_in(nuts_ids, without_area=without_area).filter(
        _overlaps(first, last, "start", "end")
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


def trend_data(*, first_year, last_year, nuts_ids=None):
    """{year: figures} for each year first_year..last_year: the same total, participants,
    activities per area, national activities ({"total", "participants"}), forum and fund
    project counts as report_data gives for that year.

    A constant number of queries whatever the number of years or rows: the activities are
    grouped by year, forums and projects counted per year in one statement each.
    """
    years = range(first_year, last_year + 1)
    qs = Aktivitet.objects.filter(
        date__range=(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
    )
    if nuts_ids is not None:
        nuts_ids = list(nuts_ids)
        qs = qs.involving_nuts(nuts_ids)
    totals, by_area, national = qs.area_tally(nuts_ids, by="year")
    register = (
        nuts_ids
        if nuts_ids is not None
        else _taking_part(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
    )
    forums = _forums_per_year(years, register)
    projects = _fund_projects_per_year(years, register, without_area=nuts_ids is None)
    return {
        y: {
            "total": totals.get(y, NO_ACTIVITIES)["total"],
            "participants": {k: totals.get(y, NO_ACTIVITIES)[k] for k in PARTICIPANTS},
            "by_area": by_area.get(y, {}),
            "national": {
                "total": national.get(y, NO_ACTIVITIES)["total"],
                "participants": {k: national.get(y, NO_ACTIVITIES)[k] for k in PARTICIPANTS},
            },
            "forums": forums[y],
            "fund_projects": projects[y],
        }
        for y in years
    }


def _taking_part(first, last):
    """The ids of the areas taking part in the project some time between two days, as a
    subquery (no query of its own): the whole project's forums and fund projects."""
    return (
        Deltagande.objects.filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .values("nuts_omrade_id")
    )


def _year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _forums_per_year(years, nuts_ids):
    """{year: {"total", "with_seat", "initiated"}}: _forums' counts, one statement."""
    counts = {}
    for y in years:
        first, last = _year_bounds(y)
        active = _overlaps(first, last, "active_from", "active_to")
        seat = Exists(
            ForumPlats.objects.filter(forum=OuterRef("pk"), start__lte=last).filter(
                Q(end__isnull=True) | Q(end__gte=first)
            )
        )
        counts[f"total_{y}"] = Count("pk", filter=active)
        counts[f"with_seat_{y}"] = Count("pk", filter=active & Q(seat))
        counts[f"initiated_{y}"] = Count("pk", filter=active & Q(union_initiated=True))
    row = _forums_in(nuts_ids).aggregate(**counts)
    return {y: {k: row[f"{k}_{y}"] for k in ("total", "with_seat", "initiated")} for y in years}


def _fund_projects_per_year(years, nuts_ids, *, without_area=False):
    """{year: number of projects}: _fund_projects' count, one statement."""
    row = _fund_projects_in(nuts_ids, without_area=without_area).aggregate(
        **{f"n_{y}": Count("pk", filter=_overlaps(*_year_bounds(y), "start", "end")) for y in years}
    )
    return {y: row[f"n_{y}"] for y in years}


def department_register_counts(*, years, avdelning_ids=None):
    """{department id: {year: {"forum_seats": n, "fund_projects": n}}} from the register,
    for the key figures (nyckeltal.reporting). Three queries whatever the number of rows.

    - forum_seats: the union's seats (member or deputy) held during the year by a person
      with an assignment in the department during the year; a person with assignments in
      two departments counts for each.
    - fund_projects: projects the department is in whose period overlaps the year (an
      empty start or end is open), whatever the union's role in them.

    Departments and years without any are left out (read them as 0).
    """
    years = sorted(set(years))
    ids = None if avdelning_ids is None else list(avdelning_ids)
    out = {}

    def add(pk, year, key):
        counts = out.setdefault(pk, {}).setdefault(year, {"forum_seats": 0, "fund_projects": 0})
        counts[key] += 1

    def overlaps(start, end, year):
        first, last = _year_bounds(year)
        return (start is None or start <= last) and (end is None or end >= first)

    held = Uppdrag.objects.filter(avdelning_id__isnull=False)
    if ids is not None:
        held = held.filter(avdelning_id__in=ids)
    # Only the seats of people with a department assignment (of those departments).
    seats = list(
        ForumPlats.objects.filter(person_id__in=held.values("person_id"))
        .order_by()
        .values_list("person_id", "start", "end")
    )
    # A subquery, not the seat holders' ids: the same two statements however many there are.
    held = held.filter(person_id__in=ForumPlats.objects.values("person_id"))
    by_person = {}
    for person_id, pk, start, end in held.values_list("person_id", "avdelning_id", "start", "end"):
        by_person.setdefault(person_id, []).append((pk, start, end))
    for person_id, start, end in seats:
        for y in years:
            if not overlaps(start, end, y):
                continue
            for pk in {pk for pk, s, e in by_person.get(person_id, ()) if overlaps(s, e, y)}:
                add(pk, y, "forum_seats")

    links = Strukturfondsprojekt.avdelningar.through.objects.all()
    if ids is not None:
        links = links.filter(avdelning_id__in=ids)
    for pk, start, end in links.values_list(
        "avdelning_id", "strukturfondsprojekt__start", "strukturfondsprojekt__end"
    ):
        for y in years:
            if overlaps(start, end, y):
                add(pk, y, "fund_projects")
    return out


def area_department_activities(*, nuts_id, since, until, limit=20):
    """The activities in an area or with one of its departments between two days, newest
    first: for assessing a candidate area (utveckling), whose departments are outside the
    pilot, so their meetings are national activities logged by the working-life unit (or
    the project leader) with the departments named. {"total": n, "by_type": {label: n},
    "rows": [{"date", "title", "type", "national", "departments"}] (at most ``limit``)}.
    Three queries."""
    labels = dict(Aktivitet.Typ.choices)
    # A UNION of two index lookups: as one OR (with the link table joined, or as IN), the
    # planner walks every activity of the period to find the few of an area outside the
    # pilot (60 ms twice at 100,000 activities; 1 ms this way).
    in_period = Aktivitet.objects.filter(date__range=(since, until)).order_by()
    ids = (
        in_period.filter(nuts_omrade_id=nuts_id)
        .values("pk")
        .union(in_period.filter(avdelningar__nuts_omrade_id=nuts_id).values("pk"))
    )
    rows = Aktivitet.objects.filter(pk__in=ids)
    by_type = dict(rows.order_by().values("typ").annotate(n=Count("pk")).values_list("typ", "n"))
    listing = [
        {
            "date": a.date.isoformat(),
            "title": a.title,
            "type": str(labels.get(a.typ, a.typ)),
            "national": a.nuts_omrade_id is None,
            "departments": [d.name for d in a.avdelningar.all()],
        }
        for a in rows.order_by("-date", "-id").prefetch_related("avdelningar")[:limit]
    ]
    return {
        "total": sum(by_type.values()),
        "by_type": {str(labels.get(t, t)): n for t, n in sorted(by_type.items())},
        "rows": listing,
    }


def national_activities(*, year):
    """[{"date", "title", "type", "departments" [names], "goals" [numbers], "women",
    "men", "other"}]: the year's national activities (rule 9), by date and title. Three
    queries (the activities, their departments, their goals)."""
    rows = (
        Aktivitet.objects.in_year(year)
        .national()
        .prefetch_related("avdelningar", "verksamhetsmal")
        .order_by("date", "title", "pk")
    )
    return [
        {
            "date": a.date.isoformat(),
            "title": a.title,
            "type": str(a.get_typ_display()),
            "departments": sorted(d.name for d in a.avdelningar.all()),
            "goals": sorted(g.number for g in a.verksamhetsmal.all()),
            "women": a.participants_women,
            "men": a.participants_men,
            "other": a.participants_other,
        }
        for a in rows
    ]
