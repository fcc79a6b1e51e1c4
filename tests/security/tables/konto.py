"""The account: the second factor (no one in the cast has a device yet) and the choice of
workflow e-mail."""

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
    Row(
        name="epost",
        # Everyone chooses their own mail; saving sends them back to the page. The admin
        # login has no person: the page says so and a POST changes nothing (200).
        #          anon board neigh outsd coord ocoord leadr steer natbd admin
        get={"-": "302  200   200   200   200   200    200   200   200   200"},
        post={"-": "302  302   302   302   302   302    302   302   302   200"},
        post_data=lambda cast, tenant: {"wanted": ["rapport_klar"]},
        changes_state=True,
    ),
]
