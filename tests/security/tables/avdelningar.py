"""The foundation's pages: start, area, department, login, logout."""

from tests.security.access_table import Row

#                 anon board neigh outsd coord ocoord leadr steer natbd admin
ALL_LOGGED_IN = "302  200   200   200   200   200    200   200   200   200"

ROWS = [
    Row(name="start", get={"-": ALL_LOGGED_IN}),
    Row(
        name="omrade",
        objects=lambda cast: {"own": {"code": "SE21"}, "foreign": {"code": "SE22"}},
        guard="nuts",
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  200   200   404   200   404    200   200   200   200",
            "foreign": "302  404   404   200   404   200    200   200   200   200",
        },
    ),
    Row(
        name="avdelning",
        objects=lambda cast: {"own": {"pk": cast.a1.pk}, "foreign": {"pk": cast.b1.pk}},
        guard="avdelning",
        get={
            #          anon board neigh outsd coord ocoord leadr steer natbd admin
            "own": "302  200   404   404   200   404    200   200   200   200",
            "foreign": "302  404   404   200   404   200    200   200   200   200",
        },
    ),
    Row(
        name="login",
        # A logged-in user is sent on to the start page; an empty POST shows the form again.
        get={"-": "200  302   302   302   302   302    302   302   302   302"},
        changes_state=True,
    ),
    Row(
        name="logout",
        get={"-": "302  405   405   405   405   405    405   405   405   405"},
        post={"-": "302  302   302   302   302   302    302   302   302   302"},
        changes_state=True,
        post_only=True,
    ),
]
