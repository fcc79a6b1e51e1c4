"""Demo candidate areas: Östra Mellansverige (SE12) assessed on every criterion, proposed
by the project leader and recommended by the steering group, waiting for the national
board; Norra Mellansverige (SE31) under assessment, so the side-by-side page has two. A
requirement profile for regional coordinators, the candidate coordinators assessed
against it, and the board meetings with the SE12 departments that the working-life unit
logged (national activities naming the departments).

Through the services (as the project leader and the steering group), so the trail has
the steps. Idempotent: a candidate that exists is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model

from aktiviteter.models import Aktivitet
from avdelningar.models import Avdelning, NutsOmrade, Person, Roll, Uppdrag
from mal.models import Verksamhetsmal

from . import services
from .models import Kandidat, Krav, Kriterium

KRAV = [
    "Erfarenhet av arbetsmarknads-, kompetensförsörjnings- eller omställningsarbete",
    "Känner områdets avdelningar och har deras förtroende",
    "Vana att bygga relationer med regioner, Arbetsförmedlingen och andra aktörer",
    "Kunskap om EU:s strukturfonder och regionalt utvecklingsarbete",
    "Kan leda och samordna arbete över avdelningsgränser",
]

SE12 = {
    "nytta": (
        "Östra Mellansverige har en stor och bred industri (fordon, stål, verkstad) och sju "
        "avdelningar. Området skulle pröva samverkansmodellen där avdelningarna är fler och "
        "regionerna fem, vilket är det projektet behöver veta inför en utvidgning."
    ),
    "forutsattningar": (
        "Avdelningarna har samverkat i länsvisa arbetsmarknadskommittéer och i två "
        "ESF-projekt. Vid styrelsemötena under året har alla sju sagt ja till en start nästa "
        "år, och de är överens om en samordnare."
    ),
    "syften": (
        "Omställningen i fordons- och stålindustrin gör kompetensförsörjningen till en "
        "central fråga i området: det stödjer både projektets syfte och förbundets "
        "industripolitiska mål bättre än de andra kandidaterna."
    ),
}
SE12_CRITERIA = {
    Kriterium.STRUKTUR: (5, "Bred industri, många arbetsplatser i omställning."),
    Kriterium.GEOGRAFI: (4, "Fem län men korta avstånd längs Mälardalen."),
    Kriterium.SAMARBETE: (4, "Gemensamma ESF-projekt och kommittéer i flera län."),
    Kriterium.VILJA: (5, "Alla sju styrelser har ställt sig bakom en start."),
    Kriterium.SAMORDNARE: (4, "Avdelningarna är överens om en kandidat."),
    Kriterium.RESURSER: (3, "Förändringsledare i fem av sju avdelningar; tid för kommittéerna."),
}
SE31 = {
    "nytta": "Ett glesare område med basindustri: skulle visa hur modellen fungerar där.",
    "forutsattningar": "",
    "syften": "",
}
SE31_CRITERIA = {
    Kriterium.STRUKTUR: (4, "Stål, skog och papper; stora varsel de senaste åren."),
    Kriterium.GEOGRAFI: (2, "Långa avstånd mellan avdelningarna."),
    Kriterium.VILJA: (3, "Två av fyra styrelser positiva hittills."),
}
MEETINGS = [
    (-200, "Styrelsemöte IF Metall Uppsala län: ett nytt område i projektet?"),
    (-150, "Styrelsemöte IF Metall Örebro län om regional samverkan"),
    (-120, "Gemensamt möte med styrelserna i Östergötland om en start"),
]


def _person(name):
    person, _ = Person.objects.get_or_create(name=name)
    return person


def _meetings(today, unit):
    """Board meetings with SE12's departments, logged by the working-life unit."""
    departments = list(Avdelning.objects.filter(nuts_omrade__code="SE12").order_by("name"))
    goal = Verksamhetsmal.objects.filter(number=3).first()
    if not departments or goal is None:
        return
    for n, (days, title) in enumerate(MEETINGS):
        key = f"demo-utveckling-{n:02d}"
        if Aktivitet.objects.filter(import_key=key).exists():
            continue
        a = Aktivitet.objects.create(
            date=today + datetime.timedelta(days=days),
            typ=Aktivitet.Typ.STOD,
            title=title,
            notes="Arbetslivsenheten presenterade projektet och styrelsen diskuterade en start.",
            niva=Aktivitet.Niva.NATIONELL,
            nuts_omrade=None,
            participants_women=3,
            participants_men=6,
            created_by=unit,
            import_key=key,
        )
        a.avdelningar.set(departments[n * 2 : n * 2 + 3])
        a.verksamhetsmal.set([goal])


def _assess(kandidat, answers, criteria, samordnare, leader, krav, scores):
    services.kandidat_assess(
        kandidat=kandidat,
        answers=answers,
        samordnare=samordnare,
        criteria={
            key: {"score": score, "comment": comment, "evidence": ""}
            for key, (score, comment) in criteria.items()
        },
        expected_version=Kandidat.objects.get(pk=kandidat.pk).version,
        user=leader,
    )
    services.kravbedomning_save(
        kandidat=kandidat,
        values={k.pk: {"score": s, "comment": ""} for k, s in zip(krav, scores, strict=False)},
        user=leader,
    )


def seed(today):
    User = get_user_model()
    leader = User.objects.filter(username="projektledare").first()
    steering = User.objects.filter(username="styrgrupp").first()
    if leader is None or steering is None:
        return
    unit = (
        Uppdrag.objects.current(today)
        .filter(role=Roll.ARBETSLIVSENHETEN, person__user__isnull=False)
        .values_list("person__user", flat=True)
        .first()
    )
    _meetings(today, User.objects.filter(pk=unit).first() if unit else leader)
    if not Krav.objects.exists():
        Krav.objects.bulk_create([Krav(text=t, position=i) for i, t in enumerate(KRAV, 1)])
    krav = list(Krav.objects.filter(active=True))
    year = today.year + 1
    se12 = NutsOmrade.objects.get(code="SE12")
    se31 = NutsOmrade.objects.get(code="SE31")
    if not Kandidat.objects.filter(nuts_omrade=se12, year=year).exists():
        k = services.kandidat_create(nuts_omrade=se12, year=year, user=leader)
        coordinator = _person("Elin Ekström (exempel)")
        _assess(k, SE12, SE12_CRITERIA, coordinator, leader, krav, [5, 4, 4, 3, 4])
        services.kandidat_propose(
            kandidat=k,
            proposal=(
                f"Projektledaren föreslår att Östra Mellansverige (SE12) deltar i projektet från "
                f"1 januari {year}, med Elin Ekström som regional samordnare."
            ),
            user=leader,
            on=today - datetime.timedelta(days=30),
        )
        services.kandidat_sg_decide(
            kandidat=k,
            recommended=True,
            decided_on=today - datetime.timedelta(days=14),
            paragraph="§ 7",
            user=steering,
        )
    if not Kandidat.objects.filter(nuts_omrade=se31, year=year).exists():
        k = services.kandidat_create(nuts_omrade=se31, year=year, user=leader)
        _assess(k, SE31, SE31_CRITERIA, _person("Jonas Berg (exempel)"), leader, krav, [4, 3])
