from django.apps import AppConfig


def _approved_report(year):
    """A year with an approved report (any edition, any area) has a settled cost split."""
    from .models import Rapportversion

    if Rapportversion.objects.approved().filter(year=year).exists():
        return (
            f"Styrgruppen har godkänt lägesrapporten för {year}; "
            "årets kostnadsfördelning är fastställd."
        )
    return None


class RapporterConfig(AppConfig):
    name = "rapporter"
    verbose_name = "Rapporter"

    def ready(self):
        from avdelningar.kostnadsnyckel import register_frozen_year_check

        register_frozen_year_check(_approved_report)
