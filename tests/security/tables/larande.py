"""Analysis meetings, their actions, and the areas' lessons (larande).

"own" is an analysis meeting in SE21 with department A1 taking part (its action owned by
A1), "foreign" one in SE22 with B1. A meeting is read by national readers and the area's
coordinator, and by the boards of the departments taking part (they see their own
actions); written by the coordinator and the project leader. An action is marked done by
its owner (A1's board) as well. Lessons are the coordinator's and the project leader's to
write and national readers' to read; department users have none. The superuser reads and
acts only in admin (403 on every form).
"""

import datetime

from django.core.files.base import ContentFile

from aktiviteter.models import Aktivitet
from larande.models import Analysmote, Atgard, Lardom
from mal.models import Verksamhetsmal
from tests.security.access_table import Row

YEAR = 2024


def _mote(cast, tenant, *, material=False):
    area, avd = (cast.se21, cast.a1) if tenant == "own" else (cast.se22, cast.b1)
    a = Aktivitet.objects.create(
        nuts_omrade=area, date=datetime.date(YEAR, 3, 16), typ=Aktivitet.Typ.ANALYS, title="Analys"
    )
    a.avdelningar.set([avd])
    a.verksamhetsmal.set(Verksamhetsmal.objects.filter(number=1))
    mote = Analysmote.objects.create(aktivitet=a)
    if material:
        mote.material.save("underlag.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        mote.material_name = "underlag.pdf"
        mote.save()
    return mote, avd


def motes(cast):
    return {t: {"pk": _mote(cast, t)[0].aktivitet_id} for t in ("own", "foreign")}


def motes_with_material(cast):
    return {t: {"pk": _mote(cast, t, material=True)[0].aktivitet_id} for t in ("own", "foreign")}


def atgarder(cast):
    out = {}
    for t in ("own", "foreign"):
        mote, avd = _mote(cast, t)
        a = Atgard.objects.create(
            mote=mote, what="Boka besök", avdelning=avd, due=datetime.date(YEAR, 6, 1)
        )
        out[t] = {"pk": a.pk}
    return out


def lardomar(cast):
    Lardom.objects.filter(year=YEAR).delete()
    return {"own": {"code": "SE21", "year": YEAR}, "foreign": {"code": "SE22", "year": YEAR}}


def material_post(cast, tenant):
    return {"version": "0", "summary": "Avdelningarnas svar i korthet."}


def atgard_post(cast, tenant):
    return {"version": "0", "what": "Boka besök", "due": "2024-06-01", "status": "open"}


def lardom_post(cast, tenant):
    return {"version": "0", "worked": "Träffarna", "did_not_work": "", "to_spread": ""}


#                 anon board neigh outsd coord ocoord leadr steer natbd admin
READ = {
    "own": "302  200   404   404   200   404    200   200   200   200",
    "foreign": "302  404   404   200   404   200    200   200   200   200",
}
WRITE_FORM = {
    "own": "302  403   404   404   200   404    200   403   403   403",
    "foreign": "302  404   404   403   404   200    200   403   403   403",
}
WRITE = {
    "own": "302  403   404   404   302   404    302   403   403   403",
    "foreign": "302  404   404   403   404   302    302   403   403   403",
}
LESSON_READ = {
    "own": "302  404   404   404   200   404    200   200   200   200",
    "foreign": "302  404   404   404   404   200    200   200   200   200",
}
LESSON_WRITE = {
    "own": "302  404   404   404   302   404    302   403   403   403",
    "foreign": "302  404   404   404   404   302    302   403   403   403",
}
NOT_ALLOWED = "302  405   405   405   405   405    405   405   405   405"

ROWS = [
    Row(
        name="larande:mote",
        objects=motes,
        guard="nuts",
        get=READ,
        post=WRITE,
        post_data=material_post,
        changes_state=True,
        fresh=True,
    ),
    Row(name="larande:mote_underlag", objects=motes_with_material, guard="nuts", get=READ),
    Row(
        name="larande:atgard_ny",
        objects=motes,
        guard="nuts",
        get=WRITE_FORM,
        post=WRITE,
        post_data=atgard_post,
        changes_state=True,
    ),
    Row(
        name="larande:atgard",
        objects=atgarder,
        guard="nuts",
        get=READ,
        post=WRITE,
        post_data=atgard_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="larande:atgard_klar",
        objects=atgarder,
        guard="nuts",
        get={"own": NOT_ALLOWED, "foreign": NOT_ALLOWED},
        # The owner (A1's, B1's board) closes it as well as the coordinator and the leader.
        post={
            "own": "302  302   404   404   302   404    302   403   403   403",
            "foreign": "302  404   404   302   404   302    302   403   403   403",
        },
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
    # Every user with a role has a list (their own, their department's, their areas').
    Row(
        name="larande:atgarder",
        get={"-": "302  200   200   200   200   200    200   200   200   200"},
    ),
    Row(
        name="larande:lardomar",
        get={"-": "302  403   403   403   200   200    200   200   200   200"},
    ),
    Row(
        name="larande:lardom",
        objects=lardomar,
        guard="nuts",
        get=LESSON_READ,
        post=LESSON_WRITE,
        post_data=lardom_post,
        changes_state=True,
        fresh=True,
    ),
]
