import pytest
from django.test import Client

from tests.security.access_table import ROLES


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-1")


@pytest.fixture
def users(cast, admin_user):
    found = {role: getattr(cast, role, None) for role in ROLES}
    found["anonymous"] = None
    found["admin"] = admin_user
    return found


def client_for(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
