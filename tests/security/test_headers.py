"""Security headers on every page, and templates that work under the CSP."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.security.tables import all_rows

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def csp_directives(response):
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p.split()[0]: p.split()[1:] for p in parts}


def test_csp_forbids_inline_scripts_plugins_base_and_framing(client):
    csp = csp_directives(client.get(reverse("login")))
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] in (["'self'"], ["'none'"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]


def test_basic_headers_on_every_answer(client, cast):
    client.force_login(cast.board)
    for url in [reverse("login"), reverse("start"), "/finns-inte/", reverse("omrade", args=["X"])]:
        r = client.get(url)
        assert r["X-Content-Type-Options"] == "nosniff", url
        assert r["Referrer-Policy"] == "same-origin", url
        assert r["X-Frame-Options"] == "DENY", url
        assert "Content-Security-Policy" in r, url


def test_authenticated_pages_are_not_stored(client, cast):
    client.force_login(cast.coordinator)
    rows = all_rows()
    for name in ("start", "avdelning", "omrade"):
        kwargs = rows[name].objects(cast).get("own", {})
        r = client.get(reverse(name, kwargs=kwargs))
        assert r.status_code == 200
        assert r["Cache-Control"] == "no-store", name
    # Error pages for a logged-in user too: they may name what was asked for.
    r = client.get(reverse("avdelning", args=[cast.b1.pk]))
    assert r.status_code == 404 and r["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


def assert_security_headers(r, what):
    assert "Content-Security-Policy" in r, what
    assert r["X-Frame-Options"] == "DENY", what
    assert r["X-Content-Type-Options"] == "nosniff", what
    assert r["Cache-Control"] == "no-store", what


def test_redirects_carry_the_security_headers(client, cast, settings):
    # Issue 13 #18: the trailing-slash 301 (CommonMiddleware) and the second factor's 302
    # (SecondFactorMiddleware) were answered above the middleware that adds the headers.
    r = client.get("/logga-in")
    assert r.status_code == 301 and r.url == "/logga-in/"
    assert_security_headers(r, "301 without a login")
    client.force_login(cast.leader)
    r = client.get("/aktiviteter")
    assert r.status_code == 301
    assert_security_headers(r, "301 logged in")
    settings.OTP_REQUIRED = True
    r = client.get(reverse("start"))
    assert r.status_code == 302 and r.url.startswith(reverse("otp_enrol"))
    assert_security_headers(r, "302 to the second factor")


def test_login_page_and_anonymous_redirect_are_not_stored(client):
    for url in (reverse("login"), reverse("start")):
        r = client.get(url)
        assert r["Cache-Control"] == "no-store", url
