"""Women plus men may not exceed the total of a target or an actual: a form error, and
the database refuses it too."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from mal.forms import MalvardeFormSet, UppfoljningForm
from mal.models import Malvarde, Uppfoljning, Utfall

pytestmark = pytest.mark.django_db


def test_the_database_refuses_more_women_and_men_than_the_target(cast, mk):
    a = mk(cast.a1)
    m = a.malvarden.get()
    for women, men in ((6, 5), (11, None), (None, 11)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Malvarde.objects.filter(pk=m.pk).update(target_women=women, target_men=men)
    Malvarde.objects.filter(pk=m.pk).update(target_women=4, target_men=6)


def test_the_database_refuses_more_women_and_men_than_the_actual(cast, mk, periods):
    a = mk(cast.a1, status="approved")
    uf = Uppfoljning.objects.create(atagande=a, period=periods[0], status="on_track")
    m = a.malvarden.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Utfall.objects.create(uppfoljning=uf, malvarde=m, actual=5, actual_women=3, actual_men=3)
    Utfall.objects.create(uppfoljning=uf, malvarde=m, actual=5, actual_women=2, actual_men=3)


def test_target_form_says_so(cast, mk):
    a = mk(cast.a1)
    m = a.malvarden.get()
    data = {
        "malvarden-TOTAL_FORMS": "1",
        "malvarden-INITIAL_FORMS": "1",
        "malvarden-MIN_NUM_FORMS": "0",
        "malvarden-MAX_NUM_FORMS": "1000",
        "malvarden-0-id": m.pk,
        "malvarden-0-atagande": a.pk,
        "malvarden-0-indikator": m.indikator_id,
        "malvarden-0-unit": "st",
        "malvarden-0-target": "10",
        "malvarden-0-target_women": "7",
        "malvarden-0-target_men": "5",
    }
    formset = MalvardeFormSet(data, instance=a, prefix="malvarden")
    assert not formset.is_valid()
    assert "fler än totalen" in str(formset.errors)
    data["malvarden-0-target_men"] = "3"
    assert MalvardeFormSet(data, instance=a, prefix="malvarden").is_valid()


def test_follow_up_form_says_so_and_saves_nothing(client, cast, mk, periods):
    a = mk(cast.a1, status="approved")
    m = a.malvarden.get()
    m.split_by_gender = True
    m.save()
    form = UppfoljningForm(
        {
            "status": "on_track",
            f"actual_{m.pk}": "4",
            f"actual_women_{m.pk}": "3",
            f"actual_men_{m.pk}": "2",
        },
        targets=[m],
    )
    assert not form.is_valid()
    assert "fler än totalen" in str(form.errors[f"actual_{m.pk}"])
    client.force_login(cast.board)
    url = reverse("mal:uppfoljning", args=[a.pk, periods[0].pk])
    r = client.post(
        url,
        {
            "status": "on_track",
            f"actual_{m.pk}": "4",
            f"actual_women_{m.pk}": "3",
            f"actual_men_{m.pk}": "2",
            "version": "0",
        },
    )
    assert r.status_code == 200 and "fler än totalen" in r.content.decode()
    assert not Uppfoljning.objects.exists()
