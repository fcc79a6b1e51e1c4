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


def project_years(today=None):
    """range of the years the project can hold, from the participations in the database."""
    today = today or timezone.localdate()
    bounds = Deltagande.objects.aggregate(first=Min("joined_on"), last=Max("left_on"))
    first = bounds["first"].year if bounds["first"] else today.year
    last = max(today.year, bounds["last"].year if bounds["last"] else today.year)
    return range(first - 1, last + 2)


def year_or_404(year):
    """year if the project can hold it; 404 otherwise."""
    if year not in project_years():
        raise Http404("Året ligger utanför projektets år.")
    return year
