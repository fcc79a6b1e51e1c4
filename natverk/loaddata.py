"""Load data for `manage.py generate_load_data`: one area (SE21) grown to the network map's
benchmark size, 500 actors, each met in a few of the area's activities, and contact persons
at a third of them. Not used by the app itself.

Its own random generator (seeded from the command's seed), so the data drawn before it is
what it was without it.
"""

import random

from aktiviteter.models import Aktivitet, Aktor, Kontaktperson
from avdelningar.loaddata import Ids, bulk_insert, m2m, reset_sequences
from avdelningar.models import NutsOmrade

AREA = "SE21"
ACTORS = 500


def seed(seed, *, actors=ACTORS, area_code=AREA):
    rnd = random.Random(seed * 31 + 17)
    area = NutsOmrade.objects.get(code=area_code)
    have = Aktor.objects.filter(nuts_omrade=area).count()
    activity_ids = list(
        Aktivitet.objects.filter(nuts_omrade=area).order_by("pk").values_list("pk", flat=True)
    )
    types = [t for t, _ in Aktor.Typ.choices]
    ids = Ids(Aktor)
    rows = []
    for i in range(max(actors - have, 0)):
        typ = types[i % len(types)]
        rows.append(
            {
                "id": ids.take(),
                "name": f"{Aktor.Typ(typ).label} {area.code} nätverk {i + 1}",
                "typ": typ,
                "nuts_omrade_id": area.pk,
            }
        )
    bulk_insert(Aktor, rows)
    pairs = set()
    if activity_ids:
        for row in rows:
            for aktivitet_id in rnd.sample(
                activity_ids, min(len(activity_ids), rnd.randint(1, 12))
            ):
                pairs.add((aktivitet_id, row["id"]))
    m2m(Aktivitet, "aktorer", sorted(pairs))
    area_actors = list(Aktor.objects.filter(nuts_omrade=area).values_list("pk", flat=True))
    kids = Ids(Kontaktperson)
    contacts = []
    for n, aktor_id in enumerate(area_actors[::3]):
        for j in range(rnd.randint(1, 2)):
            contacts.append(
                {
                    "id": kids.take(),
                    "aktor_id": aktor_id,
                    "nuts_omrade_id": area.pk,
                    "name": f"Kontakt {n + 1}.{j + 1} (exempel)",
                    "title": "Handläggare",
                }
            )
    bulk_insert(Kontaktperson, contacts)
    reset_sequences([Aktor, Kontaktperson, Aktivitet.aktorer.through])
    return {"actors": len(rows), "links": len(pairs), "contacts": len(contacts)}
