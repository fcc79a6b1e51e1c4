"""The SE21 network map on the demo, on a phone (375 px) and a desktop (1280 px): the
coordinator sees the demo's actors, forums and projects, a stale relation shows as stale, the
table works by keyboard, and axe finds no serious or critical violation. The steering group
sees the map without contact persons; a board member has no map."""

import pytest
from playwright.sync_api import expect

from avdelningar import demo
from tests.browser.helpers import assert_accessible, login


def as_user(page, username):
    page.context.clear_cookies()
    login(page, username, demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_coordinator_reads_the_se21_map(page, demo_data, width):
    page.set_viewport_size({"width": width, "height": 800})
    as_user(page, "samordnare-smaland")
    page.goto(page.base + "/natverk/")
    page.wait_for_url(page.base + "/natverk/SE21/")
    expect(
        page.get_by_role("heading", name="Nätverkskartan: SE21 Småland med öarna")
    ).to_be_visible()
    # The map is drawn (Cytoscape from the JSON URL) and named for screen readers.
    box = page.get_by_role("img", name="Nätverkskarta över Småland med öarna")
    expect(box).to_have_attribute("data-ready", "1")
    assert page.locator("#natverkskarta canvas").count() >= 1
    table = page.get_by_role("table", name="Kartan som tabell")
    # The demo's actors, forums and projects, and its contact persons (the coordinator's).
    expect(table.get_by_role("link", name="Region Jönköpings län", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name="Framtidssäkrad industri")).to_be_visible()
    expect(table.get_by_role("link", name="Industrirådet Jönköpings län")).to_be_visible()
    expect(table.get_by_role("link", name="Anna Lindqvist (exempel)")).to_be_visible()
    # A stale relation shows as stale: Region Kalmar län's contact, 300 days ago.
    erik = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Erik Nyström (exempel)")
    )
    expect(erik.get_by_role("cell").nth(1)).to_contain_text("inaktuell")
    assert table.get_by_text("inaktuell").count() > 1
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # By keyboard: into the table's scroll region, then along its links; Enter opens one.
    region = page.get_by_role("region", name="Nätverkskartan som tabell")
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('table') !== null")
    assert focused
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + href)
    assert_accessible(page)

    # A filter: the municipalities only.
    page.goto(page.base + "/natverk/SE21/")
    page.get_by_label("Typ av aktör").select_option(label="Kommun")
    page.get_by_role("button", name="Visa", exact=True).click()
    table = page.get_by_role("table", name="Kartan som tabell")
    expect(table.get_by_role("link", name="Växjö kommun")).to_be_visible()
    expect(table.get_by_role("link", name="Region Jönköpings län", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_steering_group_sees_no_contact_persons_and_a_board_member_no_map(page, demo_data):
    page.set_viewport_size({"width": 1280, "height": 800})
    as_user(page, "styrgrupp")
    page.goto(page.base + "/natverk/SE21/")
    table = page.get_by_role("table", name="Kartan som tabell")
    expect(table.get_by_role("link", name="Region Jönköpings län", exact=True)).to_be_visible()
    expect(page.get_by_text("Anna Lindqvist (exempel)")).to_have_count(0)
    assert_accessible(page)
    as_user(page, "styrelse-gotland")
    response = page.goto(page.base + "/natverk/SE21/")
    assert response.status == 404
