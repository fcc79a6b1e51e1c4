"""A stamp of change reads its aggregates in one statement and refuses anything else."""

import datetime

import pytest

from aktiviteter.models import Aktor
from historik import stamps

pytestmark = pytest.mark.django_db


def test_a_stamp_moves_with_the_rows(django_assert_num_queries):
    parts = [(Aktor, "COUNT(*)"), (Aktor, "MAX(updated_at)")]
    with django_assert_num_queries(1):
        before = stamps.read(parts)
    assert before == (0, None)
    a = Aktor.objects.create(name="Kommun", typ=Aktor.Typ.KOMMUN)
    created = stamps.read(parts)
    assert created[0] == 1 and created[1] is not None
    # An edit in place keeps the count and moves the latest change.
    Aktor.objects.filter(pk=a.pk).update(updated_at=a.updated_at + datetime.timedelta(seconds=1))
    edited = stamps.read(parts)
    assert edited[0] == 1 and edited != created


def test_only_the_known_aggregates_reach_sql():
    with pytest.raises(ValueError, match="not a stamp aggregate"):
        stamps.read([(Aktor, "MAX(id)); DROP TABLE x; --")])
