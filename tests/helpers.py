"""Helpers shared by test modules of more than one app (fixtures live in conftest.py,
rows in tests/factories.py, an app's own builders in tests/<app>/helpers.py, the
Hypothesis strategies in tests/fuzz.py). Test modules import from here, never from each
other or from a conftest."""

import html.parser
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def client_for(user, **kwargs):
    """A client logged in as user (None: anonymous)."""
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def management(prefix, total, initial=0):
    """A formset's management form: total forms, of which initial are existing rows."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class _Form(html.parser.HTMLParser):
    """The values a browser would submit from the page's main (admin) form."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "_form" in (a.get("id") or ""):
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value", "")))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = name
            self.data.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data.lstrip("\n") if not value else value + data)


def page_data(response):
    """The admin page's form as a browser would post it back: {name: [values]}."""
    parser = _Form()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


# --- real services ------------------------------------------------------------------------


def service_available(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def require_service(name, ok):
    """Skip when a real service is missing, unless CI demands it (then fail)."""
    if ok:
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (REQUIRE_SERVICES) but not available")
    pytest.skip(f"{name} not available; set up PostgreSQL/Redis or run in CI")


# --- manage.py as production starts it ------------------------------------------------------

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-check-" + "y" * 20,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "regionalsamverkan.example.org",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
    "TESTING": "false",
}


def run_manage(*args, env):
    """manage.py in a process of its own, with env instead of the test run's settings."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    base.pop("TESTING", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
