"""The project leader records a decision with a link in the decision log; the steering
group reads it and follows the link. In Chromium at 375 px (a phone) and 1280 px, each
page checked with axe and for horizontal scroll."""

import pytest
from playwright.sync_api import expect

from avdelningar import demo
from avdelningar.models import Projektbeslut
from tests.browser.helpers import assert_accessible, login


@pytest.fixture
def organisation(transactional_db):
    """The demo's organisation, its logins and the project's history as decisions."""
    demo.seed()


def fits(page, width):
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        width,
        page.url,
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_leader_records_a_decision_and_the_steering_group_reads_it(page, organisation, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")

    page.goto(page.base + "/beslut/")
    expect(page.get_by_role("heading", name="Beslutslogg")).to_be_visible()
    expect(page.get_by_role("link", name="Sydsverige ingår i projektet från den 1 januari 2020"))
    fits(page, width)

    page.get_by_role("link", name="För in beslut").click()
    expect(page.get_by_role("heading", name="För in beslut")).to_be_visible()
    fits(page, width)
    page.get_by_label("Beslutsdatum").fill("2024-11-20")
    page.get_by_label("Beslutande organ").select_option("styrgrupp")
    page.get_by_label("Slag").select_option("omfattning")
    page.get_by_label("Rubrik").fill("Projektgruppen blir tvärfunktionell")
    page.get_by_label("Protokollsparagraf").fill("§ 6")
    page.get_by_label("Beskrivning").fill("Fler verksamheter knyts till projektgruppen.")
    page.locator("#id_lankar-0-label").fill("Lägesrapporterna")
    # A link that is not a path in the app nor https:// is refused, with the reason.
    page.locator("#id_lankar-0-url").fill("javascript:alert(1)")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("https://-adress").first).to_be_visible()
    assert not Projektbeslut.objects.filter(title="Projektgruppen blir tvärfunktionell").exists()
    fits(page, width)
    page.locator("#id_lankar-0-url").fill("/rapporter/")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Beslutet är sparat i beslutsloggen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Projektgruppen blir tvärfunktionell")).to_be_visible()
    fits(page, width)

    page.context.clear_cookies()
    login(page, "styrgrupp", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/beslut/?ar=2024")
    link = page.get_by_role("link", name="Projektgruppen blir tvärfunktionell")
    expect(link).to_be_visible()
    expect(page.get_by_role("link", name="För in beslut")).to_have_count(0)
    fits(page, width)
    link.click()
    expect(page.get_by_text("Styrgruppen, § 6")).to_be_visible()
    expect(page.get_by_role("link", name="Ändra beslutet")).to_have_count(0)
    fits(page, width)
    page.get_by_role("link", name="Lägesrapporterna").click()
    page.wait_for_url(page.base + "/rapporter/")
