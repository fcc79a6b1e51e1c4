"""The second factor: who must have it, enrolment with a QR code, verification at login."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from historik.models import Handelse

pytestmark = pytest.mark.django_db


def code(device, drift=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + drift * device.step
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # After a wrong code django-otp refuses every code for 1, 2, 4 ... seconds; the tests
    # enter a right code straight after a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED = True


def test_wrong_codes_are_throttled_in_production_settings():
    from regionalsamverkan import settings as configured

    assert configured.OTP_TOTP_THROTTLE_FACTOR >= 1


def login(client, user):
    client.force_login(user)
    return client


def test_admin_without_device_is_sent_to_enrolment_and_can_enrol(client, required, admin_user):
    login(client, admin_user)
    for url in (reverse("start"), "/admin/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("otp_enrol")), url
    r = client.get(reverse("otp_enrol"))
    body = r.content.decode()
    assert r.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', body)
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    r = client.post(reverse("otp_enrol"), {"token": "000000" if code(device) != "000000" else "1"})
    assert r.status_code == 200 and "stämmer inte" in r.content.decode()
    r = client.post(reverse("otp_enrol"), {"token": code(device), "next": "/admin/"})
    assert r.status_code == 302 and r.url == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("start")).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert Handelse.objects.filter(note="Tvåstegsverifiering aktiverad").exists()


def test_project_leader_with_device_must_verify_at_login(client, required, cast):
    device = TOTPDevice.objects.create(user=cast.leader, name="app", confirmed=True)
    login(client, cast.leader)
    r = client.get(reverse("avdelning", args=[cast.a1.pk]))
    assert r.status_code == 302 and r.url.startswith(reverse("otp_verify"))
    r = client.post(reverse("otp_verify"), {"token": "12345x"})
    assert "sex siffror" in r.content.decode()
    r = client.post(reverse("otp_verify"), {"token": code(device, drift=5)})
    assert r.status_code == 200 and "stämmer inte" in r.content.decode()
    assert Handelse.objects.filter(action="login_failed", user=cast.leader).exists()
    assert client.get(reverse("start")).status_code == 302
    next_url = reverse("avdelning", args=[cast.a1.pk])
    r = client.post(reverse("otp_verify"), {"token": code(device), "next": next_url})
    assert r.status_code == 302 and r.url == next_url
    assert client.get(next_url).status_code == 200


def test_verify_does_not_redirect_off_site(client, cast):
    device = TOTPDevice.objects.create(user=cast.board, name="app", confirmed=True)
    login(client, cast.board)
    r = client.post(reverse("otp_verify"), {"token": code(device), "next": "https://evil.example"})
    assert r.status_code == 302 and r.url == reverse("start")


def test_department_user_is_not_forced_unless_required_for_all(client, required, settings, cast):
    login(client, cast.board)
    assert client.get(reverse("start")).status_code == 200
    settings.OTP_REQUIRED_FOR_ALL = True
    client = login(type(client)(), cast.board)
    r = client.get(reverse("start"))
    assert r.status_code == 302 and r.url.startswith(reverse("otp_enrol"))


def test_a_voluntary_device_is_asked_for_even_when_not_required(client, cast, settings):
    settings.OTP_REQUIRED = False
    TOTPDevice.objects.create(user=cast.board, name="app", confirmed=True)
    login(client, cast.board)
    r = client.get(reverse("start"))
    assert r.status_code == 302 and r.url.startswith(reverse("otp_verify"))


def test_without_the_requirement_nobody_is_stopped(client, settings, admin_user):
    settings.OTP_REQUIRED = False
    login(client, admin_user)
    assert client.get(reverse("start")).status_code == 200


def test_logout_works_before_the_second_step(client, required, admin_user):
    login(client, admin_user)
    r = client.post(reverse("logout"))
    assert r.status_code == 302 and r.url == reverse("login")


SECRET = re.compile(r'<code class="user-select-all">([A-Z2-7=]+)</code>')


def shown_secret(client):
    r = client.get(reverse("otp_enrol"))
    assert r.status_code == 200
    return SECRET.search(r.content.decode()).group(1)


def test_each_enrolment_gets_its_own_secret(required, admin_user):
    # Issue 13 #4: someone who knows the password opened the page first and saw the secret
    # the real user would later confirm.
    from django.test import Client

    first, second = login(Client(), admin_user), login(Client(), admin_user)
    secret_a = shown_secret(first)
    assert shown_secret(first) == secret_a  # the same session keeps its secret on reload
    secret_b = shown_secret(second)
    assert secret_b != secret_a
    # Starting the second enrolment deleted the first one's device: one left, B's.
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    assert base64.b32encode(device.bin_key).decode() == secret_b


def test_a_secret_from_another_session_cannot_be_confirmed(required, admin_user):
    from django.test import Client

    attacker, owner = login(Client(), admin_user), login(Client(), admin_user)
    shown_secret(attacker)
    planted = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    shown_secret(owner)
    # The attacker's code for the secret they saw is refused, in either session.
    for client in (attacker, owner):
        r = client.post(reverse("otp_enrol"), {"token": code(planted)})
        assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
    r = attacker.post(reverse("otp_enrol"), {"token": code(planted)})
    assert r.status_code == 302 and r.url.startswith(reverse("otp_enrol"))
    # The owner confirms their own; the attacker's secret gives no valid codes.
    mine = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    assert mine.pk != planted.pk
    assert owner.post(reverse("otp_enrol"), {"token": code(mine)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=admin_user)) == [mine]
