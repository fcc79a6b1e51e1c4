"""Builders for the commitment tests (tests/mal and the other apps' tests that need a
commitment): a commitment with its targets, and a valid POST of the commitment form."""

from mal.models import Atagande, Indikator, Malvarde, Verksamhetsmal


def make_atagande(
    owner=None, *, nuts=None, year=2024, goal=2, title="Kompetenslyft", status="draft", targets=1
):
    a = Atagande.objects.create(
        avdelning=owner,
        nuts_omrade=nuts,
        year=year,
        verksamhetsmal=Verksamhetsmal.objects.get(number=goal),
        title=title,
        action_plan="Vi besöker arbetsplatser.",
        status=status,
    )
    ind = Indikator.objects.filter(verksamhetsmal__number=goal).order_by("pk").first()
    for i in range(targets):
        Malvarde.objects.create(
            atagande=a,
            indikator=ind if i == 0 else None,
            name="" if i == 0 else f"Egen {i}",
            unit="st",
            target=10 + i,
        )
    return a


def form_data(goal, title="Nytt åtagande", target="12", version=0, **extra):
    """The commitment form with one target, under activity goal number ``goal``."""
    data = {
        "verksamhetsmal": Verksamhetsmal.objects.get(number=goal).pk,
        "title": title,
        "action_plan": "Träffa klubbarna",
        "responsible": "Greta",
        "version": version,
        "malvarden-TOTAL_FORMS": "1",
        "malvarden-INITIAL_FORMS": "0",
        "malvarden-MIN_NUM_FORMS": "0",
        "malvarden-MAX_NUM_FORMS": "1000",
        "malvarden-0-name": "Utbildade",
        "malvarden-0-unit": "personer",
        "malvarden-0-target": target,
    }
    data.update(extra)
    return data
