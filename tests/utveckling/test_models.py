"""The candidate's constraints: one per area and year, scores 1–5, and each decision
complete and matching the status (the database refuses a half-recorded decision)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from avdelningar.models import NutsOmrade
from tests import factories as f
from tests.utveckling.helpers import krav
from utveckling.models import Kandidat, Kravbedomning, Kriteriebedomning, Status

pytestmark = pytest.mark.django_db


def se12():
    return NutsOmrade.objects.get(code="SE12")


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Kandidat.objects.create(nuts_omrade=se12(), year=2027, **fields)


def test_one_candidate_per_area_and_year():
    Kandidat.objects.create(nuts_omrade=se12(), year=2027)
    refused()
    Kandidat.objects.create(nuts_omrade=se12(), year=2028)


def test_a_proposal_has_text_and_a_date():
    refused(status=Status.FORESLAGEN)
    refused(status=Status.FORESLAGEN, proposal="Ja")
    Kandidat.objects.create(
        nuts_omrade=se12(),
        year=2027,
        status=Status.FORESLAGEN,
        proposal="Ja",
        proposed_on=datetime.date(2026, 5, 1),
    )


def test_the_steering_groups_decision_is_complete_and_matches_the_status():
    proposed = {"proposal": "Ja", "proposed_on": datetime.date(2026, 5, 1)}
    day = datetime.date(2026, 6, 1)
    refused(status=Status.TILLSTYRKT, **proposed)  # no decision recorded
    refused(status=Status.TILLSTYRKT, sg_recommended=True, sg_decided_on=day, **proposed)  # no §
    refused(
        status=Status.TILLSTYRKT,
        sg_recommended=False,
        sg_decided_on=day,
        sg_paragraph="§ 1",
        **proposed,
    )
    refused(status=Status.FORESLAGEN, sg_recommended=True, **proposed)  # decided, not recorded
    Kandidat.objects.create(
        nuts_omrade=se12(),
        year=2027,
        status=Status.AVSTYRKT,
        sg_recommended=False,
        sg_decided_on=day,
        sg_paragraph="§ 1",
        **proposed,
    )


def test_taking_part_needs_the_boards_yes_and_a_participation():
    decided = {
        "proposal": "Ja",
        "proposed_on": datetime.date(2026, 5, 1),
        "sg_recommended": True,
        "sg_decided_on": datetime.date(2026, 6, 1),
        "sg_paragraph": "§ 1",
    }
    refused(status=Status.DELTAR, fs_yes=True, fs_decided_on=datetime.date(2026, 7, 1), **decided)
    refused(status=Status.AVSLAGEN, fs_yes=True, fs_decided_on=datetime.date(2026, 7, 1), **decided)
    deltagande = f.DeltagandeFactory(nuts_omrade=se12(), joined_on=datetime.date(2027, 1, 1))
    Kandidat.objects.create(
        nuts_omrade=se12(),
        year=2027,
        status=Status.DELTAR,
        fs_yes=True,
        fs_decided_on=datetime.date(2026, 7, 1),
        deltagande=deltagande,
        **decided,
    )


@pytest.mark.parametrize("score", [0, 6])
def test_scores_are_1_to_5(score):
    k = Kandidat.objects.create(nuts_omrade=se12(), year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kriteriebedomning.objects.create(kandidat=k, kriterium="geografi", score=score)
    (requirement,) = krav("Erfarenhet")
    with pytest.raises(IntegrityError), transaction.atomic():
        Kravbedomning.objects.create(
            kandidat=k, person=f.PersonFactory(), krav=requirement, score=score
        )
    Kriteriebedomning.objects.create(kandidat=k, kriterium="geografi", score=5)


def test_an_unknown_criterion_is_refused():
    k = Kandidat.objects.create(nuts_omrade=se12(), year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kriteriebedomning.objects.create(kandidat=k, kriterium="annat", score=3)
