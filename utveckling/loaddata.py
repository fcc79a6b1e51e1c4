"""Load data for `manage.py generate_load_data`: a candidate for next year in every area
outside the project, assessed on every criterion, so that `make bench` measures the
candidate page and the side-by-side page on ten years of data. Not used by the app."""

from avdelningar.models import NutsOmrade

from .models import Kandidat, Kriteriebedomning, Kriterium


def seed(rnd, org, *, last_year):
    """Returns the number of candidates written."""
    outside = NutsOmrade.objects.exclude(pk__in=list(org["joined"])).order_by("code")
    made = 0
    for nuts in outside:
        k = Kandidat.objects.create(
            nuts_omrade=nuts,
            year=last_year + 1,
            nytta="Lastdata.",
            forutsattningar="Lastdata.",
            syften="Lastdata.",
            version=1,
        )
        Kriteriebedomning.objects.bulk_create(
            [
                Kriteriebedomning(kandidat=k, kriterium=key, score=rnd.randint(1, 5))
                for key in Kriterium.values
            ]
        )
        made += 1
    return made
