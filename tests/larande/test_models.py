"""The database keeps an action's owner single and a done action dated, whatever the caller."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from larande.models import Atgard, Lardom

from .helpers import make_atgard, make_mote

pytestmark = pytest.mark.django_db


def refused(name, **kw):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        make_atgard(**kw)
    assert name in str(exc.value)


def test_an_action_has_at_most_one_owner(cast):
    mote = make_mote(cast.se21)
    refused("atgard_one_owner_at_most", mote=mote, person=cast.board.person, avdelning=cast.a1)
    make_atgard(mote, person=cast.board.person)
    make_atgard(mote, avdelning=cast.a1)
    make_atgard(mote)  # the meeting's, no one named
    assert Atgard.objects.count() == 3


def test_a_done_action_has_a_date_and_an_open_one_none(cast):
    mote = make_mote(cast.se21)
    refused("atgard_done_has_date", mote=mote, status=Atgard.Status.DONE)
    refused(
        "atgard_done_has_date",
        mote=mote,
        status=Atgard.Status.OPEN,
        done_on=datetime.date(2024, 5, 1),
    )
    make_atgard(mote, status=Atgard.Status.DONE, done_on=datetime.date(2024, 5, 1))


def test_status_must_be_one_of_the_choices(cast):
    refused("atgard_status_valid", mote=make_mote(cast.se21), status="maybe")


def test_one_lessons_log_per_area_and_year(cast):
    Lardom.objects.create(nuts_omrade=cast.se21, year=2024)
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Lardom.objects.create(nuts_omrade=cast.se21, year=2024)
    # PostgreSQL names the constraint, SQLite its columns.
    assert "lardom_one_per_area_year" in str(exc.value) or "larande_lardom.year" in str(exc.value)
    Lardom.objects.create(nuts_omrade=cast.se22, year=2024)


def test_the_constraints_messages_are_swedish(cast):
    names = {c.name: c.violation_error_message for c in Atgard._meta.constraints}
    assert "högst en ansvarig" in names["atgard_one_owner_at_most"]
    assert "klar åtgärd har ett datum" in names["atgard_done_has_date"]
