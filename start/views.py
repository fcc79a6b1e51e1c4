"""The start page: what waits for the user, gathered from every app (so it lives above them)."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from aktiviteter.models import Aktivitet
from avdelningar.access import scope_for
from avdelningar.models import Avdelning, Deltagande, Uppdrag
from larande.models import Atgard
from mal.models import Atagande, Periodoppning, Uppfoljningsperiod
from nyckeltal.reporting import FIGURES, key_figures
from rapporter.models import Rapportversion


def start(request):
    scope = scope_for(request.user)
    today = timezone.localdate()
    uppdrag = (
        Uppdrag.objects.current()
        .filter(person__user=request.user)
        .select_related("nuts_omrade", "avdelning")
    )
    areas = (
        scope.visible_nuts()
        .filter(deltaganden__isnull=False)
        .distinct()
        # The coordinator's name on each row: fetched with the participations, not per row.
        .prefetch_related(
            Prefetch("deltaganden", queryset=Deltagande.objects.select_related("samordnare"))
        )
    )
    avdelningar = scope.visible_avdelningar().select_related("nuts_omrade")
    ctx = {
        "uppdrag": uppdrag,
        "upcoming": Uppdrag.objects.upcoming_for(request.user, today),
        "areas": areas,
        "avdelningar": avdelningar,
        **start_work(scope, today, user=request.user),
    }
    return render(request, "start/start.html", ctx)


NEXT_STEPS_SHOWN = 10


def start_work(scope, today, user=None):
    """What waits for this user, a query or two per part whatever the amount of data:
    the review queue, the own departments' year and next follow-up deadline, the latest
    activities they can see, their open next steps, and reports to approve or read.

    A next step is the user's who logged its activity (the one who wrote "next step"
    down), as long as they can still see the activity."""
    out = {"year": today.year}
    if scope.reviews_commitments:
        out["review_count"] = Atagande.objects.awaiting_review(scope).count()
    outside = _outside_pilot(scope, today)
    if outside:
        out["outside_pilot"] = outside
        # Only departments outside the pilot (and no area or national role): commitments
        # are the pilot's way of working, so "Era åtaganden" has nothing to show them.
        out["outside_pilot_only"] = not (
            scope.in_pilot_department or scope.is_coordinator or scope.reads_all
        )
    if scope.avdelning_ids and scope.in_pilot_department:
        own = Atagande.objects.filter(avdelning_id__in=scope.avdelning_ids)
        out["own_status"] = own.filter(year=today.year).status_counts()
        # The counts link to the list they count: the department's year, or (with more
        # than one department) the user's own commitments page.
        if len(scope.avdelning_ids) == 1:
            (only,) = scope.avdelning_ids
            out["own_url"] = reverse("mal:avdelning_ar", args=[only, today.year])
        else:
            out["own_url"] = reverse("mal:start")
        period = Uppfoljningsperiod.objects.filter(closes_on__gte=today).order_by("closes_on")
        out["period"] = period = period.first()
        if period is not None:
            out["not_followed_up"] = own.not_followed_up(period).count()
        # A closed period the project leader reopened for one of the user's departments:
        # its open-until date is the deadline that department has.
        reopened = (
            Periodoppning.objects.filter(
                avdelning_id__in=scope.avdelning_ids,
                open_until__gte=today,
                open_until__gt=F("period__closes_on"),
            )
            .select_related("period", "avdelning")
            .order_by("open_until")
            .first()
        )
        if reopened is not None and reopened.period_id != getattr(period, "pk", None):
            out["reopened"] = reopened
            out["reopened_not_followed_up"] = (
                own.filter(avdelning_id=reopened.avdelning_id)
                .not_followed_up(reopened.period)
                .count()
            )
    if today.month == 12 and scope.board_avdelning_ids:
        # December: the boards are invited to plan next year's commitments.
        out["next_year"] = next_year = today.year + 1
        # Only departments whose area takes part next year: one outside the pilot has no
        # commitments to plan (README, "Avdelningar utanför projektet").
        participates = Deltagande.objects.covering(next_year).filter(
            nuts_omrade=OuterRef("nuts_omrade")
        )
        out["plan_next"] = [
            (avd, reverse("mal:avdelning_ar", args=[avd.pk, next_year]))
            for avd in Avdelning.objects.filter(pk__in=scope.board_avdelning_ids)
            .filter(Exists(participates))
            .annotate(planned=Count("ataganden", filter=Q(ataganden__year=next_year)))
        ]
    if scope.has_any_role:
        # The last year only: "recent", and the date index then bounds the rows whose
        # visibility is checked (a coordinator's is an OR over the area and departments).
        out["recent"] = (
            Aktivitet.objects.visible_to(scope)
            .filter(date__gte=today - datetime.timedelta(days=365), date__lte=today)
            .select_related("nuts_omrade")
            .order_by("-date", "-pk")[:5]
        )
    if user is not None and user.is_authenticated and scope.has_any_role:
        steps = list(
            Aktivitet.objects.visible_to(scope)
            .filter(created_by=user)
            .open_next_steps()
            .only(
                "title", "date", "nuts_omrade_id", "next_step", "next_step_due", "next_step_done_at"
            )
            # can_edit reads the departments: one query for all of them.
            .prefetch_related(Prefetch("avdelningar", queryset=Avdelning.objects.only("pk")))[
                : NEXT_STEPS_SHOWN + 1
            ]
        )
        for a in steps:
            a.overdue = a.next_step_overdue(today)
            a.can_mark_done = a.can_edit(scope)
        out["next_steps"] = steps[:NEXT_STEPS_SHOWN]
        out["more_next_steps"] = len(steps) > NEXT_STEPS_SHOWN
    if user is not None and user.is_authenticated:
        out.update(meeting_actions(scope, user, today))
    if scope.sees_reports or scope.sees_unapproved_reports:
        done = (
            Rapportversion.objects.filter(status=Rapportversion.Status.DONE)
            .visible_to(scope)
            .select_related("nuts_omrade")
            .defer("snapshot")  # the frozen figures: megabytes of JSON a version, not shown here
        )
        if scope.can_approve_reports:
            out["to_approve"] = done.filter(approved_at__isnull=True).order_by("-created_at")[:5]
        out["approved"] = done.filter(approved_at__isnull=False).order_by("-year", "-approved_at")[
            :3
        ]
    return out


# --- actions from analysis meetings (larande) -------------------------------------------


def meeting_actions(scope, user, today):
    """The user's open actions from analysis meetings, overdue first (by the last day):
    theirs as a person, or their department's when they sit on its board. One query."""
    rows = list(
        Atgard.objects.open()
        .owned_by(user, scope.board_avdelning_ids)
        .select_related("mote__aktivitet", "person", "avdelning")
        .order_by("due", "pk")[: NEXT_STEPS_SHOWN + 1]
    )
    for a in rows:
        a.overdue = a.is_overdue(today)
    return {
        "meeting_actions": rows[:NEXT_STEPS_SHOWN],
        "more_meeting_actions": len(rows) > NEXT_STEPS_SHOWN,
    }


def _outside_pilot(scope, today):
    """The user's departments whose area does not take part in the project this year,
    each with this year's key figures (nyckeltal.reporting) and whether the user may
    enter them: what such a department records (README, "Hela förbundet"). No query
    unless the user has such a department; then one and the key figures' few."""
    outside = scope.avdelning_ids - scope.pilot_avdelning_ids
    if not outside:
        return []
    departments = list(
        Avdelning.objects.filter(pk__in=outside).select_related("nuts_omrade").order_by("name")
    )
    if not departments:
        return []
    figures = key_figures(years=[today.year], avdelning_ids=[d.pk for d in departments])
    return [
        {
            "avdelning": d,
            "figures": [
                {"label": f.label, "value": figures[d.pk][today.year][f.key]} for f in FIGURES
            ],
            "can_edit": scope.can_edit_nyckeltal(d, in_pilot=False),
        }
        for d in departments
    ]
