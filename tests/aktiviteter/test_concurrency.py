"""Optimistic locking under real concurrency: several threads, one connection each,
editing the same activity through ``services.aktivitet_update`` at the same moment.

PostgreSQL only (SQLite serialises writers with a file lock, which proves nothing about
the conditional UPDATE); skipped elsewhere unless REQUIRE_SERVICES is set.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from aktiviteter import services
from aktiviteter.models import Aktivitet
from historik.models import Handelse
from historik.services import ConflictError
from tests.helpers import require_service

from .helpers import data, make_aktivitet

THREADS = 6


@pytest.fixture
def postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql")


def _fields(aktivitet):
    """The activity's current values as the form's cleaned data would carry them."""
    return data(
        aktivitet.nuts_omrade,
        title=aktivitet.title,
        date=aktivitet.date,
        typ=aktivitet.typ,
        avdelningar=list(aktivitet.avdelningar.all()),
        verksamhetsmal=list(aktivitet.verksamhetsmal.all()),
        participants_women=aktivitet.participants_women,
    )


def _run_threads(target):
    errors = []

    def wrapped(i):
        try:
            target(i)
        except Exception as exc:  # surfaced below: a thread must not fail silently
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors


def test_stale_editors_get_a_conflict_and_write_nothing(transactional_db, postgres, cast):
    aktivitet = make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Start")
    user_id = cast.coordinator.pk
    ready = threading.Barrier(THREADS)
    won, lost = [], []

    def edit(i):
        user = get_user_model().objects.get(pk=user_id)
        mine = Aktivitet.objects.get(pk=aktivitet.pk)
        loaded_version = mine.version
        fields = {**_fields(mine), "title": f"Rubrik {i}", "participants_women": i}
        ready.wait()  # everyone has loaded version 0 before anyone saves
        try:
            services.aktivitet_update(
                aktivitet=mine, user=user, data=fields, expected_version=loaded_version
            )
        except ConflictError as exc:
            lost.append((i, str(exc)))
        else:
            won.append(i)

    _run_threads(edit)
    assert len(won) == 1 and len(lost) == THREADS - 1
    assert all("sparat" in message or "ändrat" in message for _, message in lost), lost
    aktivitet.refresh_from_db()
    winner = won[0]
    # The winner's values, whole: no field of a loser slipped in.
    assert (aktivitet.title, aktivitet.participants_women) == (f"Rubrik {winner}", winner)
    assert aktivitet.version == 1
    updates = Handelse.objects.filter(
        action=Handelse.Action.UPDATE, model="aktiviteter.Aktivitet", object_id=str(aktivitet.pk)
    )
    assert updates.count() == 1


def test_editors_who_reload_on_conflict_lose_no_update(transactional_db, postgres, cast):
    """Each thread adds participants ROUNDS times, reloading after each conflict as a user
    would: the final count holds every addition (0 lost updates)."""
    aktivitet = make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Räknas")
    user_id = cast.coordinator.pk
    rounds = 4
    conflicts = []

    def add(i):
        user = get_user_model().objects.get(pk=user_id)
        done = 0
        while done < rounds:
            mine = Aktivitet.objects.get(pk=aktivitet.pk)
            fields = {**_fields(mine), "participants_women": mine.participants_women + 1}
            try:
                services.aktivitet_update(
                    aktivitet=mine, user=user, data=fields, expected_version=mine.version
                )
            except ConflictError:
                conflicts.append(i)
                continue
            done += 1

    _run_threads(add)
    aktivitet.refresh_from_db()
    assert aktivitet.participants_women == THREADS * rounds
    assert aktivitet.version == THREADS * rounds
    updates = Handelse.objects.filter(
        action=Handelse.Action.UPDATE, model="aktiviteter.Aktivitet", object_id=str(aktivitet.pk)
    )
    assert updates.count() == THREADS * rounds
