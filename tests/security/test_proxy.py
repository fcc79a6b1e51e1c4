"""Issue 13 #3: behind the TLS proxy every client had the proxy's address, so five wrong
passwords from anyone locked the user out for everyone, and the trail named the proxy."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from historik.models import Handelse
from historik.services import client_ip
from tests import factories as f

pytestmark = pytest.mark.django_db

PROXY = "172.30.0.2"
PASSWORD = "test-password-123"


def via_proxy(client, username, password, client_addr):
    # What nginx in front does: REMOTE_ADDR is the proxy, the client is appended last.
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.77, {client_addr}",
    )


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_attacker_is_locked_while_the_victim_logs_in_from_elsewhere(one_proxy):
    victim = f.UserFactory(username="greta")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(attacker, "greta", "wrong-password-xyz", "203.0.113.9")
    # The attacker's address is locked out, even with the right password...
    assert via_proxy(attacker, "greta", PASSWORD, "203.0.113.9").status_code == 429
    # ...while the victim, through the same proxy from their own address, gets in.
    r = via_proxy(Client(), "greta", PASSWORD, "192.0.2.44")
    assert r.status_code == 302 and r.url == reverse("start")
    login = Handelse.objects.get(action=Handelse.Action.LOGIN, user=victim)
    assert login.ip_address == "192.0.2.44"
    failed = Handelse.objects.filter(action=Handelse.Action.LOGIN_FAILED).first()
    assert failed.ip_address == "203.0.113.9"


def rf_request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_client_address_is_read_right_to_left_by_the_trusted_count(rf, settings):
    chain = "1.1.1.1, 2.2.2.2, 3.3.3.3"
    settings.TRUSTED_PROXY_COUNT = 0
    # Without a proxy configured, the header is the client's own say: ignored.
    assert client_ip(rf_request(rf, "9.9.9.9", chain)) == "9.9.9.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf_request(rf, "9.9.9.9", chain)) == "3.3.3.3"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(rf_request(rf, "9.9.9.9", chain)) == "2.2.2.2"
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_ip(rf_request(rf, "9.9.9.9", chain)) == "1.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf_request(rf, "9.9.9.9")) == "9.9.9.9"
    assert client_ip(rf_request(rf, "9.9.9.9", "not-an-address")) == "9.9.9.9"
    assert client_ip(rf_request(rf, "9.9.9.9", "2001:db8::1")) == "2001:db8::1"


def test_a_forged_header_does_not_move_a_locked_client(one_proxy):
    f.UserFactory(username="greta")
    attacker = Client()
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        # The attacker varies the part of the header they control; the proxy's entry stays.
        attacker.post(
            reverse("login"),
            {"username": "greta", "password": "wrong-password-xyz"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.9",
        )
    assert via_proxy(attacker, "greta", PASSWORD, "203.0.113.9").status_code == 429
