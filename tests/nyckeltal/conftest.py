"""Key-figure fixtures: the cast (tests/conftest.py) plus the two roles the key figures add.

- ``working_life``: staff of the working-life unit (arbetslivsenheten): reads everything,
  enters the figures of a department outside the pilot.
- ``outside_board``: board member of C1 in Övre Norrland (SE33), an area not in the
  project: sees C1 and its figures, nothing else.
- ``outside_changeleader``: change leader in C1: reads C1's figures, enters none.
"""

import pytest

from avdelningar.models import NutsOmrade, Roll
from tests import factories as f


@pytest.fixture
def union(cast):
    cast.se33 = NutsOmrade.objects.get(code="SE33")
    cast.c1 = f.AvdelningFactory(name="Avdelning C1", nuts_omrade=cast.se33)
    cast.working_life = f.user_with_role("working_life", Roll.ARBETSLIVSENHETEN)
    cast.outside_board = f.user_with_role("outside_board", Roll.STYRELSELEDAMOT, avdelning=cast.c1)
    cast.outside_changeleader = f.user_with_role(
        "outside_changeleader", Roll.FORANDRINGSLEDARE, avdelning=cast.c1
    )
    return cast
