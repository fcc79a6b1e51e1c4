"""Placeholder until the mal/aktiviteter branch lands; the lead replaces it at merge.

Returns the shape agreed in the contract (brief/contracts.md) with nothing in it, so the
report app can be built and tested around it.
"""


def report_data(*, year, nuts_ids=None):
    # placeholder until the mal/aktiviteter branch lands; the lead replaces it at merge
    empty = {"total": 0, "approved": 0, "achieved": 0, "at_risk": 0, "not_achieved": 0}
    return {
        "commitments": [],
        "by_goal": {str(n): dict(empty) for n in range(1, 9)},
        "indicators": [],
    }
