import io

import pytest
from django.core.management import call_command
from django.urls import get_resolver

from avdelningar import demo
from tests.browser.conftest import assert_accessible, login


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_coordinator_logs_in_and_sees_the_start_page(page, demo_data):
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    assert page.get_by_role("heading", name="Välkommen, Sara Samordnare").is_visible()
    assert page.get_by_role("link", name="IF Metall Gotland").is_visible()
    # Not the other area's departments.
    assert page.get_by_text("IF Metall Blekinge").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="IF Metall Gotland").click()
    assert page.get_by_role("heading", name="IF Metall Gotland").is_visible()
    assert_accessible(page)


def test_wrong_password_shows_a_swedish_message(page, demo_data):
    login(page, "samordnare-smaland", "fel-lösenord")
    assert page.get_by_text("Fel användarnamn eller lösenord").is_visible()
    assert_accessible(page)


def _plain_urls():
    """Every named page without arguments, plus one of each kind with arguments."""
    urls = ["/", "/omrade/SE21/", "/avdelning/1/"]
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern)
        if "<" not in route and not route.startswith(("admin", "logga-")) and route:
            urls.append("/" + route.lstrip("^").rstrip("$"))
    return urls


def test_anonymous_visitor_is_sent_to_login_from_every_page(page, demo_data):
    for url in _plain_urls():
        page.goto(page.base + url)
        assert "/logga-in/" in page.url, url
