"""Issue 13 #9: changes that recorded ``changes={}`` in the trail."""

import pytest
from django.urls import reverse

from historik.models import Handelse
from mal.models import Mognadsriktlinje, Projektmal
from tests.aktiviteter.helpers import make_aktor, make_forum, make_projekt

pytestmark = pytest.mark.django_db


def test_changing_only_a_forums_actors_is_in_the_diff(client, cast):
    forum = make_forum(cast.se21)
    region = make_aktor(nuts=cast.se21)
    af = make_aktor(name="Arbetsförmedlingen Syd", nuts=cast.se21)
    forum.aktorer.set([region])
    client.force_login(cast.coordinator)
    post = {
        "name": forum.name,
        "typ": forum.typ,
        "nuts_omrade": cast.se21.pk,
        "aktorer": [region.pk, af.pk],
        "version": 0,
    }
    r = client.post(reverse("aktiviteter:forum_andra", args=[forum.pk]), post)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, model="aktiviteter.Forum")
    assert row.changes["aktorer"] == [
        ["Region Jönköpings län"],
        ["Arbetsförmedlingen Syd", "Region Jönköpings län"],
    ]


def test_changing_only_a_projects_departments_and_partners_is_in_the_diff(client, cast):
    projekt = make_projekt([cast.se21])
    partner = make_aktor(nuts=cast.se21)
    client.force_login(cast.coordinator)
    post = {
        "name": projekt.name,
        "fund": projekt.fund,
        "union_role": projekt.union_role,
        "omraden": [cast.se21.pk],
        "avdelningar": [cast.a1.pk],
        "partners": [partner.pk],
        "participants_women": 0,
        "participants_men": 0,
        "version": 0,
    }
    r = client.post(reverse("aktiviteter:projekt_andra", args=[projekt.pk]), post)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(
        action=Handelse.Action.UPDATE, model="aktiviteter.Strukturfondsprojekt"
    )
    assert row.changes["avdelningar"] == [[], [str(cast.a1)]]
    assert row.changes["partners"] == [[], ["Region Jönköpings län"]]
    assert "omraden" not in row.changes  # unchanged lists stay out of the diff


def guideline_post(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"form-{i}-{k}": v for k, v in row.items()})
    return data


def test_deleting_and_changing_maturity_guidelines_records_their_values(client, cast):
    goal = Projektmal.objects.get(number=2)
    kept = Mognadsriktlinje.objects.create(maturity=1, projektmal=goal, min_commitments=1)
    gone = Mognadsriktlinje.objects.create(maturity=2, projektmal=goal, min_commitments=3)
    client.force_login(cast.leader)
    row = {"projektmal": goal.pk}
    data = guideline_post(
        [
            {**row, "id": kept.pk, "maturity": 1, "min_commitments": 4},
            {**row, "id": gone.pk, "maturity": 2, "min_commitments": 3, "DELETE": "on"},
        ]
    )
    assert client.post(reverse("mal:riktlinjer"), data).status_code == 302
    assert not Mognadsriktlinje.objects.filter(pk=gone.pk).exists()
    deleted = Handelse.objects.get(action=Handelse.Action.DELETE, model="mal.Mognadsriktlinje")
    assert deleted.object_id == str(gone.pk)
    assert deleted.changes["min_commitments"] == [3, None]
    assert deleted.changes["maturity"] == [2, None]
    assert deleted.changes["projektmal_id"] == [goal.pk, None]
    changed = Handelse.objects.get(action=Handelse.Action.UPDATE, model="mal.Mognadsriktlinje")
    assert changed.object_id == str(kept.pk)
    assert changed.changes == {"min_commitments": [1, 4]}
