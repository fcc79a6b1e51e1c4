"""Demo data for the report: the project's costs and a narrative per year.

Deterministic (a fixed random.Random seed) and idempotent (get_or_create; nothing that
exists is changed). The costs are invented round figures, not the project's real budget.
"""

import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from avdelningar.models import Deltagande

from .models import Berattelse, Kostnad, Rapportversion

SEED = 5

OVERALL = (
    "Samverkan mellan avdelningarna har fortsatt att utvecklas under {year}. "
    "Åtagandena följs upp i tid och samordnarna har etablerat kontakter med regionerna."
)
AREA = "Samordnaren i {name} beskriver arbetet under projektår {maturity}."


def seed(today=None):
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    joined = {}
    for d in Deltagande.objects.select_related("nuts_omrade").order_by("joined_on"):
        joined.setdefault(d.nuts_omrade, d)
    for year in range(2019, today.year + 1):
        coordinators = sum(1 for d in joined.values() if d.joined_on.year <= year)
        Kostnad.objects.get_or_create(
            year=year,
            defaults={
                "coordinators": coordinators * 850_000 + rng.randrange(0, 50_000),
                "project_leader": 900_000 + rng.randrange(0, 30_000),
                "other": 120_000 + rng.randrange(0, 80_000),
            },
        )
    # Narratives for the years with demo data (the journey rewrites 2024's assessment).
    for year in range(2019, today.year + 1):
        Berattelse.objects.get_or_create(
            year=year, nuts_omrade=None, defaults={"text": OVERALL.format(year=year)}
        )
        for nuts, d in joined.items():
            if d.joined_on.year <= year:
                Berattelse.objects.get_or_create(
                    year=year,
                    nuts_omrade=nuts,
                    defaults={"text": AREA.format(name=nuts.name, maturity=d.maturity(year))},
                )


REPORT_YEAR = 2023


def seed_reports():
    """Both editions of the whole project's 2023 report, compiled and approved by the demo
    steering-group member, so the national board has something to read on a fresh `make run`
    (2024 and later are left for the user to compile). Compiling renders PDFs, which takes a
    few seconds, so it runs outside seed()'s transaction and only when no version exists.
    Returns the number of versions made."""
    from . import services

    approver = get_user_model().objects.filter(username="styrgrupp").first()
    made = 0
    for edition in Rapportversion.Edition.values:
        if Rapportversion.objects.filter(
            year=REPORT_YEAR, nuts_omrade=None, edition=edition
        ).exists():
            continue
        version = services.rapport_request(year=REPORT_YEAR, edition=edition, enqueue=False)
        done = services.rapport_compile(version_id=version.pk)
        if done is not None and approver is not None:
            services.rapport_approve(version=done, user=approver)
        made += 1
    return made
