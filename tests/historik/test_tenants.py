"""The trail's tenant comes from the object (``audit_tenant``): historik is the ground floor
and knows no other app's fields, so every model that belongs to an area or a department must
say so itself, or its trail rows would lose their scope without any error."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from avdelningar.models import Avdelning, NutsOmrade
from historik.services import tenant_of
from mal.models import Atagande, Malvarde, Verksamhetsmal

# Every app of the project (the repository's top-level packages, not Django's or a library's
# in the venv): a new app is checked the day it is added, without anyone listing it here.
DOMAIN_APPS = {c.label for c in apps.get_app_configs() if Path(c.path).parent == settings.BASE_DIR}


def _owned(model):
    """Does a row of this model belong to an area or a department (directly or through a
    parent row that does)?"""
    for field in model._meta.concrete_fields:
        target = getattr(field, "related_model", None)
        if target is None or not field.many_to_one:
            continue
        if target in (Avdelning, NutsOmrade) or hasattr(target, "audit_tenant"):
            return True
    return False


def test_every_model_that_belongs_to_an_area_or_department_states_its_tenant():
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in DOMAIN_APPS and _owned(m) and not hasattr(m, "audit_tenant")
    ]
    assert missing == []


def _atagande(**owner):
    goal = Verksamhetsmal.objects.get(number=2)
    return Atagande.objects.create(year=2024, verksamhetsmal=goal, title="Lyft", **owner)


def test_a_department_row_belongs_to_its_area_and_a_child_row_to_its_parent(cast):
    atagande = _atagande(avdelning=cast.a1)
    target = Malvarde.objects.create(atagande=atagande, name="Egen", unit="st", target=3)
    assert tenant_of(cast.a1) == (cast.se21.pk, cast.a1.pk)
    assert tenant_of(atagande) == (cast.se21.pk, cast.a1.pk)
    assert tenant_of(target) == (cast.se21.pk, cast.a1.pk)
    assert tenant_of(_atagande(nuts_omrade=cast.se21)) == (cast.se21.pk, None)


def test_an_object_that_states_nothing_has_no_tenant():
    assert tenant_of(object()) == (None, None)
    assert tenant_of(None) == (None, None)
    assert not hasattr(Atagande.objects, "audit_tenant")
