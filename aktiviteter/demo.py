"""Demo register and activities: the plan's two fund projects and two later (invented)
ones with their actors, forums per area, ~40 actors and several hundred activities from
2019 (SE21; SE22 from 2020) to the day it is seeded. An activity is linked to a fund
project only within the project's period.

Deterministic (random.Random(2019)) and idempotent: register rows are found by name before
they are created, and the activities are created only once (marked by a ``demo-`` import key).
Budgets, periods and forum names beyond the plan's are invented for the demo.

A handful of national activities (no area) from 2021 on: cross-unit meetings, the national
dialogue with Arbetsförmedlingen, and the working-life unit's support to a department
outside the pilot (any department whose area does not take part that year; skipped while
the register has none, and added by a later seed once it has).
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from avdelningar.demo import AVDELNINGAR
from avdelningar.models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Lan,
    NutsOmrade,
    Person,
    Roll,
    Uppdrag,
)
from mal.models import Verksamhetsmal

from .models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt

T = Aktor.Typ

# (name, type, NUTS code or None for national, county code or None)
AKTORER = [
    ("Region Jönköpings län", T.REGION, "SE21", "06"),
    ("Region Kronoberg", T.REGION, "SE21", "07"),
    ("Region Kalmar län", T.REGION, "SE21", "08"),
    ("Region Gotland", T.REGION, "SE21", "09"),
    ("Region Skåne", T.REGION, "SE22", "12"),
    ("Region Blekinge", T.REGION, "SE22", "10"),
    ("Jönköpings kommun", T.KOMMUN, "SE21", "06"),
    ("Växjö kommun", T.KOMMUN, "SE21", "07"),
    ("Kalmar kommun", T.KOMMUN, "SE21", "08"),
    ("Karlskrona kommun", T.KOMMUN, "SE22", "10"),
    ("Malmö stad", T.KOMMUN, "SE22", "12"),
    ("Kristianstads kommun", T.KOMMUN, "SE22", "12"),
    ("Arbetsförmedlingen Öst", T.ARBETSFORMEDLINGEN, "SE21", None),
    ("Arbetsförmedlingen Syd", T.ARBETSFORMEDLINGEN, "SE22", None),
    ("Arbetsförmedlingen", T.ARBETSFORMEDLINGEN, None, None),
    ("LO", T.LO, None, None),
    ("LO-distriktet Sydöstra Sverige", T.LO_DISTRIKT, "SE21", None),
    ("LO-distriktet Skåne", T.LO_DISTRIKT, "SE22", "12"),
    ("TSL", T.TSL, None, None),
    ("IUC Skåne", T.IUC, "SE22", "12"),
    ("IUC Kalmar län", T.IUC, "SE21", "08"),
    ("Techtank", T.ARBETSGIVARORGANISATION, "SE22", "10"),
    ("Teknikcollege Jönköpings län", T.TEKNIKCOLLEGE, "SE21", "06"),
    ("Teknikcollege Skåne", T.TEKNIKCOLLEGE, "SE22", "12"),
    ("Motorbranschcollege Småland", T.MOTORBRANSCHCOLLEGE, "SE21", None),
    ("Produktionslyftet", T.PRODUKTIONSLYFTET, None, None),
    ("Teknikföretagen", T.ARBETSGIVARORGANISATION, None, None),
    ("Industriarbetsgivarna", T.ARBETSGIVARORGANISATION, None, None),
    ("IF Metall förbundet", T.ANNAN, None, None),
    ("Unionen", T.FACKFORBUND, None, None),
    ("Sveriges Ingenjörer", T.FACKFORBUND, None, None),
    ("Komvux Jönköping", T.UTBILDNING, "SE21", "06"),
    ("Yrkeshögskolan Kalmar (exempel)", T.UTBILDNING, "SE21", "08"),
    ("ABF Skåne", T.UTBILDNING, "SE22", "12"),
    ("Folkhögskolan i Blekinge (exempel)", T.UTBILDNING, "SE22", "10"),
    ("Tillväxtverket", T.MYNDIGHET, None, None),
    ("Svenska ESF-rådet", T.MYNDIGHET, None, None),
    ("Myndigheten för yrkeshögskolan", T.MYNDIGHET, None, None),
    ("Socialdemokraterna i Skåne", T.PARTI, "SE22", "12"),
    ("Socialdemokraterna i Jönköpings län", T.PARTI, "SE21", "06"),
]

F = Forum.Typ
# (name, type, NUTS, union initiated, active from, actors)
FORUM = [
    (
        "Strukturfondspartnerskapet Småland och öarna",
        F.PARTNERSKAP,
        "SE21",
        False,
        datetime.date(2014, 9, 1),
        ["Region Jönköpings län", "Region Kronoberg", "Region Kalmar län", "LO"],
    ),
    (
        "Industrirådet Jönköpings län",
        F.INDUSTRIRAD,
        "SE21",
        True,
        datetime.date(2019, 10, 1),
        ["Region Jönköpings län", "Teknikföretagen", "Unionen"],
    ),
    (
        "Teknikcollege Jönköpings län, styrelse",
        F.COLLEGE,
        "SE21",
        False,
        datetime.date(2012, 1, 1),
        ["Teknikcollege Jönköpings län", "Komvux Jönköping"],
    ),
    (
        "Kompetensplattform Kalmar län",
        F.KOMPETENSPLATTFORM,
        "SE21",
        False,
        datetime.date(2018, 1, 1),
        ["Region Kalmar län", "Arbetsförmedlingen Öst", "IUC Kalmar län"],
    ),
    (
        "Strukturfondspartnerskapet Sydsverige",
        F.PARTNERSKAP,
        "SE22",
        False,
        datetime.date(2014, 9, 1),
        ["Region Skåne", "Region Blekinge", "LO"],
    ),
    (
        "Industrirådet Skåne",
        F.INDUSTRIRAD,
        "SE22",
        True,
        datetime.date(2021, 3, 1),
        ["Region Skåne", "Teknikföretagen", "IUC Skåne"],
    ),
    (
        "Teknikcollege Skåne, ledningsgrupp",
        F.COLLEGE,
        "SE22",
        False,
        datetime.date(2013, 1, 1),
        ["Teknikcollege Skåne"],
    ),
    (
        "Omställningsrådet Blekinge",
        F.OMSTALLNINGSRAD,
        "SE22",
        False,
        datetime.date(2020, 5, 1),
        ["Region Blekinge", "Arbetsförmedlingen Syd", "TSL", "Karlskrona kommun"],
    ),
]

# (forum, username of the seat holder, member/deputy, from)
PLATSER = [
    ("Strukturfondspartnerskapet Småland och öarna", "samordnare-smaland", "ledamot", 2019),
    ("Strukturfondspartnerskapet Småland och öarna", "amo-norrasmaland", "ersattare", 2019),
    ("Industrirådet Jönköpings län", "amo-norrasmaland", "ledamot", 2019),
    ("Teknikcollege Jönköpings län, styrelse", "samordnare-smaland", "ledamot", 2020),
    ("Strukturfondspartnerskapet Sydsverige", "samordnare-syd", "ledamot", 2020),
    ("Strukturfondspartnerskapet Sydsverige", "ordforande-blekinge", "ersattare", 2020),
    ("Industrirådet Skåne", "samordnare-syd", "ledamot", 2021),
]

PROJEKT = [
    {
        "name": "CO-Skill",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "Socialfonden, industrispåret",
        "owner": "Region Skåne",
        "partners": ["Region Blekinge", "IUC Skåne", "Techtank"],
        "union_role": Strukturfondsprojekt.Roll.INITIATIVTAGARE,
        "budget_sek": 18_500_000,
        "start": datetime.date(2020, 9, 1),
        "end": datetime.date(2023, 8, 31),
        "areas": ["SE22"],
        "participants": (140, 410),
    },
    {
        "name": "Framtidssäkrad industri",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "Socialfonden, kompetensutveckling för anställda",
        "owner": "Region Jönköpings län",
        "partners": ["Region Kronoberg", "IF Metall förbundet", "Teknikföretagen", "Unionen"],
        "union_role": Strukturfondsprojekt.Roll.PARTNER,
        "budget_sek": 24_000_000,
        "start": datetime.date(2020, 10, 1),
        "end": datetime.date(2023, 12, 31),
        "areas": ["SE21"],
        "participants": (180, 520),
    },
    {
        "name": "Kompetensnav Sydost (exempel)",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "ESF+, kompetensförsörjning",
        "owner": "Region Kalmar län",
        "partners": ["Region Kronoberg", "IUC Kalmar län", "Teknikföretagen"],
        "union_role": Strukturfondsprojekt.Roll.STYRGRUPP,
        "budget_sek": 15_000_000,
        "start": datetime.date(2024, 3, 1),
        "end": datetime.date(2027, 2, 28),
        "areas": ["SE21"],
        "participants": (90, 260),
    },
    {
        "name": "Industrilyftet Skåne (exempel)",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "ESF+, omställning i industrin",
        "owner": "Region Skåne",
        "partners": ["IUC Skåne", "Teknikföretagen", "Unionen"],
        "union_role": Strukturfondsprojekt.Roll.PARTNER,
        "budget_sek": 21_000_000,
        "start": datetime.date(2024, 1, 1),
        "end": datetime.date(2027, 6, 30),
        "areas": ["SE22"],
        "participants": (120, 380),
    },
]

A = Aktivitet.Typ
# type: (goals it usually serves, title templates, note phrases)
KINDS = {
    A.MOTE: (
        [8, 3],
        ["Möte med {aktor}", "Samverkansmöte med {aktor}"],
        "Vi gick igenom kompetensförsörjningen i industrin och hur avdelningarna kan samverka.",
    ),
    A.WORKSHOP: (
        [3, 1],
        ["Workshop om åtaganden med {avd}", "Workshop om avdelningssamverkan"],
        "Avdelningarna arbetade fram gemensamma mål och en handlingsplan för året.",
    ),
    A.UTBILDNING: (
        [2, 5],
        ["Arbetsliv i förändring för {avd}", "Utbildning i Hållbart arbete"],
        "Utbildningen samlade förtroendevalda från flera klubbar; uppföljning planeras.",
    ),
    A.ARBETSPLATSBESOK: (
        [5, 2],
        ["Arbetsplatsbesök på {ap}", "Besök hos klubben på {ap}"],
        "Samtal om omställning och validering av de anställdas kunskaper.",
    ),
    A.FORUMMOTE: (
        [7, 8],
        ["Sammanträde i {forum}"],
        "Forumet diskuterade regionens utvecklingsstrategi och industrins behov.",
    ),
    A.KONFERENS: (
        [8, 6],
        ["Regional industrikonferens", "Konferens om kompetensförsörjning"],
        "Samordnaren presenterade projektets resultat för regionala aktörer.",
    ),
    A.PAVERKAN: (
        [6],
        ["Uppvaktning av {aktor}", "Samtal med politiker om industripolitiken"],
        "Vi lyfte förbundets industripolitiska mål och behovet av yrkesutbildning.",
    ),
    A.FONDPROJEKT: (
        [4, 2],
        ["Styrgruppsmöte i {projekt}", "Arbete i {projekt}"],
        "Genomgång av deltagare och aktiviteter i strukturfondsprojektet.",
    ),
    A.VARSEL: (
        [5, 4],
        ["Omställningsinsats vid varsel på {ap}"],
        "Varsel om uppsägningar; kontakt med TSL och Arbetsförmedlingen om stöd.",
    ),
    A.ANALYS: (
        [1, 8],
        ["Analysmöte om läget i {omrade}"],
        "Genomgång av arbetsmarknadsläget och avdelningarnas åtaganden.",
    ),
}

COORDINATORS = {"SE21": "samordnare-smaland", "SE22": "samordnare-syd"}
START_YEAR = {"SE21": 2019, "SE22": 2020}
PER_YEAR = 40


def seed(today=None):
    today = today or timezone.localdate()
    nuts = {n.code: n for n in NutsOmrade.objects.filter(code__in=["SE21", "SE22"])}
    lan = {lan.code: lan for lan in Lan.objects.all()}
    aktorer = {}
    for name, typ, code, lan_code in AKTORER:
        aktorer[name], _ = Aktor.objects.get_or_create(
            name=name,
            defaults={
                "typ": typ,
                "nuts_omrade": nuts.get(code),
                "lan": lan.get(lan_code),
            },
        )
    people = {
        p.user.username: p for p in Person.objects.filter(user__isnull=False).select_related("user")
    }
    forum = {}
    for name, typ, code, initiated, start, actor_names in FORUM:
        obj, created = Forum.objects.get_or_create(
            nuts_omrade=nuts[code],
            name=name,
            defaults={"typ": typ, "union_initiated": initiated, "active_from": start},
        )
        if created:
            obj.aktorer.set([aktorer[a] for a in actor_names])
        forum[name] = obj
    for forum_name, username, role, year in PLATSER:
        if username in people:
            ForumPlats.objects.get_or_create(
                forum=forum[forum_name],
                person=people[username],
                role=role,
                defaults={"start": datetime.date(year, 1, 1)},
            )
    avd_by_area = {
        code: list(
            Avdelning.objects.filter(name__in=[a[0] for a in AVDELNINGAR], nuts_omrade__code=code)
        )
        for code in nuts
    }
    projekt = {code: [] for code in nuts}
    for p in PROJEKT:
        obj, created = Strukturfondsprojekt.objects.get_or_create(
            name=p["name"],
            defaults={
                "fund": p["fund"],
                "programme": p["programme"],
                "owner": aktorer[p["owner"]],
                "union_role": p["union_role"],
                "budget_sek": p["budget_sek"],
                "start": p["start"],
                "end": p["end"],
                "participants_women": p["participants"][0],
                "participants_men": p["participants"][1],
            },
        )
        if created:
            obj.partners.set([aktorer[a] for a in p["partners"]])
            obj.omraden.set([nuts[c] for c in p["areas"]])
            obj.avdelningar.set(avd_by_area[p["areas"][0]])
        projekt[p["areas"][0]].append(obj)

    if not Aktivitet.objects.filter(import_key__startswith="demo-").exists():
        _activities(nuts, aktorer, forum, projekt, avd_by_area, today)
        _next_steps(today)
    _national(aktorer, avd_by_area, today)
    seed_outside_pilot()


# National activities: (date, type, title, goals, actors, departments: "pilot" for one of
# each pilot area's, "utanfor" for one outside the pilot that year, None for none, notes).
N = Aktivitet.Typ
NATIONAL = [
    (
        datetime.date(2021, 3, 16),
        N.TVARGRUPPSMOTE,
        "Tvärgruppsmöte: samordnarna och arbetslivsenheten",
        [3, 1],
        [],
        None,
        "Samordnarna från båda områdena jämförde arbetssätt och planerade årets åtaganden.",
    ),
    (
        datetime.date(2021, 10, 12),
        N.AF_DIALOG,
        "Nationell dialog med Arbetsförmedlingen om omställning",
        [8, 4],
        ["Arbetsförmedlingen"],
        None,
        "Förbundet och Arbetsförmedlingen gick igenom stödet vid större varsel i industrin.",
    ),
    (
        datetime.date(2022, 5, 10),
        N.TVARGRUPPSMOTE,
        "Tvärgruppsmöte om strukturfondsprogrammen",
        [4, 3],
        ["Svenska ESF-rådet"],
        "pilot",
        "Erfarenheter av ansökningar till ESF+ delades mellan områdena.",
    ),
    (
        datetime.date(2023, 2, 8),
        N.AF_DIALOG,
        "Nationell dialog med Arbetsförmedlingen om kompetensförsörjning",
        [8, 2],
        ["Arbetsförmedlingen"],
        None,
        "Matchning och yrkesutbildning för industrin; uppföljning i höst.",
    ),
    (
        datetime.date(2023, 9, 19),
        N.STOD,
        "Arbetslivsenhetens stöd inför en ESF-ansökan",
        [4],
        ["Svenska ESF-rådet"],
        "utanfor",
        "Arbetslivsenheten stöttade en avdelning utanför piloten i en ansökan om fondmedel.",
    ),
    (
        datetime.date(2024, 4, 17),
        N.TVARGRUPPSMOTE,
        "Tvärgruppsmöte: erfarenheter från Småland och Sydsverige",
        [3],
        [],
        "pilot",
        "Vad har fungerat, och vad behöver ett nytt område för att komma igång?",
    ),
    (
        datetime.date(2025, 3, 11),
        N.STOD,
        "Arbetslivsenhetens stöd vid varsel",
        [5, 4],
        ["TSL"],
        "utanfor",
        "Stöd till en avdelning utanför piloten vid ett varsel: kontakter med TSL och AF.",
    ),
    (
        datetime.date(2025, 11, 5),
        N.AF_DIALOG,
        "Nationell dialog med Arbetsförmedlingen om validering",
        [8, 2],
        ["Arbetsförmedlingen"],
        None,
        "Validering av industriarbetares kunskaper och hur förbundet kan bidra.",
    ),
    (
        datetime.date(2026, 2, 10),
        N.TVARGRUPPSMOTE,
        "Tvärgruppsmöte om årets åtaganden",
        [1, 3],
        [],
        "pilot",
        "Områdenas åtaganden jämfördes med projektplanens mål.",
    ),
    (
        datetime.date(2026, 6, 2),
        N.STOD,
        "Arbetslivsenhetens stöd i kompetensutveckling",
        [2, 5],
        ["Produktionslyftet"],
        "utanfor",
        "Stöd till en avdelning utanför piloten: kompetensutveckling på arbetsplatserna.",
    ),
]


def _national(aktorer, avd_by_area, today):
    """The national activities up to today, each once (found by its import key). The
    project leader logs the meetings and the dialogue; the working-life unit, if the demo
    has a person in it, its support."""
    User = get_user_model()
    leader = User.objects.filter(username="projektledare").first()
    unit = (
        Uppdrag.objects.current(today)
        .filter(role=Roll.ARBETSLIVSENHETEN, person__user__isnull=False)
        .select_related("person__user")
        .first()
    )
    goals = {g.number: g for g in Verksamhetsmal.objects.all()}
    for n, (day, typ, title, goal_numbers, actors, deps, notes) in enumerate(NATIONAL, 1):
        key = f"demo-nationell-{n:02d}"
        if day > today or Aktivitet.objects.filter(import_key=key).exists():
            continue
        if deps == "pilot":
            avdelningar = [rows[0] for _code, rows in sorted(avd_by_area.items()) if rows]
        elif deps == "utanfor":
            pilot = Deltagande.objects.nuts_ids(day.year)
            outside = Avdelning.objects.exclude(nuts_omrade_id__in=pilot).order_by("name").first()
            if outside is None:
                continue  # no department outside the pilot in the register (yet)
            avdelningar = [outside]
        else:
            avdelningar = []
        by = unit.person.user if typ == N.STOD and unit else leader
        aktivitet = Aktivitet.objects.create(
            date=day,
            typ=typ,
            title=title,
            notes=notes,
            niva=Aktivitet.Niva.NATIONELL,
            nuts_omrade=None,
            participants_women=3 + n % 4,
            participants_men=5 + n % 3,
            created_by=by,
            import_key=key,
        )
        aktivitet.avdelningar.set(avdelningar)
        aktivitet.verksamhetsmal.set([goals[g] for g in goal_numbers])
        aktivitet.aktorer.set([aktorer[a] for a in actors if a in aktorer])


# (next step, days from the day of seeding to its date; None: no date, "klart": done)
NEXT_STEPS = [
    ("Skicka minnesanteckningarna till deltagarna", -9),
    ("Boka uppföljningsmöte med regionen", -2),
    ("Ta fram underlag till avdelningsstyrelsen", 5),
    ("Återkoppla till klubbarna på arbetsplatserna", 16),
    ("Stäm av nästa ansökningsomgång med projektägaren", None),
    ("Sammanfatta utvärderingen för samordnaren", "klart"),
]


def _next_steps(now):
    """The coordinators' latest activities carry next steps as the form would: some
    overdue, some ahead, one without a date, one already done (the start page lists the
    open ones)."""
    changed = []
    for code in ("SE21", "SE22"):
        latest = Aktivitet.objects.filter(
            import_key__startswith="demo-", nuts_omrade__code=code
        ).order_by("-date", "-pk")[: len(NEXT_STEPS)]
        for aktivitet, (step, when) in zip(latest, NEXT_STEPS, strict=False):
            aktivitet.next_step = step
            if when == "klart":
                aktivitet.next_step_due = now - datetime.timedelta(days=20)
                aktivitet.next_step_done_at = datetime.datetime.combine(
                    now - datetime.timedelta(days=21), datetime.time(15), datetime.UTC
                )
            elif when is not None:
                aktivitet.next_step_due = now + datetime.timedelta(days=when)
            changed.append(aktivitet)
    Aktivitet.objects.bulk_update(changed, ["next_step", "next_step_due", "next_step_done_at"])


def _running(projects, day):
    """The first of the projects that runs on day, or None."""
    return next((p for p in projects if p.start <= day and (p.end is None or day <= p.end)), None)


def _activities(nuts, aktorer, forum, projekt, avd_by_area, today):
    rng = random.Random(2019)
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=COORDINATORS.values())}
    goals = {g.number: g for g in Verksamhetsmal.objects.all()}
    workplaces = {}
    for ap in Arbetsplats.objects.filter(
        avdelning__in=[a for v in avd_by_area.values() for a in v]
    ):
        workplaces.setdefault(ap.avdelning_id, []).append(ap)
    actors_by_area = {
        code: [a for a in aktorer.values() if a.nuts_omrade_id in (None, n.pk)]
        for code, n in nuts.items()
    }
    forums_by_area = {
        code: [f for f in forum.values() if f.nuts_omrade_id == n.pk] for code, n in nuts.items()
    }
    kinds = list(KINDS)
    plan = []  # (activity, departments, goals, actors, workplaces)
    n = 0
    for code in ("SE21", "SE22"):
        if code not in nuts:
            continue
        for year in range(START_YEAR[code], today.year + 1):
            # This year up to today: as many activities as the part of the year passed.
            days = (min(datetime.date(year, 12, 31), today) - datetime.date(year, 1, 1)).days + 1
            count = PER_YEAR if year > START_YEAR[code] else PER_YEAR // 2
            for _ in range(max(1, count * days // 365)):
                n += 1
                kind = rng.choice(kinds)
                goal_numbers, titles, note = KINDS[kind]
                deps = (
                    rng.sample(avd_by_area[code], k=rng.choice([1, 1, 1, 2]))
                    if avd_by_area[code]
                    else []
                )
                if rng.random() < 0.05 and code == "SE21" and avd_by_area.get("SE22"):
                    deps.append(rng.choice(avd_by_area["SE22"]))  # a joint activity across areas
                aps = (
                    [rng.choice(workplaces[deps[0].pk])]
                    if deps
                    and kind in (A.ARBETSPLATSBESOK, A.VARSEL)
                    and workplaces.get(deps[0].pk)
                    else []
                )
                actor_list = rng.sample(actors_by_area[code], k=rng.choice([0, 1, 1, 2, 3]))
                fo = rng.choice(forums_by_area[code]) if kind == A.FORUMMOTE else None
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))
                pr = _running(projekt.get(code, []), day) if kind == A.FONDPROJEKT else None
                title = rng.choice(titles).format(
                    aktor=actor_list[0].name if actor_list else nuts[code].name,
                    avd=deps[0].name if deps else nuts[code].name,
                    ap=aps[0].name if aps else "en verkstad",
                    forum=fo.name if fo else "forumet",
                    projekt=pr.name if pr else "projektet",
                    omrade=nuts[code].name,
                )
                if kind == A.FONDPROJEKT and pr is None:
                    title = "Förberedelse av en ansökan om strukturfondsmedel"
                extra = [g for g in goal_numbers[1:] if rng.random() < 0.5]
                people = rng.randrange(0, 40) if kind != A.PAVERKAN else rng.randrange(0, 5)
                women = int(people * rng.uniform(0.15, 0.45))
                other = 1 if people and rng.random() < 0.1 else 0
                plan.append(
                    (
                        Aktivitet(
                            date=day,
                            typ=kind,
                            title=title[:200],
                            notes=note,
                            nuts_omrade=nuts[code],
                            forum=fo,
                            projekt=pr,
                            participants_women=women,
                            participants_men=people - women - other
                            if people > women + other
                            else 0,
                            participants_other=other,
                            created_by=users.get(COORDINATORS[code]),
                            import_key=f"demo-{n:04d}",
                        ),
                        deps,
                        [goals[g] for g in [goal_numbers[0], *extra]],
                        actor_list,
                        aps,
                    )
                )
    created = Aktivitet.objects.bulk_create([p[0] for p in plan])
    # PostgreSQL and SQLite both return the ids from bulk_create.
    Through = Aktivitet.avdelningar.through
    Through.objects.bulk_create(
        [
            Through(aktivitet_id=a.pk, avdelning_id=d.pk)
            for a, (_, deps, *_r) in zip(created, plan, strict=True)
            for d in deps
        ]
    )
    Through = Aktivitet.verksamhetsmal.through
    Through.objects.bulk_create(
        [
            Through(aktivitet_id=a.pk, verksamhetsmal_id=g.pk)
            for a, p in zip(created, plan, strict=True)
            for g in p[2]
        ]
    )
    Through = Aktivitet.aktorer.through
    Through.objects.bulk_create(
        [
            Through(aktivitet_id=a.pk, aktor_id=x.pk)
            for a, p in zip(created, plan, strict=True)
            for x in p[3]
        ]
    )
    Through = Aktivitet.arbetsplatser.through
    Through.objects.bulk_create(
        [
            Through(aktivitet_id=a.pk, arbetsplats_id=x.pk)
            for a, p in zip(created, plan, strict=True)
            for x in p[4]
        ]
    )


# --- Departments outside the pilot in forums and fund projects ---------------------------
# The plan: about ten departments outside the pilot took part in ESF projects. Their seats
# and projects are in the shared register like the pilot's, so their key figures "seats in
# forums" and "fund projects" (nyckeltal.reporting) count them. All invented ("(exempel)");
# kept apart from the pilot's register above (their own actors, forums and projects), so
# the pilot's activities, drawn from those, stay as they were.

# (name, type, county code)
UTANFOR_AKTORER = [
    ("Region Norrbotten", T.REGION, "25"),
    ("Region Västerbotten", T.REGION, "24"),
    ("Region Örebro län", T.REGION, "18"),
    ("Västra Götalandsregionen", T.REGION, "14"),
    ("Region Värmland", T.REGION, "17"),
    ("Region Östergötland", T.REGION, "05"),
]
# (name, type, NUTS, active from, actors)
UTANFOR_FORUM = [
    (
        "Strukturfondspartnerskapet Övre Norrland",
        F.PARTNERSKAP,
        "SE33",
        datetime.date(2014, 9, 1),
        ["Region Norrbotten", "Region Västerbotten"],
    ),
    (
        "Industrirådet Värmland (exempel)",
        F.INDUSTRIRAD,
        "SE31",
        datetime.date(2020, 2, 1),
        ["Region Värmland"],
    ),
    (
        "Kompetensplattform Östergötland (exempel)",
        F.KOMPETENSPLATTFORM,
        "SE12",
        datetime.date(2018, 1, 1),
        ["Region Östergötland"],
    ),
    (
        "Teknikcollege Västra Götaland, styrelse (exempel)",
        F.COLLEGE,
        "SE23",
        datetime.date(2016, 1, 1),
        ["Västra Götalandsregionen"],
    ),
]
# (forum, department (its labour-market officer, else someone else with an assignment
# there holds the seat), member/deputy, from, to)
UTANFOR_PLATSER = [
    (
        "Strukturfondspartnerskapet Övre Norrland",
        "IF Metall Norrbotten (exempel)",
        "ledamot",
        2019,
        None,
    ),
    (
        "Strukturfondspartnerskapet Övre Norrland",
        "IF Metall Skellefteå (exempel)",
        "ersattare",
        2019,
        2022,
    ),
    ("Industrirådet Värmland (exempel)", "IF Metall Värmland (exempel)", "ledamot", 2020, None),
    (
        "Kompetensplattform Östergötland (exempel)",
        "IF Metall Östra Östergötland (exempel)",
        "ledamot",
        2019,
        None,
    ),
    (
        "Teknikcollege Västra Götaland, styrelse (exempel)",
        "IF Metall Sjuhärad (exempel)",
        "ledamot",
        2021,
        None,
    ),
]
UTANFOR_PROJEKT = [
    {
        "name": "Omställning Norr (exempel)",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "Socialfonden, kompetensutveckling för anställda",
        "owner": "Region Norrbotten",
        "partners": ["Region Västerbotten"],
        "union_role": Strukturfondsprojekt.Roll.PARTNER,
        "budget_sek": 14_000_000,
        "start": datetime.date(2018, 9, 1),
        "end": datetime.date(2021, 8, 31),
        "areas": ["SE33"],
        "avdelningar": [
            "IF Metall Norrbotten (exempel)",
            "IF Metall Malmfälten (exempel)",
            "IF Metall Västerbotten (exempel)",
            "IF Metall Skellefteå (exempel)",
        ],
        "participants": (60, 240),
    },
    {
        "name": "Kompetenslyft Bergslagen (exempel)",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "Socialfonden, kompetensförsörjning",
        "owner": "Region Örebro län",
        "partners": [],
        "union_role": Strukturfondsprojekt.Roll.STYRGRUPP,
        "budget_sek": 9_500_000,
        "start": datetime.date(2019, 3, 1),
        "end": datetime.date(2022, 2, 28),
        "areas": ["SE12"],
        "avdelningar": [
            "IF Metall Örebro län (exempel)",
            "IF Metall Bergslagen (exempel)",
            "IF Metall Västmanland (exempel)",
        ],
        "participants": (45, 170),
    },
    {
        "name": "Industrins kompetens Väst (exempel)",
        "fund": Strukturfondsprojekt.Fond.ESF,
        "programme": "Socialfonden, industrispåret",
        "owner": "Västra Götalandsregionen",
        "partners": [],
        "union_role": Strukturfondsprojekt.Roll.PARTNER,
        "budget_sek": 16_000_000,
        "start": datetime.date(2020, 1, 1),
        "end": datetime.date(2022, 12, 31),
        "areas": ["SE23"],
        "avdelningar": [
            "IF Metall Göteborg (exempel)",
            "IF Metall Skaraborg (exempel)",
            "IF Metall Sjuhärad (exempel)",
        ],
        "participants": (70, 260),
    },
    {
        "name": "Grön omställning Norrbotten (exempel)",
        "fund": Strukturfondsprojekt.Fond.FRO,
        "programme": "Fonden för en rättvis omställning, Norrbotten",
        "owner": "Region Norrbotten",
        "partners": [],
        "union_role": Strukturfondsprojekt.Roll.PARTNER,
        "budget_sek": 22_000_000,
        "start": datetime.date(2023, 1, 1),
        "end": datetime.date(2026, 12, 31),
        "areas": ["SE33"],
        "avdelningar": ["IF Metall Norrbotten (exempel)", "IF Metall Malmfälten (exempel)"],
        "participants": (50, 190),
    },
]


def _seat_holder(avdelning):
    """The department's labour-market officer, else anyone with an assignment there."""
    rows = Uppdrag.objects.filter(avdelning=avdelning).select_related("person")
    first = rows.filter(role=Roll.ARBETSMARKNADSANSVARIG).order_by("start", "pk").first()
    return (first or rows.order_by("start", "pk").first() or Uppdrag()).person_id


def seed_outside_pilot():
    """The register rows above, found by name before they are created (idempotent); a
    department or county the register lacks is skipped."""
    nuts = {n.code: n for n in NutsOmrade.objects.all()}
    lan = {lan.code: lan for lan in Lan.objects.all()}
    avd = {a.name: a for a in Avdelning.objects.all()}
    aktorer = {}
    for name, typ, lan_code in UTANFOR_AKTORER:
        county = lan.get(lan_code)
        aktorer[name], _ = Aktor.objects.get_or_create(
            name=name,
            defaults={
                "typ": typ,
                "lan": county,
                "nuts_omrade": county.nuts_omrade if county else None,
            },
        )
    forum = {}
    for name, typ, code, start, actor_names in UTANFOR_FORUM:
        obj, created = Forum.objects.get_or_create(
            nuts_omrade=nuts[code],
            name=name,
            defaults={"typ": typ, "union_initiated": False, "active_from": start},
        )
        if created:
            obj.aktorer.set([aktorer[a] for a in actor_names])
        forum[name] = obj
    for forum_name, avd_name, role, start, end in UTANFOR_PLATSER:
        person_id = _seat_holder(avd[avd_name]) if avd_name in avd else None
        if person_id is None:
            continue
        ForumPlats.objects.get_or_create(
            forum=forum[forum_name],
            person_id=person_id,
            role=role,
            defaults={
                "start": datetime.date(start, 1, 1),
                "end": datetime.date(end, 12, 31) if end else None,
            },
        )
    for p in UTANFOR_PROJEKT:
        obj, created = Strukturfondsprojekt.objects.get_or_create(
            name=p["name"],
            defaults={
                "fund": p["fund"],
                "programme": p["programme"],
                "owner": aktorer[p["owner"]],
                "union_role": p["union_role"],
                "budget_sek": p["budget_sek"],
                "start": p["start"],
                "end": p["end"],
                "participants_women": p["participants"][0],
                "participants_men": p["participants"][1],
            },
        )
        if created:
            obj.partners.set([aktorer[a] for a in p["partners"]])
            obj.omraden.set([nuts[c] for c in p["areas"]])
            obj.avdelningar.set([avd[n] for n in p["avdelningar"] if n in avd])
