"""A factory-built dataset for the report: two areas, five departments, three years.

Real rows through the real models (no fakes): commitments of departments, of an area and
of the national level, with gender-split targets and mid-year/full-year follow-ups;
activities (one involving departments in both areas); forums with seats; a fund project;
member counts and costs. ``scale`` multiplies the commitments and activities, for the
query-count tests. Deterministic: a fixed ``random.Random``.
"""

import datetime
import random
from decimal import Decimal

from aktiviteter.models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt
from mal.models import Atagande, Malvarde, Uppfoljning, Uppfoljningsperiod, Utfall, Verksamhetsmal
from rapporter.models import Berattelse, Kostnad
from tests import factories as f

YEARS = (2022, 2023, 2024)
STATUSES = ("on_track", "at_risk", "achieved", "not_achieved")
TYPES = [t for t, _ in Aktivitet.Typ.choices]


def _commitment(rng, *, year, goal, owner=None, nuts=None, national=False, title, periods):
    status = rng.choice(["draft", "submitted", "approved", "approved", "approved"])
    a = Atagande.objects.create(
        avdelning=owner,
        nuts_omrade=nuts,
        year=year,
        verksamhetsmal=goal,
        title=title,
        action_plan="Plan.",
        status=status,
    )
    targets = []
    for i in range(rng.randint(1, 2)):
        split = rng.random() < 0.6
        target = rng.randint(5, 40)
        women = rng.randint(0, target) if split else None
        targets.append(
            Malvarde.objects.create(
                atagande=a,
                name=f"Indikator {goal.number}.{i}",
                unit="personer" if split else "st",
                split_by_gender=split,
                baseline=rng.randint(0, 5),
                target=target,
                target_women=women,
                target_men=(target - women) if split else None,
            )
        )
    if status != "approved":
        return a
    # Mid-year always; full year for most: the latest period with a value counts.
    for period in periods[year][: rng.choice([1, 2, 2])]:
        uf = Uppfoljning.objects.create(atagande=a, period=period, status=rng.choice(STATUSES))
        for m in targets:
            if rng.random() < 0.2:
                continue  # no value this period: the earlier one stands
            actual = rng.randint(0, 45)
            women = rng.randint(0, actual) if m.split_by_gender else None
            Utfall.objects.create(
                uppfoljning=uf,
                malvarde=m,
                actual=Decimal(actual),
                actual_women=women,
                actual_men=(actual - women) if m.split_by_gender else None,
            )
    return a


def build(cast, *, scale=1, seed=7):
    rng = random.Random(seed)
    c = cast
    c.a3 = f.AvdelningFactory(name="Avdelning A3", nuts_omrade=c.se21)
    c.b2 = f.AvdelningFactory(name="Avdelning B2", nuts_omrade=c.se22)
    departments = [c.a1, c.a2, c.a3, c.b1, c.b2]
    goals = list(Verksamhetsmal.objects.order_by("number"))
    periods = {y: Uppfoljningsperiod.ensure_year(y) for y in YEARS}
    for avd in departments:
        f.MedlemsantalFactory(avdelning=avd, year=2024, active_members=rng.randint(900, 9000))
    Kostnad.objects.create(year=2024, coordinators=1_700_003, project_leader=900_001, other=7)
    Berattelse.objects.create(year=2024, text="Året präglades av omställning.")
    Berattelse.objects.create(year=2024, nuts_omrade=c.se21, text="Småland växer.")

    for year in YEARS:
        for avd in departments:
            if avd.nuts_omrade_id == c.se22.pk and year < 2020:
                continue
            for i in range(2 * scale):
                _commitment(
                    rng,
                    year=year,
                    goal=rng.choice(goals),
                    owner=avd,
                    title=f"{avd.name} {year} nr {i}",
                    periods=periods,
                )
        for nuts in (c.se21, c.se22):
            _commitment(
                rng,
                year=year,
                goal=goals[2],
                nuts=nuts,
                title=f"Gemensamt {nuts.code} {year}",
                periods=periods,
            )
        _commitment(rng, year=year, goal=goals[0], title=f"Nationellt {year}", periods=periods)

    region = Aktor.objects.create(name="Region Kalmar län", typ=Aktor.Typ.REGION)
    af = Aktor.objects.create(name="Arbetsförmedlingen Syd", typ=Aktor.Typ.ARBETSFORMEDLINGEN)
    for year in YEARS:
        for i in range(6 * scale):
            nuts = rng.choice([c.se21, c.se22])
            own = [d for d in departments if d.nuts_omrade_id == nuts.pk]
            a = Aktivitet.objects.create(
                nuts_omrade=nuts,
                date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                typ=rng.choice(TYPES),
                title=f"Aktivitet {year}-{i}",
                participants_women=rng.randint(0, 9),
                participants_men=rng.randint(0, 9),
                participants_other=rng.randint(0, 1),
            )
            a.avdelningar.set(rng.sample(own, rng.randint(0, 2)))
            a.verksamhetsmal.set(rng.sample(goals, rng.randint(1, 3)))
            if rng.random() < 0.5:
                a.aktorer.add(rng.choice([region, af]))
        # Departments in two areas: once in the total, once in each area.
        two = Aktivitet.objects.create(
            nuts_omrade=c.se21,
            date=datetime.date(year, 6, 15),
            typ=Aktivitet.Typ.KONFERENS,
            title=f"Gemensam konferens {year}",
            participants_women=11,
            participants_men=13,
        )
        two.avdelningar.set([c.a1, c.b1])
        two.verksamhetsmal.set([goals[2], goals[7]])
        two.aktorer.add(region, af)

    forum = Forum.objects.create(
        nuts_omrade=c.se21,
        name="Industrirådet Kalmar",
        typ=Forum.Typ.INDUSTRIRAD,
        union_initiated=True,
        active_from=datetime.date(2021, 1, 1),
    )
    ForumPlats.objects.create(
        forum=forum, person=f.PersonFactory(), start=datetime.date(2021, 1, 1)
    )
    Forum.objects.create(
        nuts_omrade=c.se22,
        name="Omställningsrådet Skåne",
        typ=Forum.Typ.INDUSTRIRAD,
        active_to=datetime.date(2023, 6, 30),
    )
    p = Strukturfondsprojekt.objects.create(
        name="Framtidssäkrad industri",
        fund=Strukturfondsprojekt.Fond.ESF,
        union_role=Strukturfondsprojekt.Roll.PARTNER,
        budget_sek=2_400_000,
        participants_women=18,
        participants_men=52,
        start=datetime.date(2022, 3, 1),
        end=datetime.date(2024, 12, 31),
    )
    p.omraden.set([c.se21])
    c.departments = departments
    return c


def add_national(data, n, year=2024):
    """n national activities (no area) in the year, each with a department and two goals."""
    goals = list(Verksamhetsmal.objects.order_by("number"))
    made = []
    for i in range(n):
        a = Aktivitet.objects.create(
            niva=Aktivitet.Niva.NATIONELL,
            nuts_omrade=None,
            date=datetime.date(year, 3 + i % 9, 1 + i % 27),
            typ=Aktivitet.Typ.TVARGRUPPSMOTE,
            title=f"Tvärgruppsmöte {i}",
            participants_women=2 + i,
            participants_men=3,
            participants_other=i % 2,
        )
        a.avdelningar.set([data.departments[i % len(data.departments)]])
        a.verksamhetsmal.set(goals[i % 8 : i % 8 + 2])
        made.append(a)
    return made
