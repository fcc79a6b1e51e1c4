"""Questionnaires (enkater). "own" is a questionnaire sent to the board of department A1
(SE21), "foreign" one sent to B1 (SE22); "-" a draft, which only the project leader sees.
A department sees its own answer; only the project leader, the steering group and the
area's coordinator see another department's; national results only the project leader and
the steering group. The change leader (not a column) is walked in tests/enkater/test_access.py.
"""

from tests.enkater.helpers import make_enkat, sent_to
from tests.security.access_table import Row


def sent(cast):
    return {"own": {"pk": sent_to(cast.a1).pk}, "foreign": {"pk": sent_to(cast.b1).pk}}


def areas(cast):
    own, foreign = sent_to(cast.a1), sent_to(cast.b1)
    return {
        "own": {"pk": own.pk, "code": "SE21"},
        "foreign": {"pk": foreign.pk, "code": "SE22"},
    }


def answers(cast):
    own, foreign = sent_to(cast.a1), sent_to(cast.b1)
    return {"own": {"pk": own.svar.get().pk}, "foreign": {"pk": foreign.svar.get().pk}}


def draft(cast):
    return {"-": {"pk": make_enkat().pk}}


def draft_section(cast):
    e = make_enkat()
    return {"-": {"pk": e.pk, "avsnitt_pk": e.avsnitt.get().pk}}


def enkat_post(cast, tenant):
    return {
        "title": "Ny titel",
        "year": "2026",
        "intro": "",
        "deadline": "2026-12-31",
        "version": "1",
    }


def avsnitt_post(cast, tenant):
    return {
        "avsnitt-TOTAL_FORMS": "1",
        "avsnitt-INITIAL_FORMS": "0",
        "avsnitt-MIN_NUM_FORMS": "0",
        "avsnitt-MAX_NUM_FORMS": "30",
        "avsnitt-0-title": "Nytt avsnitt",
        "avsnitt-0-order": "2",
    }


def fragor_post(cast, tenant):
    return {
        "fragor-TOTAL_FORMS": "1",
        "fragor-INITIAL_FORMS": "0",
        "fragor-MIN_NUM_FORMS": "0",
        "fragor-MAX_NUM_FORMS": "50",
        "fragor-0-text": "En ny fråga",
        "fragor-0-kind": "scale",
        "fragor-0-order": "9",
    }


def skicka_post(cast, tenant):
    return {"version": "1", "recipients": "boards", "avdelningar": [str(cast.a1.pk)]}


def svar_post(cast, tenant):
    return {"version": "1", "utkast": ""}


#          anon board neigh outsd coord ocoord leadr steer natbd admin
SEES = {
    "own": "302  200   404   404   200   404    200   200   404   404",
    "foreign": "302  404   404   200   404   200    200   200   404   404",
}
EVERYONE = "302  200   200   200   200   200    200   200   200   200"
LEADER_ONLY = "302  403   403   403   403   403    200   403   403   403"
BUILDER_GET = "302  404   404   404   404   404    200   404   404   404"
BUILDER_POST = "302  404   404   404   404   404    302   404   404   404"
NATIONAL_RESULTS = {
    "own": "302  403   404   404   403   404    200   200   404   404",
    "foreign": "302  404   404   403   404   403    200   200   404   404",
}
AREA_RESULTS = {
    "own": "302  403   404   404   200   404    200   200   404   404",
    "foreign": "302  404   404   403   404   200    200   200   404   404",
}
NOT_ALLOWED = "302  405   405   405   405   405    405   405   405   405"

ROWS = [
    Row(name="enkater:lista", get={"-": EVERYONE}),
    Row(
        name="enkater:ny",
        get={"-": LEADER_ONLY},
        post={"-": "302  403   403   403   403   403    302   403   403   403"},
        post_data=enkat_post,
        changes_state=True,
    ),
    Row(name="enkater:enkat", objects=sent, guard="avdelning", get=SEES),
    Row(
        name="enkater:andra",
        objects=draft,
        get={"-": BUILDER_GET},
        post={"-": BUILDER_POST},
        post_data=enkat_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="enkater:avsnitt",
        objects=draft,
        get={"-": BUILDER_GET},
        post={"-": BUILDER_POST},
        post_data=avsnitt_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="enkater:fragor",
        objects=draft_section,
        get={"-": BUILDER_GET},
        post={"-": BUILDER_POST},
        post_data=fragor_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="enkater:skicka",
        objects=draft,
        get={"-": BUILDER_GET},
        post={"-": BUILDER_POST},
        post_data=skicka_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="enkater:kopiera",
        objects=sent,
        guard="avdelning",
        get={"own": NOT_ALLOWED, "foreign": NOT_ALLOWED},
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        post={
            "own": "302  403   404   404   403   404    302   403   404   404",
            "foreign": "302  404   404   403   404   403    302   403   404   404",
        },
        post_data=lambda cast, tenant: {"year": "2027"},
        changes_state=True,
        post_only=True,
    ),
    Row(name="enkater:resultat", objects=sent, guard="avdelning", get=NATIONAL_RESULTS),
    Row(name="enkater:resultat_pdf", objects=sent, guard="avdelning", get=NATIONAL_RESULTS),
    Row(name="enkater:resultat_omrade", objects=areas, guard="avdelning", get=AREA_RESULTS),
    Row(name="enkater:resultat_omrade_pdf", objects=areas, guard="avdelning", get=AREA_RESULTS),
    Row(name="enkater:jamforelse", objects=sent, guard="avdelning", get=AREA_RESULTS),
    Row(
        name="enkater:svar",
        objects=answers,
        guard="avdelning",
        get=SEES,
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        post={
            "own": "302  302   404   404   403   404    403   403   404   404",
            "foreign": "302  404   404   302   404   403    403   403   404   404",
        },
        post_data=svar_post,
        changes_state=True,
        fresh=True,
    ),
]
