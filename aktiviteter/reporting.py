"""Placeholder until the mal/aktiviteter branch lands; the lead replaces it at merge.

Returns the shape agreed in the contract (brief/contracts.md) with nothing in it, so the
report app can be built and tested around it.
"""


def report_data(*, year, nuts_ids=None):
    # placeholder until the mal/aktiviteter branch lands; the lead replaces it at merge
    return {
        "total": 0,
        "by_area": {},
        "by_goal": {str(n): 0 for n in range(1, 9)},
        "by_type": {},
        "participants": {"women": 0, "men": 0, "other": 0},
        "forums": {"total": 0, "with_seat": 0, "initiated": 0, "list": []},
        "actors_by_type": {},
        "fund_projects": [],
    }
