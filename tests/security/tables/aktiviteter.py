"""Activities and the shared register (actors, forums, structural-fund projects).

Activities are tenant data: "own" is an activity of department A1 in SE21, "foreign" one of
B1 in SE22, "national" a national activity (no area, no department), which only the project
leader changes and national readers read. The working-life unit, which logs national
activities, is not a column: tests/aktiviteter/test_national.py has its answers.

The register is shared by everyone with a role (issue 4: "a shared register"), so every
role reads every actor, forum and project; only the area's coordinator and the project
leader change them (403 for the rest: visible but read-only). The register's pages list
only the activities the reader may see (tests/aktiviteter/test_tenants.py).

The superuser ``admin`` reads everything in the app but acts only in Django admin (no
assignment of its own): 403 on every form.
"""

import datetime
import itertools

from aktiviteter.models import Aktivitet, Aktor, Forum, Strukturfondsprojekt
from mal.models import Verksamhetsmal
from tests.security.access_table import Row

_counter = itertools.count(1)


def _unique(prefix):
    return f"{prefix} {next(_counter)}"


TENANTS = ("own", "foreign")
ACTIVITY_TENANTS = (*TENANTS, "national")


def _area(cast, tenant):
    return {"own": cast.se21, "foreign": cast.se22, "national": None}[tenant]


def _department(cast, tenant):
    return {"own": cast.a1, "foreign": cast.b1, "national": None}[tenant]


def _aktivitet(cast, tenant):
    area = _area(cast, tenant)
    a = Aktivitet.objects.create(
        nuts_omrade=area,
        niva=Aktivitet.Niva.NATIONELL if area is None else Aktivitet.Niva.OMRADE,
        date=datetime.date(2024, 3, 1),
        typ=Aktivitet.Typ.MOTE if area else Aktivitet.Typ.TVARGRUPPSMOTE,
        title=f"Möte i {area.code}" if area else "Tvärgruppsmöte",
    )
    a.avdelningar.set([d] if (d := _department(cast, tenant)) else [])
    a.verksamhetsmal.set(Verksamhetsmal.objects.filter(number=1))
    return a


def aktiviteter(cast):
    return {t: {"pk": _aktivitet(cast, t).pk} for t in ACTIVITY_TENANTS}


def aktiviteter_with_next_step(cast):
    out = {}
    for t in ACTIVITY_TENANTS:
        a = _aktivitet(cast, t)
        Aktivitet.objects.filter(pk=a.pk).update(next_step="Skicka protokollet")
        out[t] = {"pk": a.pk}
    return out


def aktivitet_data(cast, tenant):
    """A valid activity of the tenant's department (version 0: the row is fresh); for
    "national" a national activity without departments."""
    if tenant == "national":
        place = {"niva": Aktivitet.Niva.NATIONELL}
    else:
        place = {
            "nuts_omrade": _area(cast, tenant).pk,
            "avdelningar": [_department(cast, tenant).pk],
        }
    return {
        "title": "Ändrat möte",
        "typ": Aktivitet.Typ.WORKSHOP,
        "date": "2024-03-02",
        "verksamhetsmal": [Verksamhetsmal.objects.get(number=2).pk],
        **place,
        "participants_women": 1,
        "participants_men": 2,
        "participants_other": 0,
        "version": 0,
    }


def _aktor(cast, tenant):
    return Aktor.objects.create(
        name=_unique("Aktör"), typ=Aktor.Typ.REGION, nuts_omrade=_area(cast, tenant)
    )


def _forum(cast, tenant):
    return Forum.objects.create(
        name=_unique("Forum"), typ=Forum.Typ.INDUSTRIRAD, nuts_omrade=_area(cast, tenant)
    )


def _projekt(cast, tenant):
    p = Strukturfondsprojekt.objects.create(
        name=_unique("Projekt"),
        fund=Strukturfondsprojekt.Fond.ESF,
        union_role=Strukturfondsprojekt.Roll.PARTNER,
    )
    p.omraden.set([_area(cast, tenant)])
    return p


def objects_of(make):
    return lambda cast: {t: {"pk": make(cast, t).pk} for t in ("own", "foreign")}


def two_tenants(cast):
    """A form without an object: "own"/"foreign" only choose the area posted."""
    return {"own": {}, "foreign": {}}


def activity_tenants(cast):
    """The activity form: "own"/"foreign" choose the area posted, "national" none."""
    return {t: {} for t in ACTIVITY_TENANTS}


def aktor_data(cast, tenant):
    return {
        "name": _unique("Ny aktör"),
        "typ": Aktor.Typ.KOMMUN,
        "nuts_omrade": _area(cast, tenant).pk,
        "version": 0,
    }


def forum_data(cast, tenant):
    return {
        "name": _unique("Nytt forum"),
        "typ": Forum.Typ.PROGRAMRAD,
        "nuts_omrade": _area(cast, tenant).pk,
        "version": 0,
    }


def projekt_data(cast, tenant):
    return {
        "name": _unique("Nytt projekt"),
        "fund": Strukturfondsprojekt.Fond.ERUF,
        "union_role": Strukturfondsprojekt.Roll.STYRGRUPP,
        "omraden": [_area(cast, tenant).pk],
        "participants_women": 0,
        "participants_men": 0,
        "version": 0,
    }


#                anon board neigh outsd coord ocoord leadr steer natbd admin
ALL_LOGGED_IN = "302  200   200   200   200   200    200   200   200   200"
# Who may log activities (every department role, coordinators, the project leader).
LOGGERS = "302  200   200   200   200   200    200   403   403   403"
# The register: own area's coordinator and the project leader change it.
REGISTER_OWN = "302  403   403   403   200   403    200   403   403   403"
REGISTER_FOREIGN = "302  403   403   403   403   200    200   403   403   403"
REGISTER_NEW = "302  403   403   403   200   200    200   403   403   403"
# A national activity (no area, no department): read by national readers, changed and
# deleted by the project leader; the rest do not see it.
#                   anon board neigh outsd coord ocoord leadr steer natbd admin
NATIONAL_READ = "302  404   404   404   404   404    200   200   200   200"
NATIONAL_WRITE = "302  404   404   404   404   404    200   403   403   403"


def register_rows(kind, make, data):
    return [
        Row(
            name=f"aktiviteter:{kind}",
            objects=objects_of(make),
            get={"own": ALL_LOGGED_IN, "foreign": ALL_LOGGED_IN},
        ),
        Row(
            name=f"aktiviteter:{kind}_ny",
            objects=two_tenants,
            get={"own": REGISTER_NEW, "foreign": REGISTER_NEW},
            # The coordinator of the other area gets the form back: the area is not theirs.
            post={
                #          anon board neigh outsd coord ocoord leadr steer natbd admin
                "own": "302  403   403   403   302   200    302   403   403   403",
                "foreign": "302  403   403   403   200   302    302   403   403   403",
            },
            post_data=data,
            changes_state=True,
        ),
        Row(
            name=f"aktiviteter:{kind}_andra",
            objects=objects_of(make),
            get={"own": REGISTER_OWN, "foreign": REGISTER_FOREIGN},
            post={
                "own": REGISTER_OWN.replace("200", "302"),
                "foreign": REGISTER_FOREIGN.replace("200", "302"),
            },
            post_data=data,
            changes_state=True,
            fresh=True,
        ),
    ]


ROWS = [
    Row(name="aktiviteter:lista", get={"-": ALL_LOGGED_IN}),
    Row(
        name="aktiviteter:ny",
        objects=activity_tenants,
        get={"own": LOGGERS, "foreign": LOGGERS, "national": LOGGERS},
        # Logging for A1 (SE21) / B1 (SE22): only that department, its area's coordinator and
        # the project leader succeed; the others get the form back with an error. A national
        # activity: the project leader (and the working-life unit, not a column here).
        post={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  302   200   200   302   200    302   403   403   403",
            "foreign": "302  200   200   302   200   302    302   403   403   403",
            "national": "302  200   200   200   200   200    302   403   403   403",
        },
        post_data=aktivitet_data,
        changes_state=True,
    ),
    Row(
        name="aktiviteter:detalj",
        objects=aktiviteter,
        guard="avdelning",
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  200   404   404   200   404    200   200   200   200",
            "foreign": "302  404   404   200   404   200    200   200   200   200",
            "national": NATIONAL_READ,
        },
    ),
    Row(
        name="aktiviteter:andra",
        objects=aktiviteter,
        guard="avdelning",
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  200   404   404   200   404    200   403   403   403",
            "foreign": "302  404   404   200   404   200    200   403   403   403",
            "national": NATIONAL_WRITE,
        },
        post={
            "own": "302  302   404   404   302   404    302   403   403   403",
            "foreign": "302  404   404   302   404   302    302   403   403   403",
            "national": NATIONAL_WRITE.replace("200", "302"),
        },
        post_data=aktivitet_data,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="aktiviteter:ta_bort",
        objects=aktiviteter,
        guard="avdelning",
        # Deleting is the area's coordinator's and the project leader's: the department
        # board that may change the activity (and readers) get 403, foreign ids 404.
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  403   404   404   200   404    200   403   403   403",
            "foreign": "302  404   404   403   404   200    200   403   403   403",
            "national": NATIONAL_WRITE,
        },
        post={
            "own": "302  403   404   404   302   404    302   403   403   403",
            "foreign": "302  404   404   403   404   302    302   403   403   403",
            "national": NATIONAL_WRITE.replace("200", "302"),
        },
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="aktiviteter:nasta_steg_klart",
        objects=aktiviteter_with_next_step,
        guard="avdelning",
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={
            "own": "302  405   405   405   405   405    405   405   405   405",
            "foreign": "302  405   405   405   405   405    405   405   405   405",
            "national": "302  405   405   405   405   405    405   405   405   405",
        },
        post={
            "own": "302  302   404   404   302   404    302   403   403   403",
            "foreign": "302  404   404   302   404   302    302   403   403   403",
            "national": NATIONAL_WRITE.replace("200", "302"),
        },
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
    # Exports hold only the reader's rows (tests/aktiviteter/test_tenants.py).
    Row(name="aktiviteter:export_csv", get={"-": ALL_LOGGED_IN}),
    Row(name="aktiviteter:export_xlsx", get={"-": ALL_LOGGED_IN}),
    Row(
        name="aktiviteter:import",
        # An empty POST shows the form again; a file is only previewed, never saved here.
        get={"-": LOGGERS},
        changes_state=True,
    ),
    Row(
        name="aktiviteter:import_run",
        # Without a previewed file in the session: sent back to the upload form.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  405   405   405   405   405    405   405   405   405"},
        post={"-": "302  302   302   302   302   302    302   403   403   403"},
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="aktiviteter:import_mall",
        objects=lambda cast: {fmt: {"fmt": fmt} for fmt in ("csv", "xlsx", "pdf")},
        get={
            "csv": ALL_LOGGED_IN,
            "xlsx": ALL_LOGGED_IN,
            #      anon board neigh outsd coord ocoord leadr steer natbd admin
            "pdf": "302  404   404   404   404   404    404   404   404   404",
        },
    ),
    Row(name="aktiviteter:aktorer", get={"-": ALL_LOGGED_IN}),
    *register_rows("aktor", _aktor, aktor_data),
    Row(name="aktiviteter:forum_lista", get={"-": ALL_LOGGED_IN}),
    *register_rows("forum", _forum, forum_data),
    Row(name="aktiviteter:projekt_lista", get={"-": ALL_LOGGED_IN}),
    *register_rows("projekt", _projekt, projekt_data),
]
