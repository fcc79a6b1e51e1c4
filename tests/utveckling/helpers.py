"""Candidates for the tests: an area outside the pilot with departments and members, and
a candidate for it taken through the workflow as far as asked."""

import datetime

from avdelningar.models import NutsOmrade
from tests import factories as f
from utveckling import services
from utveckling.models import Kandidat, Krav, Kriterium

ANSWERS = {"nytta": "Bred industri.", "forutsattningar": "Alla vill.", "syften": "Omställning."}


def area_with_departments(code="SE12", members=((2000, 2025), (1000, 2025))):
    """The area and its departments, each with members on 1 January of the given years."""
    nuts = NutsOmrade.objects.get(code=code)
    departments = []
    for n, (count, *_years) in enumerate(members):
        avd = f.AvdelningFactory(name=f"Avdelning {code}-{n + 1}", nuts_omrade=nuts)
        for year in range(2019, 2031):
            f.MedlemsantalFactory(avdelning=avd, year=year, active_members=count)
        departments.append(avd)
    return nuts, departments


def all_criteria(score=4):
    return {k: {"score": score, "comment": f"Om {k}", "evidence": ""} for k in Kriterium.values}


def kandidat(cast, *, code="SE12", year=2027, stage="bedoms", samordnare=None):
    """A candidate created by the leader and taken to ``stage``: "ny" (just created),
    "bedoms" (assessed on every criterion), "foreslagen", "tillstyrkt"."""
    nuts = NutsOmrade.objects.get(code=code)
    k = services.kandidat_create(nuts_omrade=nuts, year=year, user=cast.leader)
    if stage == "ny":
        return k
    samordnare = samordnare or f.PersonFactory(name="Kandidat Samordnare")
    services.kandidat_assess(
        kandidat=k,
        answers=ANSWERS,
        samordnare=samordnare,
        criteria=all_criteria(),
        expected_version=Kandidat.objects.get(pk=k.pk).version,
        user=cast.leader,
    )
    if stage == "bedoms":
        return Kandidat.objects.get(pk=k.pk)
    services.kandidat_propose(
        kandidat=k, proposal="Området föreslås.", user=cast.leader, on=datetime.date(2026, 10, 1)
    )
    if stage == "foreslagen":
        return Kandidat.objects.get(pk=k.pk)
    services.kandidat_sg_decide(
        kandidat=k,
        recommended=True,
        decided_on=datetime.date(2026, 10, 15),
        paragraph="§ 7",
        user=cast.steering,
    )
    return Kandidat.objects.get(pk=k.pk)


def krav(*texts):
    return [Krav.objects.create(text=t, position=i) for i, t in enumerate(texts, 1)]
