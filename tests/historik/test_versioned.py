"""Optimistic locking (historik.services.save_versioned) on the one abstract model."""

import datetime

import pytest
from django.utils import timezone

from aktiviteter.models import Aktor
from historik.models import Versioned
from historik.services import ConflictError, save_versioned


def test_a_versioned_save_moves_changed_at_and_the_version(db):
    aktor = Aktor.objects.create(name="Almi", typ=Aktor.Typ.REGION)
    long_ago = timezone.now() - datetime.timedelta(days=3)
    Aktor.objects.filter(pk=aktor.pk).update(updated_at=long_ago)
    aktor.refresh_from_db()
    aktor.name = "Almi Mitt"
    save_versioned(aktor, expected_version=aktor.version, update_fields=["name"])
    fresh = Aktor.objects.get(pk=aktor.pk)
    # A queryset UPDATE skips auto_now; the activity list's caches key on "ändrad".
    assert fresh.updated_at > long_ago and fresh.version == 1 and fresh.name == "Almi Mitt"


def test_a_stale_version_changes_nothing(db):
    aktor = Aktor.objects.create(name="Almi", typ=Aktor.Typ.REGION)
    aktor.name = "Annat"
    with pytest.raises(ConflictError):
        save_versioned(aktor, expected_version=aktor.version + 1, update_fields=["name"])
    assert Aktor.objects.get(pk=aktor.pk).name == "Almi"


def test_every_locked_model_starts_at_version_zero():
    from django.apps import apps

    locked = [m for m in apps.get_models() if issubclass(m, Versioned)]
    assert len(locked) == 10
    assert {m._meta.get_field("version").default for m in locked} == {0}
