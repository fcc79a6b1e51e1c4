"""Login, lockout, sessions and cookies; every login, logout, failure and refusal logged."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from historik.models import Handelse
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


def login_post(client, username, password=PASSWORD, addr="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr
    )


@pytest.fixture
def user(db):
    return f.UserFactory(username="greta")


def test_login_and_logout_are_recorded(client, user):
    r = login_post(client, "greta")
    assert r.status_code == 302 and r.url == reverse("start")
    row = Handelse.objects.get(action=Handelse.Action.LOGIN)
    assert row.user == user and row.username == "greta" and row.ip_address == "10.0.0.1"
    client.post(reverse("logout"))
    assert Handelse.objects.filter(action=Handelse.Action.LOGOUT, user=user).count() == 1


def test_failed_login_is_recorded_without_the_password(client, user):
    r = login_post(client, "greta", "wrong-password-xyz")
    assert r.status_code == 200
    assert "Fel användarnamn eller lösenord" in r.content.decode()
    row = Handelse.objects.get(action=Handelse.Action.LOGIN_FAILED)
    assert row.object_repr == "greta" and row.user is None
    assert "wrong-password" not in str(row.changes) + row.note


def test_lockout_after_the_failure_limit_keyed_on_username_and_address(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        login_post(client, "greta", "wrong-password-xyz")
    # Now even the right password is refused, with the Swedish lockout page.
    r = login_post(client, "greta")
    assert r.status_code == 429
    assert "tillfälligt spärrad" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address, or another username from the same address, is not locked.
    assert login_post(Client(), "greta", addr="10.0.0.2").status_code == 302
    f.UserFactory(username="nils")
    assert login_post(Client(), "nils").status_code == 302


def test_lockout_ends_after_the_cool_off(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_post(client, "greta", "wrong-password-xyz")
    assert login_post(client, "greta").status_code == 429
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - datetime.timedelta(1))
    assert login_post(client, "greta").status_code == 302


def test_lockout_settings_are_sane():
    assert 3 <= settings.AXES_FAILURE_LIMIT <= 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_COOLOFF_TIME > 0


def test_refused_access_is_recorded(client, cast):
    client.force_login(cast.board)
    assert client.get(reverse("avdelning", args=[cast.b1.pk])).status_code == 404
    row = Handelse.objects.get(action=Handelse.Action.DENIED)
    assert row.user == cast.board
    assert row.note.startswith("404 GET") and str(cast.b1.pk) in row.object_repr


def test_absolute_session_lifetime(client, user):
    login_post(client, "greta")
    assert client.get(reverse("start")).status_code == 200
    session = client.session
    session["login_started_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    r = client.get(reverse("start"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert client.get(reverse("start")).status_code == 302
    assert Handelse.objects.filter(action=Handelse.Action.LOGOUT, user=user).exists()


def test_session_expires_after_inactivity_and_activity_extends_it(client, user):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 4
    assert settings.SESSION_ABSOLUTE_SECONDS <= 60 * 60 * 12
    login_post(client, "greta")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(1 / 24))
    client.get(reverse("start"))
    # The request pushed the expiry to a full idle period from now.
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Idle beyond the limit: the session is gone.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(1))
    r = client.get(reverse("start"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_activity_refreshes_the_idle_timeout_at_most_once_a_minute(client, user):
    login_post(client, "greta")
    client.get(reverse("start"))
    key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get(reverse("start"))
    # Within the minute: no write, the expiry stays.
    assert Session.objects.get(pk=key).expire_date == soon
    session = client.session
    session["seen_at"] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get(reverse("start"))
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, user):
    r = client.get(reverse("login"))
    csrf = r.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    r = login_post(client, "greta")
    session = r.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == settings.SESSION_COOKIE_AGE


def test_login_rotates_the_session_key(client, user):
    client.get(reverse("login"))
    session = client.session
    session["x"] = 1
    session.save()
    before = session.session_key
    login_post(client, "greta")
    assert client.session.session_key != before


def test_password_validators_are_on():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names
