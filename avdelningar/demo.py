"""Demo organisation: the whole union in the register, 35 departments in all eight NUTS
areas, two of them (Småland med öarna, Sydsverige) in the pilot; each department's members
on 1 January every year, workplaces, a club, a labour-market committee and the people with
the assignments its key figures count; people in every role, logins.

Deterministic and idempotent: every row is found by its natural key before it is created,
and nothing that exists is changed, so a second run does nothing. Department names other
than those the project plan names are invented and flagged ``is_example``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .models import (
    Arbetsplats,
    Avdelning,
    Deltagande,
    Klubb,
    Kommitte,
    KommitteLedamot,
    Lan,
    Medlemsantal,
    NutsOmrade,
    Person,
    Projektbeslut,
    Roll,
    Uppdrag,
)

DEMO_PASSWORD = "regional-demo-2026"

# (name, example?, NUTS, county codes, members on 1 Jan 2019; recorded each year to this one)
AVDELNINGAR = [
    ("IF Metall Gotland", False, "SE21", ["09"], 2100),
    ("IF Metall Norra Småland (exempel)", True, "SE21", ["06"], 9800),
    ("IF Metall Södra Småland (exempel)", True, "SE21", ["07", "06"], 7200),
    ("IF Metall Kalmar län (exempel)", True, "SE21", ["08"], 6400),
    ("IF Metall Blekinge (exempel)", True, "SE22", ["10"], 5600),
    ("IF Metall Skåne Nordost (exempel)", True, "SE22", ["12"], 8300),
    ("IF Metall Västra Skåne (exempel)", True, "SE22", ["12"], 11900),
    ("IF Metall Malmö (exempel)", True, "SE22", ["12"], 6900),
    # Outside the pilot: the rest of the union, in the six areas that do not take part.
    ("IF Metall Stockholms län (exempel)", True, "SE11", ["01"], 12400),
    ("IF Metall Södertälje (exempel)", True, "SE11", ["01"], 7900),
    ("IF Metall Norra Stockholm (exempel)", True, "SE11", ["01"], 4300),
    ("IF Metall Uppsala län (exempel)", True, "SE12", ["03"], 5200),
    ("IF Metall Sörmland (exempel)", True, "SE12", ["04"], 6800),
    ("IF Metall Östra Östergötland (exempel)", True, "SE12", ["05"], 8700),
    ("IF Metall Västra Östergötland (exempel)", True, "SE12", ["05"], 5900),
    ("IF Metall Örebro län (exempel)", True, "SE12", ["18"], 7600),
    ("IF Metall Västmanland (exempel)", True, "SE12", ["19"], 8100),
    ("IF Metall Bergslagen (exempel)", True, "SE12", ["18", "19"], 4700),
    ("IF Metall Halland (exempel)", True, "SE23", ["13"], 6100),
    ("IF Metall Göteborg (exempel)", True, "SE23", ["14"], 14800),
    ("IF Metall Västra Götaland Norra (exempel)", True, "SE23", ["14"], 9300),
    ("IF Metall Västra Götaland Östra (exempel)", True, "SE23", ["14"], 7400),
    ("IF Metall Sjuhärad (exempel)", True, "SE23", ["14"], 5300),
    ("IF Metall Skaraborg (exempel)", True, "SE23", ["14"], 6600),
    ("IF Metall Värmland (exempel)", True, "SE31", ["17"], 7800),
    ("IF Metall Dalarna (exempel)", True, "SE31", ["20"], 6300),
    ("IF Metall Södra Dalarna (exempel)", True, "SE31", ["20"], 5100),
    ("IF Metall Gävleborg (exempel)", True, "SE31", ["21"], 8900),
    ("IF Metall Mittnorrland (exempel)", True, "SE32", ["22"], 6200),
    ("IF Metall Höga Kusten (exempel)", True, "SE32", ["22"], 3900),
    ("IF Metall Jämtland (exempel)", True, "SE32", ["23"], 2600),
    ("IF Metall Västerbotten (exempel)", True, "SE33", ["24"], 6900),
    ("IF Metall Skellefteå (exempel)", True, "SE33", ["24"], 4100),
    ("IF Metall Norrbotten (exempel)", True, "SE33", ["25"], 7300),
    ("IF Metall Malmfälten (exempel)", True, "SE33", ["25"], 3400),
]

PARTICIPATION = [("SE21", datetime.date(2019, 1, 1)), ("SE22", datetime.date(2020, 1, 1))]

# Demo logins: (username, person's name, role, scope: NUTS code or department name or None)
USERS = [
    ("projektledare", "Pia Projektledare", Roll.PROJEKTLEDARE, None),
    ("styrgrupp", "Stig Styrgrupp", Roll.STYRGRUPP, None),
    ("forbundsstyrelse", "Frida Förbundsstyrelse", Roll.FORBUNDSSTYRELSE, None),
    ("samordnare-smaland", "Sara Samordnare", Roll.SAMORDNARE, "SE21"),
    ("samordnare-syd", "Sven Samordnare", Roll.SAMORDNARE, "SE22"),
    ("styrelse-gotland", "Greta Styrelseledamot", Roll.STYRELSELEDAMOT, "IF Metall Gotland"),
    (
        "ordforande-blekinge",
        "Bo Ordförande",
        Roll.ORDFORANDE,
        "IF Metall Blekinge (exempel)",
    ),
    (
        "amo-norrasmaland",
        "Nils Arbetsmarknadsansvarig",
        Roll.ARBETSMARKNADSANSVARIG,
        "IF Metall Norra Småland (exempel)",
    ),
    (
        "forandringsledare-gotland",
        "Gustav Förändringsledare",
        Roll.FORANDRINGSLEDARE,
        "IF Metall Gotland",
    ),
    ("arbetslivsenheten", "Alva Arbetslivsenheten", Roll.ARBETSLIVSENHETEN, None),
    (
        "styrelse-norrbotten",
        "Nora Styrelseledamot",
        Roll.STYRELSELEDAMOT,
        "IF Metall Norrbotten (exempel)",
    ),
]

WORKPLACES = ["Verkstad", "Gjuteri", "Pappersbruk", "Fordonsfabrik", "Plastindustri"]


def _members(base, year):
    # A slow, deterministic decline with a small wobble, like real membership.
    return int(base * (1 - 0.012 * (year - 2019)) + ((year * 37 + base) % 90))


def seed(today=None):
    today = today or timezone.localdate()
    User = get_user_model()
    nuts = {n.code: n for n in NutsOmrade.objects.all()}
    lan = {lan.code: lan for lan in Lan.objects.all()}

    avd = {}
    for name, example, nuts_code, lan_codes, base in AVDELNINGAR:
        obj, created = Avdelning.objects.get_or_create(
            name=name, defaults={"nuts_omrade": nuts[nuts_code], "is_example": example}
        )
        if created:
            obj.lan.set([lan[c] for c in lan_codes])
        avd[name] = obj
        for year in range(2019, today.year + 1):
            Medlemsantal.objects.get_or_create(
                avdelning=obj, year=year, defaults={"active_members": _members(base, year)}
            )
        town = _town(name)
        for i, kind in enumerate(WORKPLACES[:3]):
            ap, _ = Arbetsplats.objects.get_or_create(
                avdelning=obj,
                name=f"{kind} {town} (exempel)",
                defaults={"municipality": town, "employees": 80 + 45 * i},
            )
            if i == 0:
                Klubb.objects.get_or_create(
                    avdelning=obj, name=f"Klubben på {ap.name}", defaults={"arbetsplats": ap}
                )
        Kommitte.objects.get_or_create(
            name=f"Arbetsmarknadskommittén {town}",
            defaults={"typ": Kommitte.Typ.ARBETSMARKNADSKOMMITTE, "avdelning": obj},
        )

    for code, joined in PARTICIPATION:
        Deltagande.objects.get_or_create(nuts_omrade=nuts[code], joined_on=joined)

    people = {}
    for username, person_name, role, scope in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD)
            first, _, last = person_name.partition(" ")
            user.first_name, user.last_name = first, last
            user.save()
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={"name": person_name, "email": f"{username}@example.org"},
        )
        people[username] = person
        kwargs = {}
        if role == Roll.SAMORDNARE:
            kwargs["nuts_omrade"] = nuts[scope]
        elif scope:
            kwargs["avdelning"] = avd[scope]
        start = datetime.date(2019, 1, 1)
        Uppdrag.objects.get_or_create(person=person, role=role, start=start, **kwargs)

    for code, username in [("SE21", "samordnare-smaland"), ("SE22", "samordnare-syd")]:
        Deltagande.objects.filter(nuts_omrade=nuts[code], samordnare__isnull=True).update(
            samordnare=people[username]
        )

    # A cooperation committee across the departments in Skåne, with two members.
    samverkan, _ = Kommitte.objects.get_or_create(
        name="Samverkanskommittén Skåne",
        defaults={"typ": Kommitte.Typ.SAMVERKANSKOMMITTE, "lan": lan["12"]},
    )
    for username, role in [
        ("samordnare-syd", KommitteLedamot.Roll.ORDFORANDE),
        ("ordforande-blekinge", KommitteLedamot.Roll.ADJUNGERAD),
    ]:
        KommitteLedamot.objects.get_or_create(
            kommitte=samverkan,
            person=people[username],
            defaults={"role": role, "start": datetime.date(2020, 3, 1)},
        )

    _register(avd, today)

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)

    seed_beslut(today)


def _town(name):
    return name.replace("IF Metall ", "").replace(" (exempel)", "")


def _register(avd, today):
    """What a department's key figures count from the register (nyckeltal.reporting): a
    labour-market officer, change leaders and members of its labour-market committee,
    held from given years. Pilot departments have them from their area's first year and
    add change leaders as the years go by; departments outside the pilot have fewer,
    later. Example people without logins; a department whose demo login is its officer
    (Norra Småland) gets no second one."""
    joined = {code: date.year for code, date in PARTICIPATION}
    for i, (name, _example, code, _lan, _base) in enumerate(AVDELNINGAR):
        obj, town = avd[name], _town(name)
        if code in joined:
            first = joined[code]
            officer, committee = first, first
            leaders = [first, first + 1, first + 3]
        else:
            officer = 2019 if i % 4 != 3 else None
            committee = 2021 if i % 2 == 0 else None
            leaders = [2022] if i % 3 == 0 else []
        if officer is not None:
            _assignment(obj, Roll.ARBETSMARKNADSANSVARIG, f"Arbetsmarknadsansvarig {town}", officer)
        for n, year in enumerate(leaders, start=1):
            if year <= today.year:
                _assignment(obj, Roll.FORANDRINGSLEDARE, f"Förändringsledare {n} {town}", year)
        if committee is not None:
            kommitte = Kommitte.objects.get(name=f"Arbetsmarknadskommittén {town}")
            person, _ = Person.objects.get_or_create(name=f"Ledamot i kommittén {town} (exempel)")
            KommitteLedamot.objects.get_or_create(
                kommitte=kommitte,
                person=person,
                defaults={
                    "role": KommitteLedamot.Roll.ORDFORANDE,
                    "start": datetime.date(committee, 1, 1),
                },
            )


def _assignment(avdelning, role, name, year):
    """An example person holding the role in the department from 1 January of the year,
    unless the department has someone with the role already (a demo login)."""
    person = Person.objects.filter(name=f"{name} (exempel)", user__isnull=True).first()
    if person is None:
        if role == Roll.ARBETSMARKNADSANSVARIG and (
            Uppdrag.objects.filter(avdelning=avdelning, role=role).exists()
        ):
            return
        person = Person.objects.create(name=f"{name} (exempel)")
    Uppdrag.objects.get_or_create(
        person=person, role=role, avdelning=avdelning, start=datetime.date(year, 1, 1)
    )


def print_logins(stdout):
    stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):\n")
    for username, _, role, scope in USERS:
        stdout.write(f"  {username:28} {role.label} ({scope or 'nationellt'})\n")
    stdout.write(f"  {'admin':28} administratör (Django admin)\n")


# --- The decision log (beslutslogg) ---------------------------------------------------------
# The project's history as the revised plan tells it, as decisions. The plan gives the year
# or the month; the day and the minutes' paragraph are invented and say so ("(exempel)"),
# as do the decisions after the plan (its prolongation past 2023).
B, ORGAN = Projektbeslut.Typ, Projektbeslut.Organ
BESLUT = [
    (
        datetime.date(2018, 6, 14),
        ORGAN.FORBUNDSSTYRELSE,
        B.START,
        "Pilotprojektet Regionala samverkans- och stödstrukturer beslutas",
        None,
        "Förbundsstyrelsen beslutar om ett pilotprojekt för regional samverkan i två "
        "NUTS 2-områden, med en regional samordnare i varje, från 2019. Kostnaderna delas "
        "lika mellan förbundet och avdelningarna, avdelningarnas del efter aktiva medlemmar "
        "den 1 januari. Datumet är ett exempel: planen säger att projektet beslutades 2018.",
        [],
    ),
    (
        datetime.date(2018, 11, 20),
        ORGAN.STYRGRUPP,
        B.START,
        "Start i Småland med öarna den 1 januari 2019",
        "SE21",
        "Avdelningarna i Småland och på Gotland startar först; den regionala samordnaren "
        "tillträder vid årsskiftet. Datumet är ett exempel.",
        [("Småland med öarna", "/omrade/SE21/")],
    ),
    (
        datetime.date(2019, 11, 28),
        ORGAN.FORBUNDSSTYRELSE,
        B.UTVIDGNING,
        "Sydsverige ingår i projektet från den 1 januari 2020",
        "SE22",
        "Avdelningarna i Skåne och Blekinge kommer med ett år efter Småland med öarna, som "
        "planen från början avsåg två områden. Datumet är ett exempel.",
        [("Sydsverige", "/omrade/SE22/")],
    ),
    (
        datetime.date(2020, 9, 24),
        ORGAN.FORBUNDSSTYRELSE,
        B.OMFATTNING,
        "Projektet förlängs till den 31 december 2023",
        None,
        "Förbundsstyrelsen förlänger pilotprojektet till 2023-12-31. Projektledaren föreslår "
        "en reviderad projektplan, förankrad i styrgruppen, för förbundsstyrelsen att besluta. "
        "Planen säger september 2020; dagen är ett exempel.",
        [],
    ),
    (
        datetime.date(2021, 3, 31),
        ORGAN.STYRGRUPP,
        B.PLANREVISION,
        "Reviderade mål efter analysmötena i mars 2021",
        None,
        "Efter utvärderingen 2020 och analysmötena med avdelningarna i båda områdena i mars "
        "2021 ställer sig styrgruppen bakom den reviderade projektplanen med tre projektmål "
        "och åtta verksamhetsmål och föreslår förbundsstyrelsen att anta den.",
        [("Verksamhetsmålen och åtagandena", "/mal/")],
    ),
    (
        datetime.date(2021, 3, 31),
        ORGAN.STYRGRUPP,
        B.OVRIGT,
        "Geografisk utvidgning ska utredas",
        None,
        "Styrgruppen bedömer att projektet har goda möjligheter att växa geografiskt. Det "
        "utreds tillsammans med arbetslivsenheten, med ett förslag under 2021 om var, hur och "
        "när. Projektgruppen utvecklas till en tvärfunktionell grupp.",
        [],
    ),
    (
        datetime.date(2021, 6, 10),
        ORGAN.FORBUNDSSTYRELSE,
        B.PLANREVISION,
        "Den reviderade projektplanen antas",
        None,
        "Förbundsstyrelsen antar den reviderade projektplanen. Kostnaderna fördelas enligt "
        "samma principer som tidigare (50/50, avdelningarnas del efter aktiva medlemmar). "
        "Datumet är ett exempel.",
        [],
    ),
    (
        datetime.date(2023, 9, 21),
        ORGAN.FORBUNDSSTYRELSE,
        B.OMFATTNING,
        "Projektet förlängs till den 31 december 2026 (exempel)",
        None,
        "Ett påhittat beslut för demon: projektet fortsätter efter 2023 i samma två områden.",
        [("Lägesrapporterna", "/rapporter/")],
    ),
]


def seed_beslut(today):
    """The decisions above, recorded by the demo's project leader through the service (so
    the trail has them too); one already there (by its title) is left as it is."""
    leader = get_user_model().objects.filter(username="projektledare").first()
    if leader is None:
        return
    nuts = {n.code: n for n in NutsOmrade.objects.all()}
    existing = set(Projektbeslut.objects.values_list("title", flat=True))
    for number, row in enumerate(BESLUT, start=3):
        decided_on, body, kind, title, code, description, links = row
        if title in existing or decided_on > today:
            continue
        services.projektbeslut_record(
            user=leader,
            kind=kind,
            body=body,
            decided_on=decided_on,
            title=title,
            description=description,
            paragraph=f"§ {number} (exempel)",
            nuts_omrade=nuts.get(code),
            links=links,
        )
