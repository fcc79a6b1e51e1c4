"""Deleting an activity (issue 12, "Activities"): the area's coordinator and the project
leader may, after a confirmation page; the trail keeps what the activity held. The detail
page says who last changed the activity, next to who logged it."""

import pytest
from django.urls import reverse

from aktiviteter import services
from aktiviteter.models import Aktivitet
from historik.models import Handelse

from .helpers import data, make_aktivitet, make_aktor

pytestmark = pytest.mark.django_db


@pytest.fixture
def akt(cast):
    a = make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Möte med Region Kalmar")
    a.aktorer.add(make_aktor(nuts=cast.se21))
    return a


def test_coordinator_confirms_and_deletes_and_the_trail_keeps_the_fields(client, cast, akt):
    client.force_login(cast.coordinator)
    url = reverse("aktiviteter:ta_bort", args=[akt.pk])
    page = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
    assert url in page  # the detail page offers it
    r = client.get(url)
    assert r.status_code == 200 and "Ta bort aktiviteten" in r.content.decode()
    assert Aktivitet.objects.filter(pk=akt.pk).exists()  # GET deletes nothing

    r = client.post(url)
    assert r.status_code == 302 and r.url == reverse("aktiviteter:lista")
    assert not Aktivitet.objects.filter(pk=akt.pk).exists()
    row = Handelse.objects.get(action=Handelse.Action.DELETE, object_id=str(akt.pk))
    assert row.user == cast.coordinator and row.nuts_omrade_id == cast.se21.pk
    assert row.changes["title"] == "Möte med Region Kalmar"
    assert row.changes["date"] == "2024-03-01"
    assert row.changes["avdelningar"] == ["Avdelning A1"]
    assert row.changes["aktorer"] == ["Region Jönköpings län"]
    assert row.changes["verksamhetsmal"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("board", 403), ("changeleader", 403), ("steering", 403), ("other_coordinator", 404)],
)
def test_others_cannot_delete(client, cast, akt, who, status):
    client.force_login(getattr(cast, who))
    assert client.post(reverse("aktiviteter:ta_bort", args=[akt.pk])).status_code == status
    assert Aktivitet.objects.filter(pk=akt.pk).exists()
    assert not Handelse.objects.filter(action=Handelse.Action.DELETE).exists()
    if status == 403:
        page = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
        assert reverse("aktiviteter:ta_bort", args=[akt.pk]) not in page


def test_list_totals_drop_the_deleted_activity_at_once(client, cast, akt):
    make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Ett till")
    client.force_login(cast.coordinator)
    assert client.get(reverse("aktiviteter:lista")).context["totals"]["total"] == 2
    client.post(reverse("aktiviteter:ta_bort", args=[akt.pk]))
    assert client.get(reverse("aktiviteter:lista")).context["totals"]["total"] == 1


def test_detail_says_who_changed_it_last(client, cast, akt):
    akt.created_by = cast.changeleader
    akt.save()
    client.force_login(cast.coordinator)
    body = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
    assert "inte sedan den loggades" in body
    services.aktivitet_update(
        aktivitet=Aktivitet.objects.get(pk=akt.pk),
        user=cast.coordinator,
        data=data(cast.se21, avdelningar=[cast.a1], title="Nytt namn"),
        expected_version=0,
    )
    a = Aktivitet.objects.get(pk=akt.pk)
    assert a.updated_by == cast.coordinator and a.updated_at > a.created_at
    body = client.get(reverse("aktiviteter:detalj", args=[akt.pk])).content.decode()
    assert "Ändrad</dt>" in body and "av coordinator" in body
    assert "av changeleader" in body  # "loggad av" stays
