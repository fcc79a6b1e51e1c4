"""Playwright journeys in Debian's Chromium, each page checked with axe-core
(tests/browser/helpers.py)."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def page(page, live_server):
    """The journey's page; at its end, no asset (script, style, image, icon, fetch) may
    have failed to load and the console may show no error, such as a script the CSP
    refused. Pages answered 4xx on purpose are documents, which are left to the journey."""
    page.set_default_timeout(15000)
    page.base = live_server.url
    failed, errors = [], []

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            failed.append(f"{response.status} {response.url}")

    def on_console(message):
        if message.type != "error":
            return
        where = message.location.get("url", "")
        # A failed load is logged with the failed address: the page itself (answered 4xx
        # on purpose) is the journey's business; anything else, such as /favicon.ico,
        # which Playwright's network events do not show, is a missing asset.
        if message.text.startswith("Failed to load resource") and where == page.url:
            return
        errors.append(f"{message.text} ({where})")

    page.on("response", on_response)
    page.on("console", on_console)
    yield page
    assert not failed, f"assets that failed to load: {failed}"
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def demo_data(transactional_db):
    """The demo, seeded without its reports (a journey that needs them seeds its own)."""
    call_command("seed_demo", "--no-reports", stdout=io.StringIO())


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
