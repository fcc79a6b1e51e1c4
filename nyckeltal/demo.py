"""Demo key figures: the entered ones for every department and year from 2019 to the day of
seeding, so that the comparison of pilot and other departments has something to show.

Plausible rather than real: workers in skills development in proportion to the members,
slowly rising everywhere and rising faster in a pilot department from its area's second
year in the project (it took about a year before an area showed results); change work
started at more of a pilot department's workplaces as its area matures. Workplaces and
clubs are the register's (the demo's workplaces have been there all along).

Deterministic (each department's numbers come from a generator seeded with its name) and
idempotent: a year that has figures is left as it is.
"""

import datetime
import random

from django.db.models import Count
from django.utils import timezone

from avdelningar.models import Avdelning, Deltagande, Medlemsantal

from .models import Nyckeltal

FIRST_YEAR = 2019


def figures(*, name: str, year: int, members: int, workplaces: int, clubs: int, maturity):
    """One department's entered figures for a year (maturity: its area's year in the
    project, 1 the year it joined; None outside the pilot)."""
    rnd = random.Random(f"{name}|{year}")
    base = random.Random(name).uniform(10, 25) * members / 1000  # a department's own level
    trend = 1 + 0.03 * (year - FIRST_YEAR)
    lift = 1 + 0.22 * (maturity - 1) if maturity else 1  # nothing to show the first year
    skills = int(base * trend * min(lift, 2.2) * rnd.uniform(0.9, 1.1))
    women = int(skills * rnd.uniform(0.22, 0.34))
    if maturity:
        started = min(workplaces, maturity // 2 + (1 if maturity > 1 else 0))
    else:
        started = min(workplaces, 1 if rnd.random() < 0.15 * (year - FIRST_YEAR) / 7 else 0)
    return {
        "workplaces": workplaces,
        "clubs": clubs,
        "workplaces_change_started": started,
        "skills_women": women,
        "skills_men": skills - women,
    }


def seed(today: datetime.date | None = None) -> int:
    """The demo's figures; returns how many department-years were added."""
    today = today or timezone.localdate()
    years = range(FIRST_YEAR, today.year + 1)
    joined = {}
    for d in Deltagande.objects.order_by("joined_on"):
        joined.setdefault(d.nuts_omrade_id, d.joined_on.year)
    departments = list(
        Avdelning.objects.annotate(
            n_workplaces=Count("arbetsplatser", distinct=True),
            n_clubs=Count("klubbar", distinct=True),
        ).order_by("name")
    )
    members = {
        (a, y): n
        for a, y, n in Medlemsantal.objects.values_list("avdelning_id", "year", "active_members")
    }
    have = set(Nyckeltal.objects.values_list("avdelning_id", "year"))
    rows = []
    for avd in departments:
        first = joined.get(avd.nuts_omrade_id)
        for year in years:
            if (avd.pk, year) in have:
                continue
            maturity = year - first + 1 if first is not None and year >= first else None
            rows.append(
                Nyckeltal(
                    avdelning=avd,
                    year=year,
                    **figures(
                        name=avd.name,
                        year=year,
                        members=members.get((avd.pk, year), 5000),
                        workplaces=avd.n_workplaces,
                        clubs=avd.n_clubs,
                        maturity=maturity,
                    ),
                )
            )
    Nyckeltal.objects.bulk_create(rows)
    return len(rows)
