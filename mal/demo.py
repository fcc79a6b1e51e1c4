"""Demo commitments and follow-ups from 2019 to the year it is seeded, for every demo
department in the years its area takes part, plus the areas' common and the national
commitments. Past years are approved and followed up; the current year is under way
(every status, the mid-year follow-up once the half-year has passed). What was handed in
names who submitted and who reviewed it, as the app's own workflow does (see _people).

Deterministic (each department-year has its own seeded random.Random) and idempotent:
rows are found by their natural key first, and children are only made with a new parent.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from avdelningar.access import BOARD_ROLES
from avdelningar.models import Avdelning, Deltagande, NutsOmrade, Roll, Uppdrag

from .models import (
    Atagande,
    Indikator,
    Malvarde,
    Mognadsriktlinje,
    Projektmal,
    Uppfoljning,
    Uppfoljningsperiod,
    Utfall,
    Verksamhetsmal,
)

FIRST_YEAR = 2019

TITLES = {
    1: ["Utbilda styrelsen i Arbetsliv i förändring", "Åtaganden i alla klubbar"],
    2: ["Kompetenslyft på verkstadsgolvet", "Utvecklingsplaner på arbetsplatserna"],
    3: ["Gemensamma träffar i länet", "Samordnad kompetensdag med grannavdelningen"],
    4: ["Delta i strukturfondsprojekt", "Ansöka om ESF+-medel tillsammans med regionen"],
    5: ["Starta förändringsarbete enligt Hållbart arbete", "Kvinnors yrkesutveckling"],
    6: ["Industripolitiska krav i kommunen", "Remissvar om regional utvecklingsstrategi"],
    7: ["Plats i industrirådet", "Kompetensplattform med regionen"],
    8: ["Regelbundna möten med Arbetsförmedlingen", "Kontakter med IUC och Teknikcollege"],
}

# Guidance per year in the project: minimum commitments under each project goal.
GUIDANCE = {1: (1, 0, 0), 2: (1, 1, 1), 3: (2, 1, 1)}


def _status(rng, year, today):
    if year < today.year:
        return Atagande.Status.APPROVED if rng.random() < 0.9 else Atagande.Status.DRAFT
    return rng.choice(
        [Atagande.Status.APPROVED] * 3
        + [Atagande.Status.SUBMITTED, Atagande.Status.DRAFT, Atagande.Status.RETURNED]
    )


def _people():
    """Who submits and who reviews in the demo: a department's board member (with a
    login) submits its commitments and the area's coordinator reviews them; an area's
    coordinator submits its common ones and the project leader reviews them. National
    commitments carry no submitter: the project leader both writes and reviews them, and
    four eyes would leave a demo with one project leader unable to approve them."""
    board, coordinator, leader = {}, {}, None
    for u in (
        Uppdrag.objects.current()
        .filter(person__user__isnull=False)
        .select_related("person__user")
        .order_by("person__user__username")
    ):
        user = u.person.user
        if u.role in BOARD_ROLES and u.avdelning_id:
            board.setdefault(u.avdelning_id, user)
        elif u.role == Roll.SAMORDNARE and u.nuts_omrade_id:
            coordinator.setdefault(u.nuts_omrade_id, user)
        elif u.role == Roll.PROJEKTLEDARE:
            leader = leader or user
    return board, coordinator, leader


def _handlers(people, avdelning, nuts):
    """(submitter, reviewer) of an owner's commitments (see _people)."""
    board, coordinator, leader = people
    if avdelning is not None:
        return board.get(avdelning.pk), coordinator.get(avdelning.nuts_omrade_id) or leader
    if nuts is not None:
        return coordinator.get(nuts.pk), leader
    return None, leader


def _commitment(*, year, goal, indicators, avdelning=None, nuts=None, periods, people, today):
    # Its own generator: what one commitment draws never shifts the next one's values,
    # so a second run (which creates nothing) walks the same keys.
    owner = avdelning.name if avdelning else nuts.code if nuts else "nationellt"
    rng = random.Random(f"{owner}-{year}-{goal.number}")
    vm = goal
    title = rng.choice(TITLES[vm.number])
    status = _status(rng, year, today)
    # Submitted in early February, reviewed two weeks later, as the reminders expect (or
    # on the day of seeding, early in a year); the review queue and the commitment page
    # show these dates and the reviewer.
    now = timezone.now()
    handled = {}
    submitter, reviewer = _handlers(people, avdelning, nuts)
    if status != Atagande.Status.DRAFT:
        handled["submitted_at"] = min(datetime.datetime(year, 2, 10, 10, tzinfo=datetime.UTC), now)
        handled["submitted_by"] = submitter
    if status in (Atagande.Status.APPROVED, Atagande.Status.RETURNED):
        handled["reviewed_at"] = min(datetime.datetime(year, 2, 24, 10, tzinfo=datetime.UTC), now)
        handled["reviewed_by"] = reviewer
    a, created = Atagande.objects.get_or_create(
        avdelning=avdelning,
        nuts_omrade=nuts,
        year=year,
        verksamhetsmal=vm,
        title=title,
        defaults={
            "action_plan": "Styrelsen planerar, genomför och följer upp aktiviteterna under året.",
            "resources_sek": Decimal(rng.randrange(5000, 60000, 5000)),
            "resources_hours": rng.randrange(20, 200, 10),
            "resources_people": rng.randint(1, 6),
            "responsible": "Arbetsmarknadsansvarig",
            "status": status,
            **handled,
        },
    )
    if not created:
        return
    if a.status == Atagande.Status.RETURNED:
        a.review_note = "Gör målvärdet mätbart och ange kvinnor och män."
        a.save(update_fields=["review_note"])
    targets = []
    for ind in rng.sample(indicators[vm.pk], k=min(len(indicators[vm.pk]), rng.randint(1, 2))):
        target = Decimal(rng.randint(3, 40))
        women = Decimal(round(target * Decimal("0.4"))) if ind.split_by_gender else None
        targets.append(
            Malvarde.objects.create(
                atagande=a,
                indikator=ind,
                baseline=Decimal(rng.randint(0, 5)),
                target=target,
                target_women=women,
                target_men=target - women if women is not None else None,
            )
        )
    if a.status != Atagande.Status.APPROVED:
        return
    # Followed up once a period has passed: both for a past year; this year's mid-year
    # after June, by most boards.
    if year < today.year:
        done = 2
    else:
        done = 1 if today >= datetime.date(year, 7, 1) and rng.random() < 0.8 else 0
    for i, period in enumerate(periods[year][:done]):
        ratios = [rng.uniform(0.2, 0.7) if i == 0 else rng.uniform(0.5, 1.3) for _ in targets]
        if i == 0:
            status = rng.choice(["on_track", "on_track", "at_risk"])
        elif all(r >= 1 for r in ratios):
            status = "achieved"
        else:
            status = rng.choice(["not_achieved", "at_risk", "achieved"])
        uf = Uppfoljning.objects.create(
            atagande=a, period=period, status=status, comment="Enligt styrelsens protokoll."
        )
        for m, r in zip(targets, ratios, strict=True):
            actual = Decimal(round(float(m.target) * r))
            women = Decimal(round(actual * Decimal("0.4"))) if m.target_women is not None else None
            Utfall.objects.create(
                uppfoljning=uf,
                malvarde=m,
                actual=actual,
                actual_women=women,
                actual_men=actual - women if women is not None else None,
            )


def seed(today=None):
    today = today or timezone.localdate()
    years = range(FIRST_YEAR, today.year + 1)
    # Next year's periods too: a board plans it in December.
    periods = {y: Uppfoljningsperiod.ensure_year(y) for y in range(FIRST_YEAR, today.year + 2)}
    projektmal = {pm.number: pm for pm in Projektmal.objects.all()}
    for maturity, minimums in GUIDANCE.items():
        for number, minimum in enumerate(minimums, start=1):
            Mognadsriktlinje.objects.get_or_create(
                maturity=maturity,
                projektmal=projektmal[number],
                defaults={"min_commitments": minimum},
            )
    goals = list(Verksamhetsmal.objects.order_by("number"))
    indicators = {vm.pk: [] for vm in goals}
    for ind in Indikator.objects.active().order_by("pk"):
        indicators[ind.verksamhetsmal_id].append(ind)
    deltaganden = list(Deltagande.objects.all())
    people = _people()
    common = {"periods": periods, "today": today, "people": people}

    def covers(nuts_id, year):
        return any(d.nuts_omrade_id == nuts_id and d.covers_year(year) for d in deltaganden)

    departments = Avdelning.objects.filter(nuts_omrade__deltaganden__isnull=False).distinct()
    for avd in departments.select_related("nuts_omrade"):
        for year in years:
            if not covers(avd.nuts_omrade_id, year):
                continue
            rng = random.Random(f"{avd.name}-{year}")
            for goal in sorted(rng.sample(goals, k=rng.randint(3, 5)), key=lambda g: g.number):
                _commitment(
                    year=year,
                    goal=goal,
                    indicators=indicators,
                    avdelning=avd,
                    **common,
                )
    for nuts in NutsOmrade.objects.filter(deltaganden__isnull=False).distinct():
        for year in years:
            if covers(nuts.pk, year):
                for number in (3, 8):
                    _commitment(
                        year=year,
                        goal=goals[number - 1],
                        indicators=indicators,
                        nuts=nuts,
                        **common,
                    )
    for year in years:
        if any(d.covers_year(year) for d in deltaganden):
            _commitment(year=year, goal=goals[0], indicators=indicators, **common)
