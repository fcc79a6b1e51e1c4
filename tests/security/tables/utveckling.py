"""Candidate areas (utveckling): only the project leader and the steering group get the
pages (they hold a named person's assessment); everybody else, the national board and
admins included, gets 404. The national board reads the proposal and the decisions in its
report. The leader assesses, proposes and records the national board's decision; the
steering group records its own decision. No tenant: a candidate is an area outside the
project, "-" below. The steps are walked with valid data in tests/utveckling/.
"""

from tests.security.access_table import Row
from tests.utveckling.helpers import kandidat
from utveckling.models import Kandidat

#                 anon board neigh outsd coord ocoord leadr steer natbd admin
READ = {"-": "302  404   404   404   404   404    200   200   404   404"}
LEADER_FORM = {"-": "302  404   404   404   404   404    400   403   404   404"}
STEERING_FORM = {"-": "302  404   404   404   404   404    403   400   404   404"}
NOT_ALLOWED = {"-": "302  405   405   405   405   405    405   405   405   405"}


def _candidate(cast, code="SE12", stage="bedoms"):
    """The candidate (made once: a test may ask for the objects more than once)."""
    found = Kandidat.objects.filter(nuts_omrade__code=code, year=2027).first()
    return found or kandidat(cast, code=code, stage=stage)


def one(cast):
    return {"-": {"pk": _candidate(cast).pk}}


def year(cast):
    _candidate(cast)
    _candidate(cast, code="SE31", stage="ny")
    return {"-": {"year": 2027}}


ROWS = [
    Row(name="utveckling:lista", get=READ, post=LEADER_FORM, changes_state=True),
    Row(name="utveckling:kravprofil", get=READ, post=LEADER_FORM, changes_state=True),
    Row(name="utveckling:jamfor", objects=year, get=READ),
    Row(name="utveckling:kandidat", objects=one, get=READ),
    # The assessment form is the leader's: the steering group reads the candidate's page.
    Row(
        name="utveckling:bedom",
        objects=one,
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  404   404   404   404   404    200   403   404   404"},
        post=LEADER_FORM,
        changes_state=True,
    ),
    Row(
        name="utveckling:foresla",
        objects=one,
        get=NOT_ALLOWED,
        post=LEADER_FORM,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="utveckling:styrgrupp",
        objects=one,
        get=NOT_ALLOWED,
        post=STEERING_FORM,
        changes_state=True,
        post_only=True,
    ),
    Row(
        name="utveckling:forbundsstyrelsen",
        objects=one,
        get=NOT_ALLOWED,
        post=LEADER_FORM,
        changes_state=True,
        post_only=True,
    ),
    Row(name="utveckling:samordnare", objects=one, get=READ, post=LEADER_FORM, changes_state=True),
]
