import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from avdelningar import demo
from rapporter.models import Rapportversion

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_seed_demo_is_idempotent_and_every_login_works():
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first
    for username, *_ in demo.USERS:
        assert (
            authenticate(
                RequestFactory().post("/logga-in/"), username=username, password=demo.DEMO_PASSWORD
            )
            is not None
        ), username
    assert first["avdelningar.Deltagande"] == 2
    years = timezone.localdate().year - 2019 + 1
    assert first["avdelningar.Medlemsantal"] == len(demo.AVDELNINGAR) * years
    # Both editions of 2023 are compiled and approved, so the national board has a report
    # to read; the second run compiled nothing new.
    approved = Rapportversion.objects.filter(year=2023, approved_at__isnull=False)
    assert sorted(approved.values_list("edition", flat=True)) == sorted(
        Rapportversion.Edition.values
    )
    assert all(v.pdf and v.xlsx for v in approved)
    assert first["rapporter.Rapportversion"] == 2
