"""mal's admin: every change lands in the audit trail with its field diff."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from historik.admin import AuditedAdmin, SafeTabularInline
from historik.models import Handelse
from mal.models import Indikator, Periodoppning, Uppfoljningsperiod, Verksamhetsmal
from tests.helpers import management

pytestmark = pytest.mark.django_db


def test_every_mal_admin_is_audited():
    registered = [ma for m, ma in admin.site._registry.items() if m._meta.app_label == "mal"]
    assert registered
    for model_admin in registered:
        assert isinstance(model_admin, AuditedAdmin), model_admin
        for inline in model_admin.inlines:
            assert issubclass(inline, SafeTabularInline), inline


def test_changelists_render(admin_client):
    for model in admin.site._registry:
        if model._meta.app_label == "mal":
            url = reverse(f"admin:mal_{model._meta.model_name}_changelist")
            assert admin_client.get(url + "?q=a").status_code == 200, url


def test_indicator_change_is_recorded_with_field_diff(admin_client, root):
    ind = Indikator.objects.order_by("pk").first()
    data = {
        "verksamhetsmal": ind.verksamhetsmal_id,
        "name": ind.name,
        "unit": "timmar",
        "split_by_gender": "on" if ind.split_by_gender else "",
        "is_active": "on",
    }
    r = admin_client.post(reverse("admin:mal_indikator_change", args=[ind.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(action=Handelse.Action.UPDATE, model="mal.Indikator")
    assert row.changes == {"unit": [ind.unit, "timmar"]}
    assert row.user == root and row.object_id == str(ind.pk)


def test_inline_indicator_on_a_goal_is_recorded(admin_client):
    vm = Verksamhetsmal.objects.get(number=3)
    existing = list(vm.indikatorer.all())
    data = {"summary": vm.summary, "description": "Ny beskrivning."}
    data.update(management("indikatorer", len(existing) + 1, len(existing)))
    for i, ind in enumerate(existing):
        data.update(
            {
                f"indikatorer-{i}-id": ind.pk,
                f"indikatorer-{i}-verksamhetsmal": vm.pk,
                f"indikatorer-{i}-name": ind.name,
                f"indikatorer-{i}-unit": ind.unit,
                f"indikatorer-{i}-is_active": "on" if ind.is_active else "",
                f"indikatorer-{i}-split_by_gender": "on" if ind.split_by_gender else "",
            }
        )
    n = len(existing)
    data.update(
        {
            f"indikatorer-{n}-verksamhetsmal": vm.pk,
            f"indikatorer-{n}-name": "Nya studiecirklar",
            f"indikatorer-{n}-unit": "st",
            f"indikatorer-{n}-is_active": "on",
        }
    )
    r = admin_client.post(reverse("admin:mal_verksamhetsmal_change", args=[vm.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    goal = Handelse.objects.get(model="mal.Verksamhetsmal")
    assert goal.changes == {"description": [vm.description, "Ny beskrivning."]}
    new = Handelse.objects.get(model="mal.Indikator", action=Handelse.Action.CREATE)
    assert new.changes["name"] == [None, "Nya studiecirklar"]


def test_period_date_change_and_bulk_delete_of_openings(admin_client, root, cast):
    period = Uppfoljningsperiod.objects.create(
        year=2024, kind="halvar", closes_on=datetime.date(2024, 8, 31)
    )
    url = reverse("admin:mal_uppfoljningsperiod_change", args=[period.pk])
    r = admin_client.post(url, {"year": 2024, "kind": "halvar", "closes_on": "2024-09-15"})
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Handelse.objects.get(model="mal.Uppfoljningsperiod")
    assert row.changes == {"closes_on": ["2024-08-31", "2024-09-15"]}

    r = admin_client.post(
        reverse("admin:mal_periodoppning_add"),
        {
            "period": period.pk,
            "avdelning": cast.b1.pk,
            "open_until": "2024-10-01",
            "reason": "Ny styrelse.",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    opening = Periodoppning.objects.get()
    assert opening.created_by == root
    created = Handelse.objects.get(model="mal.Periodoppning", action=Handelse.Action.CREATE)
    assert created.avdelning_id == cast.b1.pk and created.nuts_omrade_id == cast.se22.pk

    r = admin_client.post(
        reverse("admin:mal_periodoppning_changelist"),
        {"action": "delete_selected", "_selected_action": [opening.pk], "post": "yes"},
    )
    assert r.status_code == 302
    assert not Periodoppning.objects.exists()
    deleted = Handelse.objects.get(model="mal.Periodoppning", action=Handelse.Action.DELETE)
    assert deleted.object_id == str(opening.pk) and deleted.avdelning_id == cast.b1.pk


def test_bad_autocomplete_value_is_a_form_error_not_a_crash(admin_client):
    r = admin_client.post(
        reverse("admin:mal_indikator_add"),
        {"verksamhetsmal": "abc", "name": "x", "unit": "st", "is_active": "on"},
    )
    assert r.status_code == 200
    assert not Indikator.objects.filter(name="x").exists()
    assert not Handelse.objects.filter(model="mal.Indikator").exists()
