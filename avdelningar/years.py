"""The years the project can hold, and the one check every view with a year in its URL or
query string makes: a year outside them answers 404, never a 500 from a date that Python
or the database cannot represent.

The project's years are data: from the year before the first area joined (a board may
prepare) to the year after the current one or the last participation's end (a board plans
next year in December).
"""

from django.db.models import Max, Min
from django.http import Http404
from django.utils import timezone

from .models import Deltagande


def participation_span():
    """(first, last): the year the first area joined and the year the last participation
    ends, each None when no participation says so. One query; the year checks here and the
    report's compilable years both start from it."""
    bounds = Deltagande.objects.aggregate(first=Min("joined_on"), last=Max("left_on"))
    return tuple(d.year if d else None for d in (bounds["first"], bounds["last"]))


def project_years(today=None):
    """range of the years the project can hold, from the participations in the database."""
    today = today or timezone.localdate()
    first, last = participation_span()
    return range((first or today.year) - 1, max(today.year, last or today.year) + 2)


def year_or_404(year):
    """year if the project can hold it; 404 otherwise."""
    if year not in project_years():
        raise Http404("Året ligger utanför projektets år.")
    return year
