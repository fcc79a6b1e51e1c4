"""The candidate coordinator's assessment is personal data: in the person's register
extract (through avdelningar.personal_data), deleted when the person is anonymised."""

import json

import pytest

from avdelningar import personal_data
from avdelningar.services import person_anonymize, person_register_extract
from historik.models import Handelse
from tests.utveckling.helpers import kandidat, krav
from utveckling import services
from utveckling.models import Kandidat, Kravbedomning

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(cast):
    first, second = krav("Erfarenhet av omställning", "Avdelningarnas förtroende")
    k = kandidat(cast)
    services.kravbedomning_save(
        kandidat=k,
        values={first.pk: {"score": 4, "comment": "Stark"}, second.pk: {"score": 2, "comment": ""}},
        user=cast.leader,
    )
    return k


def test_utveckling_registers_its_section():
    assert "kandidatbedömningar" in {s.title for s in personal_data.sections()}


def test_the_register_extract_holds_the_assessment(assessed, cast):
    data = person_register_extract(person=assessed.samordnare, user=cast.leader)
    rows = data["kandidatbedömningar"]
    assert [(r["krav"], r["poäng"], r["kommentar"]) for r in rows] == [
        ("Erfarenhet av omställning", 4, "Stark"),
        ("Avdelningarnas förtroende", 2, ""),
    ]
    assert rows[0]["kandidatområde"] == str(assessed)
    json.dumps(data, ensure_ascii=False)
    other = person_register_extract(person=cast.leader.person, user=cast.leader)
    assert other["kandidatbedömningar"] == []


def test_anonymisation_deletes_the_assessment_and_keeps_the_candidate(assessed, cast):
    person = assessed.samordnare
    person_anonymize(person=person, user=cast.leader)
    assert not Kravbedomning.objects.filter(person=person).exists()
    k = Kandidat.objects.get(pk=assessed.pk)
    assert k.samordnare == person and k.kriterier.count() == 6
    row = Handelse.objects.get(model="utveckling.Kravbedomning", action="delete")
    assert "2 bedömningar" in row.note and "Stark" not in json.dumps(row.changes)
