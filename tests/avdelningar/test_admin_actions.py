"""Admin actions need their own permission (issue 13 #2): a staff user who may only look
at a list is offered no action on it, and a crafted POST of one changes and reveals nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from avdelningar.models import Person
from historik.models import Handelse
from tests import factories as f

pytestmark = pytest.mark.django_db


def _staff(username, model, *codenames):
    user = f.UserFactory(username=username, is_staff=True)
    content_type = ContentType.objects.get_for_model(model)
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type=content_type, codename=codename)
        )
    return user


def test_every_admin_action_declares_the_permission_it_needs():
    for model, model_admin in admin.site._registry.items():
        for func, name, _description in model_admin._get_base_actions():
            assert getattr(func, "allowed_permissions", ()), f"{model.__name__}: {name}"


def test_view_only_staff_is_offered_no_action_on_any_admin():
    # Every action there is changes data (anonymise, delete, clean up lockouts) or shows
    # more than the list does (a register extract reads the audit trail with IP addresses).
    offered = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        user = _staff(f"view-{meta.app_label}-{meta.model_name}", model, f"view_{meta.model_name}")
        request = RequestFactory().get("/admin/")
        request.user = user
        actions = model_admin.get_actions(request)
        if actions:
            offered[meta.label] = sorted(actions)
    assert offered == {}


@pytest.fixture
def subject(cast):
    return Person.objects.get(user=cast.board)


@pytest.mark.parametrize("action", ["anonymize", "register_extract_json", "register_extract_xlsx"])
def test_view_only_staff_cannot_post_a_person_action(client, subject, action):
    client.force_login(_staff("tittare", Person, "view_person"))
    before = Handelse.objects.count()
    r = client.post(
        reverse("admin:avdelningar_person_changelist"),
        {"action": action, "_selected_action": [subject.pk]},
    )
    subject.refresh_from_db()
    assert subject.anonymized_at is None and subject.name != ""
    assert r.status_code in (200, 302)
    assert "attachment" not in r.get("Content-Disposition", "")
    assert Handelse.objects.filter(action=Handelse.Action.EXPORT).count() == 0
    assert Handelse.objects.count() == before


def test_staff_with_the_extract_permission_gets_the_extract(client, subject):
    client.force_login(_staff("dataskydd", Person, "view_person", "extract_register"))
    r = client.post(
        reverse("admin:avdelningar_person_changelist"),
        {"action": "register_extract_json", "_selected_action": [subject.pk]},
    )
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]


def test_staff_with_the_anonymize_permission_anonymises(client, subject):
    client.force_login(_staff("dataskydd", Person, "view_person", "anonymize_person"))
    client.post(
        reverse("admin:avdelningar_person_changelist"),
        {"action": "anonymize", "_selected_action": [subject.pk]},
    )
    subject.refresh_from_db()
    assert subject.anonymized_at is not None
