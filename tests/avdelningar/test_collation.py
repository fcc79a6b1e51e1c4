"""The collation ``swedish`` sorts the same on SQLite (a Python function) and PostgreSQL (ICU).

On PostgreSQL the property test compares ICU's order with the Python key that SQLite uses,
so the two databases cannot drift apart; on SQLite it checks that the function is the one
registered on the connection. The named cases hold on both.
"""

import json

import pytest
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from aktiviteter.models import Aktor
from avdelningar.collation import swedish_key
from avdelningar.models import Avdelning
from tests import factories as f
from tests.fuzz import fuzz

pytestmark = pytest.mark.django_db


def database_order(words):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT w FROM unnest(%s::text[]) AS w ORDER BY w COLLATE swedish", [words])
        else:
            cur.execute(
                "SELECT value FROM json_each(%s) ORDER BY value COLLATE swedish",
                [json.dumps(words)],
            )
        return [row[0] for row in cur.fetchall()]


def test_a_a_o_come_after_z_in_that_order():
    for name in ["Örebro", "Ärla", "Zinkgruvan", "Åmål"]:
        f.AvdelningFactory(name=name)
    assert list(Avdelning.objects.values_list("name", flat=True)) == [
        "Zinkgruvan",
        "Åmål",
        "Ärla",
        "Örebro",
    ]


@pytest.mark.parametrize(
    "expected",
    [
        # Å, Ä, Ö after Z however the word goes on; å before ä before ö.
        ["Zinkgruvan", "Zz", "Åmål", "Ängelholm", "Ärla", "Örebro"],
        ["Zäta", "Å", "Åsa", "Äsa", "Ösa"],
        # Case and accents only break ties: lower before upper, plain before accented.
        ["arboga", "Arboga", "Bollnäs"],
        ["eva", "Eva", "Éva", "Evert"],
        # Ü is a y, æ an ä, ø an ö (neighbouring languages' names).
        ["Muller", "Mylla", "Müller", "Myra"],
        ["Ærø", "Äsa", "Ødegaard", "Örebro"],
        # Spaces and punctuation before letters, digits before letters.
        ["IF Metall", "IF Metall 10", "IF Metall 2", "IF Metall Gotland", "IF-Metall"],
        ["Väst", "Västerås", "Västra Götaland"],
    ],
)
def test_named_cases(expected):
    backwards = expected[::-1]
    assert database_order(backwards) == expected
    assert sorted(backwards, key=swedish_key) == expected


def test_actors_are_ordered_the_swedish_way(cast):
    for name in ["Örebro kommun", "Åmåls kommun", "Zinkgruvan AB", "Ärla IF"]:
        Aktor.objects.create(name=name, typ=Aktor.Typ.values[0], nuts_omrade=cast.se21)
    names = list(Aktor.objects.filter(nuts_omrade=cast.se21).values_list("name", flat=True))
    assert names == ["Zinkgruvan AB", "Åmåls kommun", "Ärla IF", "Örebro kommun"]


words = st.lists(st.text("aAbeEéoOüyYzZåÅäÄöÖæø 1-_.", min_size=1, max_size=6), max_size=30)


@pytest.mark.fuzz
@fuzz(150)
@given(words=words)
@example(words=["Zinkgruvan", "Åmål", "Ärla", "Örebro"])  # Åmål sorted before Zinkgruvan
def test_database_and_python_key_agree(words):
    assert database_order(words) == sorted(words, key=swedish_key)
