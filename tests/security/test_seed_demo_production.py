"""Issue 13 #16: with DEBUG=false, seed_demo created superuser admin with the password the
README publishes."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_without_debug_or_tests(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="bara med DEBUG=true"):
        call_command("seed_demo", "--no-reports", stdout=io.StringIO())
    assert not User.objects.exists()
