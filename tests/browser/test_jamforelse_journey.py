"""The project leader compares the pilot departments with the others on the demo, on a
phone (375 px wide) and on a desktop (1280 px), in Chromium, each page checked with axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avdelningar import demo
from nyckeltal import demo as nyckeltal_demo
from tests.browser.helpers import assert_accessible, login

YEAR = timezone.localdate().year


@pytest.fixture
def union(transactional_db):
    """The demo's organisation and key figures, without the commitments and activities."""
    demo.seed()
    nyckeltal_demo.seed()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_project_leader_compares_pilot_and_others(page, union, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")

    page.goto(f"{page.base}/nyckeltal/jamforelse/")
    expect(
        page.get_by_role("heading", name="Jämförelse: avdelningar i projektet och övriga")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Aktiva medlemmar 1 januari, 2019–{YEAR}")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "img", name=f"Aktiva medlemmar 1 januari, medel per avdelning, 2019–{YEAR}"
        )
    ).to_be_visible()
    expect(page.get_by_text("Jämförelsen visar skillnaden, inte orsaken.").first).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Another figure and span, through the form.
    page.get_by_label("Nyckeltal", exact=True).select_option(label="Förändringsledare")
    page.get_by_label("Från år").fill("2020")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.get_by_role("heading", name=f"Förändringsledare, 2020–{YEAR}")).to_be_visible()
    expect(page.get_by_role("table", name="Skillnad i skillnader per pilotområde")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Junk in the address: a message and the defaults, never an error page.
    page.goto(f"{page.base}/nyckeltal/jamforelse/?year_from=abc&figure=x")
    expect(page.get_by_role("alert")).to_contain_text("standardurvalet visas")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == f"jamforelse-members-2019-{YEAR}.csv"
