"""The access table walked for every URL of the project, every role, both tenants.

A URL name missing from the table fails here, naming it; so does a 2xx that the table
does not allow, and a table line that grants a 2xx access.py would refuse.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from avdelningar.access import scope_for
from tests.helpers import client_for
from tests.security.access_table import ROLES, tenant_object
from tests.security.tables import all_rows
from tests.urlwalk import all_patterns

pytestmark = pytest.mark.django_db

TABLE = all_rows()
URL_NAMES = sorted({name or f"<unnamed {route}>" for route, name, _ in all_patterns()})


def test_the_walk_finds_the_foundation_urls():
    assert {"start", "avdelning", "omrade", "login", "logout"} <= set(URL_NAMES)


@pytest.mark.parametrize("name", URL_NAMES)
def test_every_url_is_in_the_access_table(name):
    assert name in TABLE, (
        f"URL {name!r} is missing from the access table: add a Row for it in "
        f"tests/security/tables/<app>.py (see tests/security/access_table.py)"
    )


def test_the_table_lists_no_url_that_does_not_exist():
    assert set(TABLE) <= set(URL_NAMES), set(TABLE) - set(URL_NAMES)


def _request(client, row, method, kwargs, cast, tenant):
    url = reverse(row.name, kwargs=kwargs)
    if method == "get":
        return client.get(url)
    return client.post(url, row.post_data(cast, tenant))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in URL_NAMES if n in TABLE])
def test_access_matrix(name, method, cast, users):
    row = TABLE[name]
    objects = row.objects(cast)
    wrong = []
    for tenant in row.tenants():
        expected = row.expected(method, tenant)
        for role in ROLES:
            if row.fresh:
                objects = row.objects(cast)
            r = _request(client_for(users[role]), row, method, objects[tenant], cast, tenant)
            if r.status_code != expected[role]:
                wrong.append(f"{method.upper()} {tenant} as {role}: {r.status_code}")
                continue
            if role == "anonymous" and r.status_code == 302:
                assert r["Location"].startswith(reverse(settings.LOGIN_URL)), r["Location"]
    assert not wrong, f"{name}: answers differ from the table: " + "; ".join(wrong)


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n in TABLE and TABLE[n].guard])
def test_table_grants_nothing_access_py_refuses(name, cast, users):
    row = TABLE[name]
    for tenant in row.tenants():
        obj = tenant_object(cast, row.guard, tenant)
        for method in ("get", "post"):
            for role, status in row.expected(method, tenant).items():
                if not 200 <= status < 300 or role == "anonymous":
                    continue
                scope = scope_for(users[role])
                allowed = (
                    scope.can_see_avdelning(obj)
                    if row.guard == "avdelning"
                    else scope.can_see_nuts(obj.pk)
                )
                assert allowed, f"{name} {tenant}: table gives {role} {status}"


STATE_CHANGING = [n for n in URL_NAMES if n in TABLE and TABLE[n].changes_state]
POST_ONLY = [n for n in STATE_CHANGING if TABLE[n].post_only]


def test_state_changing_urls_are_listed():
    assert "logout" in POST_ONLY


def _first_2xx_or_3xx_role(row, tenant):
    for role, status in row.expected("post", tenant).items():
        if role != "anonymous" and status < 400:
            return role
    return "leader"


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_urls_refuse_get(name, cast, users):
    row = TABLE[name]
    objects = row.objects(cast)
    for tenant in row.tenants():
        role = _first_2xx_or_3xx_role(row, tenant)
        r = client_for(users[role]).get(reverse(name, kwargs=objects[tenant]))
        assert r.status_code == 405, (name, tenant, role)


@pytest.mark.parametrize("name", STATE_CHANGING)
def test_state_changing_urls_need_csrf_token(name, cast, users):
    row = TABLE[name]
    objects = row.objects(cast)
    for tenant in row.tenants():
        for role in ("anonymous", _first_2xx_or_3xx_role(row, tenant)):
            client = client_for(users[role], enforce_csrf_checks=True)
            r = client.post(reverse(name, kwargs=objects[tenant]), row.post_data(cast, tenant))
            if role == "anonymous" and r.status_code == 302:
                continue  # LoginRequiredMiddleware answers before the view is reached
            assert r.status_code == 403, (name, tenant, role, r.status_code)
            assert "CSRF" in r.content.decode() or "säkerhetskontroll" in r.content.decode()


def test_a_client_without_a_session_gets_no_2xx_anywhere(cast):
    client = Client()
    for route, name, _ in all_patterns():
        row = TABLE.get(name)
        if row is None:
            continue
        for tenant, kwargs in row.objects(cast).items():
            for method in ("get", "post"):
                status = _request(client, row, method, kwargs, cast, tenant).status_code
                if 200 <= status < 300:
                    assert row.expected(method, tenant)["anonymous"] == status, (name, status)
