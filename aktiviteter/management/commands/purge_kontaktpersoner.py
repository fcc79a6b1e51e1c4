"""Delete contact persons at actors not contacted for RETENTION_CONTACT_DAYS (personal
data kept no longer than the work needs). Each deletion is in the audit trail, without the
person's details."""

from django.conf import settings
from django.core.management.base import BaseCommand

from aktiviteter.services import kontaktpersoner_purge


class Command(BaseCommand):
    help = "Tar bort kontaktpersoner utan kontakt på RETENTION_CONTACT_DAYS dagar."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Räkna bara, ändra inget.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.RETENTION_CONTACT_DAYS
        if days <= 0:
            self.stdout.write("Gallring avstängd (RETENTION_CONTACT_DAYS=0).")
            return
        count = kontaktpersoner_purge(days=days, dry_run=dry_run)
        verb = "skulle tas bort" if dry_run else "borttagna"
        self.stdout.write(f"Kontaktpersoner utan kontakt på {days} dagar: {count} {verb}.")
