"""The audit trail."""

from tests.security.access_table import Row

ROWS = [
    Row(
        name="historik",
        # The project leader and admins only (403 for everyone else); GET/HEAD only.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  403   403   403   403   403    200   403   403   200"},
        post={"-": "302  405   405   405   405   405    405   405   405   405"},
    ),
]
