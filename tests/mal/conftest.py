import datetime

import pytest

from mal.models import Atagande, Indikator, Malvarde, Uppfoljningsperiod, Verksamhetsmal


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


@pytest.fixture
def mk():
    return make_atagande


@pytest.fixture
def periods(db):
    """Both periods of 2024, open (closing in the future)."""
    future = datetime.date.today() + datetime.timedelta(days=30)
    return [
        Uppfoljningsperiod.objects.create(year=2024, kind="halvar", closes_on=future),
        Uppfoljningsperiod.objects.create(year=2024, kind="helar", closes_on=future),
    ]
