"""The second factor: enrolment and verification (no one in the cast has a device yet)."""

from tests.security.access_table import Row

ROWS = [
    Row(
        name="otp_enrol",
        # Everyone may enrol. A POST from a session that was never shown a secret (the
        # device belongs to the session that opened the page) is sent back for a new one.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  200   200   200   200   200    200   200   200   200"},
        post={"-": "302  302   302   302   302   302    302   302   302   302"},
        changes_state=True,
    ),
    Row(
        name="otp_verify",
        # Without a device there is nothing to verify: sent on to enrolment.
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  302   302   302   302   302    302   302   302   302"},
        changes_state=True,
    ),
]
