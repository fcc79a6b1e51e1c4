"""Demo organisation: the two pilot areas, their departments, people in every role, logins.

Deterministic and idempotent: every row is found by its natural key before it is created,
and nothing that exists is changed, so a second run does nothing. Department names other
than those the project plan names are invented and flagged ``is_example``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

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
        town = name.replace("IF Metall ", "").replace(" (exempel)", "")
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

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)


def print_logins(stdout):
    stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):\n")
    for username, _, role, scope in USERS:
        stdout.write(f"  {username:28} {role.label} ({scope or 'nationellt'})\n")
    stdout.write(f"  {'admin':28} administratör (Django admin)\n")
