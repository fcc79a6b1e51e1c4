from django.core.management.base import BaseCommand, CommandError

from avdelningar.models import NutsOmrade
from rapporter import services
from rapporter.models import Rapportversion


class Command(BaseCommand):
    help = "Sammanställer lägesrapporten för ett år direkt i skalet (utan Celery)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--area", help="NUTS-kod, t.ex. SE21 (utelämnad: hela projektet)")
        parser.add_argument(
            "--edition",
            choices=Rapportversion.Edition.values,
            default=Rapportversion.Edition.STYRGRUPP,
        )

    def handle(self, *args, year, area, edition, **options):
        nuts = None
        if area:
            nuts = NutsOmrade.objects.filter(code=area.upper()).first()
            if nuts is None:
                raise CommandError(f"Okänt NUTS-område: {area}")
        try:
            version = services.rapport_request(
                year=year, nuts_omrade=nuts, edition=edition, enqueue=False
            )
        except services.ReportError as exc:
            raise CommandError(str(exc)) from None
        done = services.rapport_compile(version_id=version.pk)
        if done is None:
            version.refresh_from_db()
            raise CommandError(f"{version} misslyckades: {version.failure_reason}")
        self.stdout.write(f"{done} är sammanställd: {done.pdf.path}, {done.xlsx.path}\n")
