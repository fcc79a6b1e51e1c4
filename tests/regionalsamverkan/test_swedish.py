"""Swedish throughout: what Django itself says agrees with what the app says."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from avdelningar.models import Deltagande, NutsOmrade
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_named_constraint_has_its_own_swedish_message():
    # Django's default names the constraint ("Villkoret ”deltagande_one_open_per_area”
    # bryts"), which tells a user nothing.
    raw = [
        f"{model._meta.label}.{c.name}"
        for model in apps.get_models()
        for c in model._meta.constraints
        if c.violation_error_message == c.default_violation_error_message
        or c.name in c.violation_error_message
    ]
    assert raw == []


def test_a_second_open_participation_is_refused_in_swedish(admin_client):
    se21 = NutsOmrade.objects.get(code="SE21")
    Deltagande.objects.create(nuts_omrade=se21, joined_on="2019-01-01")
    r = admin_client.post(
        reverse("admin:avdelningar_deltagande_add"),
        {"nuts_omrade": se21.pk, "joined_on": "2030-01-01", "left_on": ""},
    )
    body = r.content.decode()
    assert "deltagande_one_open_per_area" not in body
    assert "Området har redan ett pågående deltagande" in body


def test_django_and_the_app_say_negative_the_same_way(admin_client):
    avdelning = f.AvdelningFactory()
    r = admin_client.post(
        reverse("admin:avdelningar_medlemsantal_add"),
        {"avdelning": avdelning.pk, "year": 2024, "active_members": -5},
    )
    body = r.content.decode()
    assert "kan inte vara negativt" in body
    assert "större än eller lika med" not in body


def test_admin_sections_are_swedish(admin_client):
    body = admin_client.get(reverse("admin:index")).content.decode()
    for app_config in {apps.get_app_config(m._meta.app_label) for m in admin.site._registry}:
        assert str(app_config.verbose_name) in body, app_config.label
    for english in ("Axes", "OTP_TOTP", "TOTP devices", "Access attempts", "Authentication"):
        assert english not in body, english


def test_the_lockout_list_is_swedish(admin_client):
    body = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "Misslyckade inloggningar" in body or "misslyckade inloggningsförsök" in body
    assert "IP Address" not in body and "Attempt Time" not in body
