"""Key figures (nyckeltal): a department's years, one year with its form, the import.

"own" is department A1 (area SE21, in the project), "foreign" department B1 (SE22). The
working-life unit and a department outside the pilot, which are not columns here, are
walked by tests/nyckeltal/test_access.py.
"""

from nyckeltal.models import Nyckeltal
from tests.security.access_table import Row

YEAR = 2024


def departments(cast):
    return {"own": {"pk": cast.a1.pk}, "foreign": {"pk": cast.b1.pk}}


def years(cast):
    # Each role saves from a form loaded before anyone saved (version 0).
    Nyckeltal.objects.filter(year=YEAR).delete()
    return {
        "own": {"pk": cast.a1.pk, "year": YEAR},
        "foreign": {"pk": cast.b1.pk, "year": YEAR},
    }


def year_post(cast, tenant):
    return {"version": "0", "skills_women": "12", "skills_men": "30"}


#                 anon board neigh outsd coord ocoord leadr steer natbd admin
READ = {
    "own": "302  200   404   404   200   404    200   200   200   200",
    "foreign": "302  404   404   200   404   200    200   200   200   200",
}
WRITE = {
    "own": "302  302   404   404   302   404    302   403   403   403",
    "foreign": "302  404   404   302   404   302    302   403   403   403",
}
ENTERS = "302  200   200   200   200   200    200   403   403   403"
COMPARISON = "302  403   403   403   200   200    200   200   200   200"
NOT_ALLOWED = "302  405   405   405   405   405    405   405   405   405"

ROWS = [
    Row(name="nyckeltal:avdelning", objects=departments, guard="avdelning", get=READ),
    Row(
        name="nyckeltal:ar",
        objects=years,
        guard="avdelning",
        get=READ,
        post=WRITE,
        post_data=year_post,
        changes_state=True,
        fresh=True,
    ),
    Row(
        name="nyckeltal:import",
        # Whoever enters some department's figures; an empty POST shows the form again.
        get={"-": ENTERS},
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        post={"-": "302  400   400   400   400   400    400   403   403   403"},
        changes_state=True,
    ),
    Row(name="nyckeltal:import_mall", get={"-": ENTERS}),
    # The comparison: aggregates for national readers, the leader and coordinators;
    # department users see their own figures on the department's pages.
    Row(name="nyckeltal:jamforelse", get={"-": COMPARISON}, post={"-": NOT_ALLOWED}),
    Row(
        name="nyckeltal:jamforelse_export",
        objects=lambda cast: {"csv": {"fmt": "csv"}, "xlsx": {"fmt": "xlsx"}},
        get={"csv": COMPARISON, "xlsx": COMPARISON},
        post={"csv": NOT_ALLOWED, "xlsx": NOT_ALLOWED},
    ),
]
