import datetime

import pytest

from mal.models import Uppfoljningsperiod

from .helpers import make_atagande


@pytest.fixture
def mk():
    return make_atagande


@pytest.fixture
def periods(db):
    """Both periods of 2024, open (closing in the future)."""
    future = datetime.date.today() + datetime.timedelta(days=30)
    return [
        Uppfoljningsperiod.objects.create(year=2024, kind="halvar", closes_on=future),
        Uppfoljningsperiod.objects.create(year=2024, kind="helar", closes_on=future),
    ]
