"""Commitments (mal): the yearly pages, the commitment and its workflow, follow-ups,
comments and attachments, import, guidance.

"own" is department A1's commitment (area SE21), "foreign" department B1's (area SE22).
Area and national commitments, which have no department, are walked by
``tests/mal/test_tenants.py`` (the guard here maps a tenant to a department or an area).
A POST that should succeed gets real form data, so the right role answers 302 (saved and
sent on); the commitments a row creates are kept on ``cast.mal`` for ``post_data``.
"""

import datetime
import itertools

from django.core.files.base import ContentFile

from mal.models import Atagande, Bilaga, Uppfoljning, Uppfoljningsperiod, Verksamhetsmal
from tests.mal.helpers import make_atagande
from tests.security.access_table import Row

YEAR = 2024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
_titles = itertools.count(1)


def _title():
    return f"Matris {next(_titles)}"


def _pair(cast, *, status="draft", attach=False):
    made = {
        "own": make_atagande(cast.a1, year=YEAR, title=_title(), status=status),
        "foreign": make_atagande(cast.b1, year=YEAR, title=_title(), status=status),
    }
    cast.mal = made
    kwargs = {tenant: {"pk": a.pk} for tenant, a in made.items()}
    if attach:
        for tenant, a in made.items():
            b = Bilaga(atagande=a, original_name="bevis.png", size=len(PNG))
            b.file.save("bevis.png", ContentFile(PNG), save=False)
            b.save()
            kwargs[tenant]["bid"] = b.pk
    return kwargs


def draft(cast):
    return _pair(cast)


def submitted(cast):
    return _pair(cast, status="submitted")


def approved(cast):
    return _pair(cast, status="approved")


def with_attachment(cast):
    return _pair(cast, attach=True)


def approved_with_period(cast):
    kwargs = _pair(cast, status="approved")
    period, _ = Uppfoljningsperiod.objects.update_or_create(
        year=YEAR,
        kind="halvar",
        defaults={"closes_on": datetime.date.today() + datetime.timedelta(days=30)},
    )
    for k in kwargs.values():
        k["period_pk"] = period.pk
    return kwargs


def departments(cast):
    return {"own": {"pk": cast.a1.pk, "year": YEAR}, "foreign": {"pk": cast.b1.pk, "year": YEAR}}


def areas(cast):
    return {"own": {"code": "SE21", "year": YEAR}, "foreign": {"code": "SE22", "year": YEAR}}


def this_year(cast):
    return {"-": {"year": YEAR}}


# --- form data ---------------------------------------------------------------------------

NO_TARGETS = {
    "malvarden-TOTAL_FORMS": "0",
    "malvarden-INITIAL_FORMS": "0",
    "malvarden-MIN_NUM_FORMS": "0",
    "malvarden-MAX_NUM_FORMS": "1000",
}


def new_commitment(cast, tenant):
    return {
        "verksamhetsmal": Verksamhetsmal.objects.get(number=2).pk,
        "title": _title(),
        "action_plan": "Vi besöker arbetsplatserna.",
        **NO_TARGETS,
    }


def edit_commitment(cast, tenant):
    a = Atagande.objects.get(pk=cast.mal[tenant].pk)
    return {
        "verksamhetsmal": a.verksamhetsmal_id,
        "title": a.title,
        "action_plan": "Ändrad plan.",
        "version": a.version,
        **NO_TARGETS,
    }


def note(cast, tenant):
    return {"note": "Motivering."}


def upload(cast, tenant):
    return {"file": ContentFile(PNG, name="bevis.png")}


def follow_up(cast, tenant):
    uf = Uppfoljning.objects.filter(atagande=cast.mal[tenant]).first()
    return {"status": "on_track", "comment": "Går bra.", "version": uf.version if uf else 0}


def open_period(cast, tenant):
    until = datetime.date.today() + datetime.timedelta(days=7)
    return {"open_until": until.isoformat(), "reason": "Sjukdom i styrelsen."}


def empty_guidance(cast, tenant):
    return {
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }


# --- the table ---------------------------------------------------------------------------

#                anon board neigh outsd coord ocoord leadr steer natbd admin
READ_OWN = "302  200   404   404   200   404    200   200   200   200"
READ_FOREIGN = "302  404   404   200   404   200    200   200   200   200"
READ = {"own": READ_OWN, "foreign": READ_FOREIGN}
# Writing a department's commitments: its board, its coordinator, the project leader;
# national readers and admins see them but may not change them (403).
WRITE_OWN = "302  200   404   404   200   404    200   403   403   403"
WRITE_FOREIGN = "302  404   404   200   404   200    200   403   403   403"
WRITE = {"own": WRITE_OWN, "foreign": WRITE_FOREIGN}
DONE_OWN = WRITE_OWN.replace("200", "302")
DONE_FOREIGN = WRITE_FOREIGN.replace("200", "302")
DONE = {"own": DONE_OWN, "foreign": DONE_FOREIGN}
# Approve, return, reopen: the department's coordinator and the project leader.
REVIEW = {
    "own": "302  403   404   404   302   404    302   403   403   403",
    "foreign": "302  404   404   403   404   302    302   403   403   403",
}
#                   anon board neigh outsd coord ocoord leadr steer natbd admin
NO_GET = {"-": "302  405   405   405   405   405    405   405   405   405"}
NO_GET_TENANTS = dict.fromkeys(("own", "foreign"), NO_GET["-"])
NATIONAL_READERS = "302  403   403   403   403   403    200   200   200   200"
LEADER_ONLY = "302  403   403   403   403   403    200   403   403   403"

ROWS = [
    Row(
        name="mal:start",
        # Sent on to the user's own page (national, area or department).
        get={"-": "302  302   302   302   302   302    302   302   302   302"},
    ),
    Row(name="mal:avdelning_ar", objects=departments, guard="avdelning", get=READ),
    Row(
        name="mal:ny_avdelning",
        objects=departments,
        guard="avdelning",
        get=WRITE,
        post=DONE,
        post_data=new_commitment,
        changes_state=True,
    ),
    Row(
        name="mal:kopiera",
        objects=departments,
        guard="avdelning",
        # The page lists last year's commitments to tick; the POST copies the ticked ones.
        get=WRITE,
        post=DONE,
        changes_state=True,
    ),
    Row(
        name="mal:omrade_ar",
        objects=areas,
        guard="nuts",
        # A department's board reads its own area's page (its shared commitments and its
        # own department only); the neighbour likewise.
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  200   200   404   200   404    200   200   200   200",
            "foreign": "302  404   404   200   404   200    200   200   200   200",
        },
    ),
    Row(
        name="mal:ny_omrade",
        objects=areas,
        guard="nuts",
        # The area's common commitments are its coordinator's (and the project leader's).
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  403   403   404   200   404    200   403   403   403",
            "foreign": "302  404   404   403   404   200    200   403   403   403",
        },
        post={
            "own": "302  403   403   404   302   404    302   403   403   403",
            "foreign": "302  404   404   403   404   302    302   403   403   403",
        },
        post_data=new_commitment,
        changes_state=True,
    ),
    Row(name="mal:nationellt", objects=this_year, get={"-": NATIONAL_READERS}),
    Row(
        name="mal:ny_nationellt",
        objects=this_year,
        get={"-": LEADER_ONLY},
        post={"-": LEADER_ONLY.replace("200", "302")},
        post_data=new_commitment,
        changes_state=True,
    ),
    Row(name="mal:indikatorer", get={"-": NATIONAL_READERS}),
    Row(
        name="mal:import",
        # Whoever writes commitments somewhere; an empty POST shows the form again.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  200   200   200   200   200    200   403   403   403"},
        changes_state=True,
    ),
    Row(
        name="mal:import_mall",
        get={"-": "302  200   200   200   200   200    200   403   403   403"},
    ),
    Row(
        name="mal:granskning",
        # The review queue: coordinators (their areas) and the project leader.
        get={"-": "302  403   403   403   200   200    200   403   403   403"},
    ),
    Row(name="mal:atagande", objects=draft, guard="avdelning", get=READ),
    Row(
        name="mal:andra",
        objects=draft,
        guard="avdelning",
        get=WRITE,
        post=DONE,
        post_data=edit_commitment,
        changes_state=True,
    ),
    Row(
        name="mal:skicka",
        # After the first submit the others get a message (302) that it is already sent.
        objects=draft,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=DONE,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:godkann",
        objects=submitted,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=REVIEW,
        post_data=note,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:returnera",
        objects=submitted,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=REVIEW,
        post_data=note,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:oppna",
        objects=approved,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=REVIEW,
        post_data=note,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:kommentar",
        objects=draft,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=DONE,
        post_data=note,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:bilaga_ny",
        objects=draft,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=DONE,
        post_data=upload,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:bilaga",
        # A download: whoever may read the commitment.
        objects=with_attachment,
        guard="avdelning",
        get=READ,
    ),
    Row(
        name="mal:bilaga_bort",
        objects=with_attachment,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post=DONE,
        changes_state=True,
        post_only=True,
        fresh=True,
    ),
    Row(
        name="mal:uppfoljning",
        objects=approved_with_period,
        guard="avdelning",
        get=WRITE,
        post=DONE,
        post_data=follow_up,
        changes_state=True,
    ),
    Row(
        name="mal:period_oppna",
        # Only the project leader opens a closed period for a department.
        objects=approved_with_period,
        guard="avdelning",
        get=NO_GET_TENANTS,
        post={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  403   404   404   403   404    302   403   403   403",
            "foreign": "302  404   404   403   404   403    302   403   403   403",
        },
        post_data=open_period,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="mal:riktlinjer",
        # Everyone with a role reads the guidance; only the project leader changes it.
        get={"-": "302  200   200   200   200   200    200   200   200   200"},
        post={"-": "302  403   403   403   403   403    302   403   403   403"},
        post_data=empty_guidance,
        changes_state=True,
    ),
    Row(name="mal:historik", objects=draft, guard="avdelning", get=READ),
]
