from collections import defaultdict

from playwright.sync_api import expect

from avdelningar import demo
from tests.browser.helpers import assert_accessible, login
from tests.urlwalk import all_patterns, sample_path


def test_coordinator_logs_in_and_sees_the_start_page(page, demo_data):
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    expect(page.get_by_role("heading", name="Välkommen, Sara Samordnare")).to_be_visible()
    expect(page.get_by_role("link", name="IF Metall Gotland")).to_be_visible()
    # Not the other area's departments.
    assert page.get_by_text("IF Metall Blekinge").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="IF Metall Gotland").click()
    expect(page.get_by_role("heading", name="IF Metall Gotland")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_a_swedish_message(page, demo_data):
    login(page, "samordnare-smaland", "fel-lösenord")
    expect(page.get_by_text("Fel användarnamn eller lösenord")).to_be_visible()
    assert_accessible(page)


def test_anonymous_visitor_is_sent_to_login_from_every_page(page, demo_data):
    values = {"pk": 1, "code": "SE21", "year": 2024}
    routes = [r for r, name, _ in all_patterns() if name not in ("login",)]
    assert routes, "no URL patterns found"
    for route in routes:
        url = sample_path(route, defaultdict(lambda: 1, values))
        page.goto(page.base + url)
        assert "/logga-in/" in page.url, url
    assert_accessible(page)
