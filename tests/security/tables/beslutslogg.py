"""The decision log (beslutslogg): the log, one decision, recording and editing.

Decisions are the project's, not an area's: there is no "own" or "foreign" decision, so
each URL with an id has the single tenant "-" (one decision, no area). Those who read the
whole project read the log (the project leader, the steering group, the national board,
admins; the working-life unit, not a column here, in tests/avdelningar/
test_beslutslogg_views.py); coordinators and department users get 404. Only the project
leader records and edits (the others who read get 403).
"""

import datetime

from avdelningar.models import Projektbeslut
from tests.security.access_table import Row


def decision(cast):
    beslut = Projektbeslut.objects.create(
        kind=Projektbeslut.Typ.OMFATTNING,
        body=Projektbeslut.Organ.STYRGRUPP,
        decided_on=datetime.date(2024, 3, 14),
        title="Åtkomsttabellens beslut",
    )
    return {"-": {"pk": beslut.pk}}


def decision_post(cast, tenant):
    # Each role saves from a form loaded at the version the row was created with (0).
    return {
        "decided_on": "2024-03-14",
        "body": "styrgrupp",
        "kind": "omfattning",
        "title": "Ändrat av åtkomsttabellen",
        "paragraph": "§ 4",
        "nuts_omrade": "",
        "description": "",
        "version": "0",
        "lankar-TOTAL_FORMS": "1",
        "lankar-INITIAL_FORMS": "0",
        "lankar-MIN_NUM_FORMS": "0",
        "lankar-MAX_NUM_FORMS": "10",
        "lankar-0-label": "Rapporterna",
        "lankar-0-url": "/rapporter/",
    }


#            anon board neigh outsd coord ocoord leadr steer natbd admin
READ = "302  404   404   404   404   404    200   200   200   200"
WRITE = "302  404   404   404   404   404    302   403   403   403"
FORM = "302  404   404   404   404   404    200   403   403   403"

ROWS = [
    Row(name="beslutslogg", get={"-": READ}),
    Row(name="beslut", objects=decision, get={"-": READ}),
    Row(
        name="beslut_ny",
        get={"-": FORM},
        post={"-": WRITE},
        post_data=decision_post,
        changes_state=True,
    ),
    Row(
        name="beslut_andra",
        objects=decision,
        get={"-": FORM},
        post={"-": WRITE},
        post_data=decision_post,
        changes_state=True,
        fresh=True,
    ),
]
