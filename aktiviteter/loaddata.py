"""Load data for `manage.py generate_load_data`: actors, forums, fund projects and activities
with their departments, goals, actors and workplaces.

Bulk inserts through ``avdelningar.loaddata.bulk_insert``; not used by the app itself.

One activity in NATIONAL_EVERY is national (no area, no forum or project; its departments
kept): the same random draws are made for it as for the others, so the rest of the data is
what it was before national activities existed.
"""

import datetime

from django.utils import timezone

from avdelningar.loaddata import Ids, bulk_insert, m2m, reset_sequences
from mal.models import Verksamhetsmal

from .models import Aktivitet, Aktor, Forum, ForumPlats, Strukturfondsprojekt

TOPICS = [
    "kompetensförsörjning", "omställning", "elektrifiering", "batteriproduktion",
    "yrkesutbildning", "validering", "arbetsmiljö", "digitalisering", "varsel",
    "strukturfonder", "industripolitik", "jämställdhet", "lärlingar", "vätgas",
    "fossilfritt stål", "automation", "kompetensplattform", "programråd",
]  # fmt: skip
NOTE_PARTS = [
    "Vi gick igenom läget på arbetsplatserna.",
    "Regionen presenterade sin kompetensanalys.",
    "Klubben tar fram en plan för utbildning.",
    "Arbetsförmedlingen berättade om matchningsinsatser.",
    "Nästa möte bokas efter sommaren.",
    "Kvinnors yrkesutveckling lyftes särskilt.",
    "Flera företag har varslat och behöver stöd i omställningen.",
    "Diskussion om ansökan till ESF+.",
]


NATIONAL_EVERY = 100
NATIONAL_TYPES = [
    Aktivitet.Typ.TVARGRUPPSMOTE,
    Aktivitet.Typ.AF_DIALOG,
    Aktivitet.Typ.STOD,
    Aktivitet.Typ.MOTE,
]


def _date_between(rnd, first, last):
    return datetime.date.fromordinal(rnd.randint(first.toordinal(), last.toordinal()))


def seed(rnd, org, *, last_year, activities=100_000, actors=2000, forums=300, projects=200):
    areas, departments = org["areas"], org["departments"]
    towns = {d.pk: d.town for d in departments}
    deps_by_area = {}
    for d in departments:
        deps_by_area.setdefault(d.nuts_omrade_id, []).append(d.pk)
    wps_by_dep = {}
    for wp in org["workplaces"]:
        wps_by_dep.setdefault(wp["avdelning_id"], []).append(wp["id"])
    goals = list(Verksamhetsmal.objects.values_list("pk", flat=True))
    end = min(timezone.localdate(), datetime.date(last_year, 12, 31))

    # Actors: most belong to an area, some are national.
    aktor_ids = Ids(Aktor)
    aktor_rows, actors_by_area, national = [], {}, []
    types = [t for t, _ in Aktor.Typ.choices]
    for i in range(actors):
        area = areas[i % len(areas)] if i % 10 else None
        typ = types[i % len(types)]
        pk = aktor_ids.take()
        aktor_rows.append(
            {
                "id": pk,
                "name": f"{Aktor.Typ(typ).label} {area.code if area else 'nationell'} {i + 1}",
                "typ": typ,
                "nuts_omrade_id": area.pk if area else None,
            }
        )
        (actors_by_area.setdefault(area.pk, []) if area else national).append(pk)
    bulk_insert(Aktor, aktor_rows)

    forum_ids, plats_ids = Ids(Forum), Ids(ForumPlats)
    forum_rows, seats, forum_actor_pairs, forums_by_area = [], [], [], {}
    forum_types = [t for t, _ in Forum.Typ.choices]
    for i in range(forums):
        area = areas[i % len(areas)]
        pk = forum_ids.take()
        first = datetime.date(org["joined"][area.pk] + rnd.randint(0, 3), 1, 1)
        forum_rows.append(
            {
                "id": pk,
                "name": f"{Forum.Typ(forum_types[i % len(forum_types)]).label} {area.code} {i + 1}",
                "typ": forum_types[i % len(forum_types)],
                "nuts_omrade_id": area.pk,
                "union_initiated": rnd.random() < 0.3,
                "active_from": first,
                "active_to": None if rnd.random() < 0.8 else datetime.date(last_year - 1, 12, 31),
            }
        )
        forums_by_area.setdefault(area.pk, []).append(pk)
        if rnd.random() < 0.7:
            seats.append(
                {
                    "id": plats_ids.take(),
                    "forum_id": pk,
                    "person_id": rnd.choice(org["people"]),
                    "role": "ledamot",
                    "start": first,
                }
            )
        for a in rnd.sample(actors_by_area[area.pk], min(2, len(actors_by_area[area.pk]))):
            forum_actor_pairs.append((pk, a))
    bulk_insert(Forum, forum_rows)
    bulk_insert(ForumPlats, seats)
    m2m(Forum, "aktorer", forum_actor_pairs)

    projekt_ids = Ids(Strukturfondsprojekt)
    projekt_rows, p_areas, p_partners, p_deps, projects_by_area = [], [], [], [], {}
    funds = [f for f, _ in Strukturfondsprojekt.Fond.choices]
    roles = [r for r, _ in Strukturfondsprojekt.Roll.choices]
    for i in range(projects):
        area = areas[i % len(areas)]
        pk = projekt_ids.take()
        start = datetime.date(org["joined"][area.pk] + rnd.randint(0, 6), rnd.randint(1, 12), 1)
        projekt_rows.append(
            {
                "id": pk,
                "name": f"Projekt {TOPICS[i % len(TOPICS)]} {area.code} {i + 1}",
                "fund": funds[i % len(funds)],
                "programme": "Programmet för regional utveckling",
                "owner_id": rnd.choice(actors_by_area[area.pk]),
                "union_role": roles[i % len(roles)],
                "budget_sek": rnd.randrange(500_000, 30_000_000, 100_000),
                "start": start,
                "end": start.replace(year=start.year + 3),
                "participants_women": rnd.randint(0, 300),
                "participants_men": rnd.randint(0, 500),
            }
        )
        projects_by_area.setdefault(area.pk, []).append(pk)
        p_areas.append((pk, area.pk))
        pool = actors_by_area[area.pk]
        p_partners += [(pk, a) for a in rnd.sample(pool, min(3, len(pool)))]
        p_deps += [(pk, d) for d in rnd.sample(deps_by_area[area.pk], 2)]
    bulk_insert(Strukturfondsprojekt, projekt_rows)
    m2m(Strukturfondsprojekt, "omraden", p_areas)
    m2m(Strukturfondsprojekt, "partners", p_partners)
    m2m(Strukturfondsprojekt, "avdelningar", p_deps)

    akt_ids = Ids(Aktivitet)
    rows, a_deps, a_goals, a_actors, a_wps = [], [], [], [], []
    # The area activities' types as they were before the national ones came (the same draws).
    types = [t for t in Aktivitet.Typ.values if t not in NATIONAL_TYPES[:3]]
    labels = dict(Aktivitet.Typ.choices)
    all_deps = [d.pk for d in departments]
    for i in range(activities):
        area = rnd.choice(areas)
        pk = akt_ids.take()
        typ = rnd.choice(types)
        deps = []
        if rnd.random() < 0.9:
            deps = rnd.sample(deps_by_area[area.pk], rnd.randint(1, 2))
        if rnd.random() < 0.03:  # a department across the border: a two-area activity
            other = rnd.choice(all_deps)
            if other not in deps:
                deps.append(other)
        town = towns[deps[0]] if deps else area.name
        women, men = rnd.randint(0, 15), rnd.randint(0, 25)
        row = {
            "id": pk,
            "date": _date_between(rnd, datetime.date(org["joined"][area.pk], 1, 1), end),
            "typ": typ,
            "title": f"{labels[typ].split(' (')[0]}: {rnd.choice(TOPICS)} i {town}",
            "notes": " ".join(rnd.sample(NOTE_PARTS, rnd.randint(1, 3))),
            "niva": Aktivitet.Niva.OMRADE,
            "nuts_omrade_id": area.pk,
            "forum_id": rnd.choice(forums_by_area[area.pk]) if rnd.random() < 0.2 else None,
            "projekt_id": (rnd.choice(projects_by_area[area.pk]) if rnd.random() < 0.08 else None),
            "participants_women": women,
            "participants_men": men,
            "participants_other": rnd.randint(0, 2),
        }
        if i % NATIONAL_EVERY == NATIONAL_EVERY // 2:
            typ = NATIONAL_TYPES[i // NATIONAL_EVERY % len(NATIONAL_TYPES)]
            row.update(
                typ=typ,
                title=f"{labels[typ]}: {TOPICS[i % len(TOPICS)]}",
                niva=Aktivitet.Niva.NATIONELL,
                nuts_omrade_id=None,
                forum_id=None,
                projekt_id=None,
            )
        rows.append(row)
        a_deps += [(pk, d) for d in deps]
        a_goals += [(pk, g) for g in rnd.sample(goals, rnd.randint(1, 3))]
        pool = actors_by_area[area.pk]
        a_actors += [(pk, a) for a in rnd.sample(pool, min(len(pool), rnd.randint(0, 2)))]
        if deps and rnd.random() < 0.15:
            a_wps.append((pk, rnd.choice(wps_by_dep[deps[0]])))
    bulk_insert(Aktivitet, rows)
    m2m(Aktivitet, "avdelningar", a_deps)
    m2m(Aktivitet, "verksamhetsmal", a_goals)
    m2m(Aktivitet, "aktorer", a_actors)
    m2m(Aktivitet, "arbetsplatser", a_wps)
    through = [
        Aktivitet.avdelningar.through,
        Aktivitet.verksamhetsmal.through,
        Aktivitet.aktorer.through,
        Aktivitet.arbetsplatser.through,
        Forum.aktorer.through,
        Strukturfondsprojekt.omraden.through,
        Strukturfondsprojekt.partners.through,
        Strukturfondsprojekt.avdelningar.through,
    ]
    reset_sequences([Aktor, Forum, ForumPlats, Strukturfondsprojekt, Aktivitet, *through])
    return {
        "activities": len(rows),
        "activity_links": len(a_deps) + len(a_goals) + len(a_actors) + len(a_wps),
        "actors": len(aktor_rows),
        "forums": len(forum_rows),
        "projects": len(projekt_rows),
    }
