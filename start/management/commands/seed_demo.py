from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aktiviteter import demo as aktiviteter_demo
from avdelningar import demo as organisation
from enkater import demo as enkater_demo
from larande import demo as larande_demo
from mal import demo as mal_demo
from natverk import demo as natverk_demo
from nyckeltal import demo as nyckeltal_demo
from rapporter import demo as rapporter_demo
from utveckling import demo as utveckling_demo


class Command(BaseCommand):
    help = "Lägger in demodata (idempotent: en andra körning ändrar ingenting)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-reports",
            action="store_true",
            help="utan de sammanställda och godkända demorapporterna (går fortare)",
        )

    def handle(self, *args, no_reports=False, **options):
        # The demo logins share the password the README publishes, admin among them:
        # never in production (issue 13: with DEBUG=false it created that superuser).
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError(
                "seed_demo lägger in demoanvändare med lösenordet som står i README, "
                "bland dem superanvändaren admin, och körs bara med DEBUG=true (make run) "
                "eller i testerna. Ingenting har ändrats."
            )
        # One transaction: an interrupted run leaves the database as it was.
        # The data runs up to today: this year's commitments, follow-ups and activities.
        today = timezone.localdate()
        with transaction.atomic():
            organisation.seed(today)
            mal_demo.seed(today)
            aktiviteter_demo.seed(today)
            nyckeltal_demo.seed(today)
            enkater_demo.seed(today)
            larande_demo.seed(today)
            natverk_demo.seed(today)
            rapporter_demo.seed(today)
            utveckling_demo.seed(today)
        if not no_reports:
            made = rapporter_demo.seed_reports()
            if made:
                self.stdout.write(f"Sammanställde och godkände {made} demorapporter.\n")
        organisation.print_logins(self.stdout)
