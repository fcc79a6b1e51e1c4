"""The network map (natverk) and the contact persons at actors (aktiviteter's
kontaktperson_* pages, listed here with the feature they belong to, issue 17).

The map: "own" is SE21's map, "foreign" SE22's, "national" the whole project's. National
readers (the project leader, the steering group, the national board; the superuser reads
everything too) see every map; a coordinator their own area's; department users none (the
map is built from every activity of the area, most of which they do not see).

Contact persons are personal data kept by the coordinators: "own" is a contact at an actor
of SE21, "foreign" at an actor of SE22, "national" at a national actor (the coordinator who
adds one keeps it in their own area). Everyone else, the steering group and the superuser
included (admins handle them in Django admin), gets 404: the pages do not exist for them.
Adding at an actor of another area is 403: the actor is in the shared register, its contacts
are not the user's to keep.
"""

import itertools

from aktiviteter.models import Aktor, Kontaktperson
from tests.security.access_table import Row

_counter = itertools.count(1)


def _area(cast, tenant):
    return {"own": cast.se21, "foreign": cast.se22, "national": None}[tenant]


def maps(cast):
    return {
        "own": {"slug": "SE21"},
        "foreign": {"slug": "SE22"},
        "national": {"slug": "nationellt"},
    }


def _aktor(cast, tenant):
    return Aktor.objects.create(
        name=f"Kontaktaktör {next(_counter)}", typ=Aktor.Typ.REGION, nuts_omrade=_area(cast, tenant)
    )


def aktorer(cast):
    return {t: {"pk": _aktor(cast, t).pk} for t in ("own", "foreign", "national")}


def kontakter(cast):
    out = {}
    for t in ("own", "foreign"):
        aktor = _aktor(cast, t)
        k = Kontaktperson.objects.create(aktor=aktor, nuts_omrade=aktor.nuts_omrade, name="Kim K")
        out[t] = {"pk": aktor.pk, "kpk": k.pk}
    return out


def kontakt_data(cast, tenant):
    return {"name": "Alex Exempel", "title": "Strateg", "last_contact": "2024-05-01", "version": 0}


#             anon board neigh outsd coord ocoord leadr steer natbd admin
MAP = {
    "own": "302  404   404   404   200   404    200   200   200   200",
    "foreign": "302  404   404   404   404   200    200   200   200   200",
    "national": "302  404   404   404   404   404    200   200   200   200",
}
KONTAKT_NEW = {
    "own": "302  404   404   404   200   403    200   404   404   404",
    "foreign": "302  404   404   404   403   200    200   404   404   404",
    "national": "302  404   404   404   200   200    200   404   404   404",
}
KONTAKT_OWN = {
    "own": "302  404   404   404   200   404    200   404   404   404",
    "foreign": "302  404   404   404   404   200    200   404   404   404",
}
NOT_ALLOWED = "302  405   405   405   405   405    405   405   405   405"

ROWS = [
    Row(
        name="natverk:index",
        # A coordinator of one area is sent to that area's map.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  404   404   404   302   302    200   200   200   200"},
    ),
    Row(name="natverk:karta", objects=maps, guard="nuts", get=MAP),
    Row(name="natverk:data", objects=maps, guard="nuts", get=MAP),
    Row(
        name="aktiviteter:kontaktperson_ny",
        objects=aktorer,
        get=KONTAKT_NEW,
        post={t: line.replace("200", "302") for t, line in KONTAKT_NEW.items()},
        post_data=kontakt_data,
        changes_state=True,
    ),
    Row(
        name="aktiviteter:kontaktperson_andra",
        objects=kontakter,
        get=KONTAKT_OWN,
        post={t: line.replace("200", "302") for t, line in KONTAKT_OWN.items()},
        post_data=kontakt_data,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="aktiviteter:kontaktperson_ta_bort",
        objects=kontakter,
        get={"own": NOT_ALLOWED, "foreign": NOT_ALLOWED},
        post={t: line.replace("200", "302") for t, line in KONTAKT_OWN.items()},
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
]
