"""Load data for `manage.py generate_load_data`: the project's costs per year."""

from .models import Kostnad


def seed(rnd, org, *, last_year):
    first = min(org["joined"].values())
    for year in range(first, last_year + 1):
        Kostnad.objects.get_or_create(
            year=year,
            defaults={
                "coordinators": 8 * rnd.randint(700_000, 900_000),
                "project_leader": rnd.randint(800_000, 1_000_000),
                "other": rnd.randint(100_000, 400_000),
            },
        )
