"""The annual report in Chromium on the demo data: narrative, compile, progress, the
front page on a phone and a wide screen, PDF, approval by the steering group, and what the
national board sees."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from avdelningar import demo
from rapporter.models import Rapportversion
from tests.browser.helpers import assert_accessible, login

NARRATIVE = "Projektet har nått sina viktigaste mål under 2024."


@pytest.fixture
def demo_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


def logout(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/logga-in/"))


def test_report_journey(page, demo_data, tmp_path):
    # The project leader writes the overall assessment.
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.get_by_role("link", name="Rapporter", exact=True).click()
    assert_accessible(page)
    page.goto(page.base + "/rapporter/berattelse/2024/")
    assert_accessible(page)
    page.get_by_label("Text: Samlad bedömning (projektledaren)").fill(NARRATIVE)
    page.get_by_role("button", name="Spara").first.click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()
    assert_accessible(page)

    # The cost allocation page.
    page.goto(page.base + "/rapporter/kostnad/2024/")
    expect(page.get_by_role("heading", name="Kostnadsfördelning 2024")).to_be_visible()
    assert_accessible(page)

    # Compiling returns at once with a progress page (tasks run in-process in tests, so
    # the version is already done when the page shows).
    page.goto(page.base + "/rapporter/?ar=2024")
    page.get_by_label("Utgåva").select_option("styrgrupp")
    page.get_by_label("Sammanställ ändå").check()  # the demo's 2024 has drafts
    # The compilation runs in the request here (no worker in tests): the full edition's
    # PDF, with the comparison's charts, takes a while on a busy machine.
    page.get_by_role("button", name="Sammanställ").click(timeout=180_000)
    page.wait_for_url(re.compile(r"/rapporter/\d+/$"), timeout=180_000)
    expect(page.get_by_text("Status:")).to_be_visible()
    page.get_by_text("Klar", exact=True).wait_for()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()
    assert_accessible(page)
    version_url = page.url

    # The front page on a phone: the charts scale to the screen, nothing scrolls sideways,
    # and each chart's "Tabell:" link leads to its table in the appendix.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.get_by_role("heading", name="Verksamhetsmålen 2024")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("^Åtaganden per verksamhetsmål 2024"))
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Tabell: Åtaganden per verksamhetsmål")).click()
    expect(page.locator("#diagram-mal-tabell")).to_be_in_viewport()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_accessible(page)

    # The comparison with the departments outside the pilot and the national activities
    # apart (issue 16), on a phone and a wide screen: the charts fit, the tables scroll in
    # their own region, and each chart's "Tabell:" link leads to its rows.
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        heading = page.get_by_role(
            "heading", name=re.compile(r"^Bilaga \d+\. Jämförelse med avdelningarna utanför")
        )
        heading.scroll_into_view_if_needed()
        expect(heading).to_be_visible()
        chart = page.get_by_role(
            "img", name=re.compile("^Arbetare i kompetensutveckling, kvinnor, medel per avdelning")
        )
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] <= width
        national = page.get_by_role("heading", name="Nationella och tvärgående aktiviteter")
        national.scroll_into_view_if_needed()
        expect(national).to_be_visible()
        expect(page.get_by_role("table", name="Årets nationella aktiviteter")).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert_accessible(page)
    page.get_by_role(
        "link", name=re.compile("^Tabell: Arbetare i kompetensutveckling, kvinnor: förändringen")
    ).click()
    expect(page.locator("#diagram-jamforelse-did-skills_women-tabell")).to_be_in_viewport()

    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    pdf = tmp_path / "rapport.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    assert NARRATIVE in text.stdout.decode().replace("\n", " ")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)  # PDF/UA: a screen reader reads it
    logout(page)

    # The national board does not see the unapproved version, even by URL.
    login(page, "forbundsstyrelse", demo.DEMO_PASSWORD)
    page.goto(page.base + "/rapporter/?ar=2024")
    expect(page.get_by_text("Inga rapporter för 2024 är godkända ännu")).to_be_visible()
    assert_accessible(page)
    response = page.goto(version_url)
    assert response.status == 404
    logout(page)

    # A steering-group member approves it.
    login(page, "styrgrupp", demo.DEMO_PASSWORD)
    page.goto(version_url)
    assert_accessible(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Godkänn version 1").click(timeout=180_000)  # re-renders
    expect(page.get_by_text("är godkänd och låst")).to_be_visible(timeout=180_000)
    assert_accessible(page)
    logout(page)

    # Now the national board sees it, and only it.
    login(page, "forbundsstyrelse", demo.DEMO_PASSWORD)
    page.goto(page.base + "/rapporter/?ar=2024")
    links = page.get_by_role("link", name=re.compile("Lägesrapport 2024"))
    assert links.count() == 1
    links.click()
    expect(page.get_by_text("Godkänd av styrgruppen").first).to_be_visible()
    assert_accessible(page)
    assert Rapportversion.objects.get(year=2024).is_approved
    # The demo's approved 2023 report is there for the national board too.
    page.goto(page.base + "/rapporter/?ar=2023")
    expect(page.get_by_role("link", name=re.compile("Lägesrapport 2023"))).to_be_visible()
    assert_accessible(page)
