import pytest
from django.contrib import admin
from django.urls import reverse

from avdelningar.models import Deltagande, NutsOmrade
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_sv(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-not-used-1")
    client.force_login(user)
    return client


def test_every_admin_changelist_and_add_page_renders(admin_client_sv):
    f.MedlemsantalFactory()
    for model in admin.site._registry:
        if model._meta.app_label not in ("avdelningar", "mal"):
            continue
        meta = model._meta
        r = admin_client_sv.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert r.status_code == 200, meta.model_name
        r = admin_client_sv.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?q=a"
        )
        assert r.status_code == 200, meta.model_name


def test_admin_refuses_overlapping_participation_with_message(admin_client_sv):
    se21 = NutsOmrade.objects.get(code="SE21")
    Deltagande.objects.create(nuts_omrade=se21, joined_on="2019-01-01")
    r = admin_client_sv.post(
        reverse("admin:avdelningar_deltagande_add"),
        {"nuts_omrade": se21.pk, "joined_on": "2020-01-01", "left_on": ""},
    )
    assert r.status_code == 200
    assert "deltar redan" in r.content.decode()
    assert Deltagande.objects.count() == 1


def test_admin_refuses_duplicate_member_count(admin_client_sv):
    count = f.MedlemsantalFactory(year=2023)
    r = admin_client_sv.post(
        reverse("admin:avdelningar_medlemsantal_add"),
        {"avdelning": count.avdelning.pk, "year": 2023, "active_members": 10},
    )
    assert r.status_code == 200
    assert "finns redan" in r.content.decode()
    assert count.avdelning.medlemsantal.count() == 1


def test_admin_is_swedish(admin_client_sv):
    body = admin_client_sv.get(reverse("admin:index")).content.decode()
    assert "NUTS-områden" in body and "Avdelningar" in body
