"""Playwright journeys in Debian's Chromium, each page checked with axe-core."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

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


_axe = Axe()


def assert_accessible(page):
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}:\n" + "\n".join(bad)


def login(page, username, password):
    page.goto(page.base + "/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    # The answer is a new page either way (the start page, or the form with its message):
    # wait for it, so what the caller looks for next is on the answered page.
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
