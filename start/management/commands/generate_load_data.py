"""`manage.py generate_load_data`: a large, deterministic data set for benchmarks and the
query-budget tests.

All eight NUTS areas (six in the project), 35 departments, ten years, and (at --scale 1) 100,000
activities, 5,000 commitments, 2,000 actors, 300 forums and 200 fund projects, written with
COPY in large batches. The same --seed, --scale and --last-year give the same data. Meant for
an empty, migrated database (the reference data only): it refuses to run twice.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from aktiviteter import loaddata as aktiviteter_data
from avdelningar import loaddata as organisation
from avdelningar.models import Avdelning
from mal import loaddata as mal_data
from natverk import loaddata as natverk_data
from nyckeltal import loaddata as nyckeltal_data
from rapporter import loaddata as rapporter_data
from utveckling import loaddata as utveckling_data

YEARS = 10


def scaled(value, scale, floor):
    return max(floor, round(value * scale))


class Command(BaseCommand):
    help = "Genererar en stor, deterministisk datamängd för prestandamätningar."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument(
            "--last-year",
            type=int,
            default=None,
            help="Sista året med data (standard: innevarande år); tio år bakåt.",
        )

    def handle(self, *args, seed, scale, last_year, **options):
        if Avdelning.objects.filter(name__contains=organisation.MARKER).exists():
            raise CommandError("Lastdata finns redan i databasen; använd en tom databas.")
        last_year = last_year or timezone.localdate().year
        first_year = last_year - YEARS + 1
        rnd = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            org = organisation.seed(rnd, first_year=first_year, last_year=last_year)
            mal = mal_data.seed(rnd, org, last_year=last_year, commitments=scaled(5000, scale, 20))
            akt = aktiviteter_data.seed(
                rnd,
                org,
                last_year=last_year,
                activities=scaled(100_000, scale, 10),
                actors=scaled(2000, scale, 40),
                forums=scaled(300, scale, 8),
                projects=scaled(200, scale, 8),
            )
            rapporter_data.seed(rnd, org, last_year=last_year)
            nyckeltal_data.seed(org, first_year=first_year, last_year=last_year)
            # One area at the network map's benchmark size (500 actors).
            natverk_data.seed(seed)
            utveckling_data.seed(rnd, org, last_year=last_year)
        if connection.vendor == "postgresql":
            # What autovacuum does to a database in service: statistics, and the visibility
            # map that lets index-only scans skip the table. (This machine's PostgreSQL runs
            # with autovacuum off; without the VACUUM the link-table scans behind a
            # coordinator's list read the heap and measured 20 ms instead of 7.)
            # VACUUM cannot run inside a transaction (the tests' data is rolled back).
            with connection.cursor() as cur:
                cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(org['departments'])} avdelningar, {mal['commitments']} åtaganden "
            f"({mal['targets']} målvärden, {mal['followups']} uppföljningar), "
            f"{akt['activities']} aktiviteter ({akt['activity_links']} kopplingar), "
            f"{akt['actors']} aktörer, {akt['forums']} forum, {akt['projects']} projekt, "
            f"{first_year}–{last_year}, på {elapsed:.1f} s."
        )
