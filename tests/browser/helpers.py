"""What a journey does on a page: log in, check the page with axe-core."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page):
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now, and no
    page wider than the screen."""
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
    # Reflow (WCAG 1.4.10): the page is never wider than the screen; wide tables scroll in
    # their own region. The menu once pushed every page 250 px wide at 1280 px.
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: {width[0]} px wide on a {width[1]} px screen"


def login(page, username, password):
    page.goto(page.base + "/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    # The answer is a new page either way (the start page, or the form with its message):
    # wait for it, so what the caller looks for next is on the answered page.
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
