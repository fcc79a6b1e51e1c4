from django.core.management.base import BaseCommand
from django.db import transaction

from aktiviteter import demo as aktiviteter
from avdelningar import demo as organisation


class Command(BaseCommand):
    help = "Lägger in demodata (idempotent: en andra körning ändrar ingenting)."

    def handle(self, *args, **options):
        # One transaction: an interrupted run leaves the database as it was.
        with transaction.atomic():
            organisation.seed()
            aktiviteter.seed()
        organisation.print_logins(self.stdout)
