"""A questionnaire from start to finish, in Chromium, each page checked with axe: the project
leader builds and sends it (at 375 and 1280 px), a board member answers on a phone (saves a
draft, is refused submitting without a required answer, submits), and the project leader
reads the results with their chart."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avdelningar import demo
from enkater.models import Enkat, Svar
from tests.browser.helpers import assert_accessible, login

TODAY = timezone.localdate()
TITLE = "Inför analysmötet i mars"


@pytest.fixture
def union(transactional_db):
    """The demo's organisation, without commitments, activities or questionnaires."""
    demo.seed()


def as_user(page, username):
    page.context.clear_cookies()
    login(page, username, demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")


def narrow_enough(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [375, 1280])
def test_build_send_answer_and_read_the_results(page, union, width):
    page.set_viewport_size({"width": width, "height": 800})
    as_user(page, "projektledare")

    # Build: title and deadline, a section, two questions.
    page.goto(f"{page.base}/enkater/")
    assert_accessible(page)
    page.get_by_role("link", name="Ny enkät").click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Sista dag").fill((TODAY + datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Inledning").fill("Styrelsen svarar tillsammans.")
    assert_accessible(page)
    page.get_by_role("button", name="Skapa enkäten").click()
    expect(page.get_by_text("Enkäten är skapad.")).to_be_visible()
    page.get_by_label("Rubrik").fill("Läget")
    page.get_by_role("button", name="Spara avsnitten").click()
    expect(page.get_by_text("Ändringarna är sparade.")).to_be_visible()
    assert_accessible(page)
    narrow_enough(page, width)
    page.get_by_role("link", name="Frågorna i avsnittet (0)").click()
    page.locator("[name=fragor-0-text]").fill("Hur väl har ni kommit igång?")
    page.locator("[name=fragor-0-help_text]").fill("1 = inte alls, 5 = fullt ut.")
    page.locator("[name=fragor-0-kind]").select_option("scale")
    page.get_by_role("button", name="Spara frågorna").click()
    expect(page.get_by_text("Ändringarna är sparade.")).to_be_visible()
    page.locator("[name=fragor-1-text]").fill("Vilka lärdomar har ni dragit?")
    page.locator("[name=fragor-1-kind]").select_option("text")
    page.locator("[name=fragor-1-order]").fill("2")
    page.get_by_role("button", name="Spara frågorna").click()
    expect(page.get_by_text("Ändringarna är sparade.")).to_be_visible()
    assert_accessible(page)
    narrow_enough(page, width)

    # Send to one board.
    page.get_by_role("link", name="3. Skicka").click()
    page.get_by_label("IF Metall Gotland", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka enkäten").click()
    expect(page.get_by_text("Enkäten är utskickad till 1 mottagare.")).to_be_visible()
    assert_accessible(page)
    enkat = Enkat.objects.get(title=TITLE)
    assert enkat.is_sent

    # The board member answers on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    as_user(page, "styrelse-gotland")
    page.goto(f"{page.base}/enkater/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(
        page.get_by_text("Styrelsen svarar tillsammans: ett svar för avdelningen.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
    expect(page.get_by_label("3", exact=True)).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka in svaret").click()
    expect(page.get_by_text("Detta fält måste fyllas i.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Vilka lärdomar har ni dragit? (obligatorisk)").fill(
        "Grannavdelningarna i länet är värda att träffa oftare."
    )
    page.get_by_role("button", name="Skicka in svaret").click()
    expect(page.get_by_text("Svaret är inskickat.")).to_be_visible()
    assert_accessible(page)
    narrow_enough(page, 375)
    assert enkat.svar.get().status == Svar.Status.SUBMITTED

    # The project leader reads the results.
    page.set_viewport_size({"width": width, "height": 800})
    as_user(page, "projektledare")
    page.goto(f"{page.base}{enkat.get_absolute_url()}")
    page.get_by_role("link", name="Resultat, alla områden").click()
    expect(page.get_by_role("heading", name=f"Resultat: {TITLE}")).to_be_visible()
    expect(page.get_by_role("img", name="Hur väl har ni kommit igång?")).to_be_visible()
    expect(page.get_by_text("1 av 1 mottagare har skickat in")).to_be_visible()
    expect(page.get_by_text("Grannavdelningarna i länet")).to_be_visible()
    assert_accessible(page)
    narrow_enough(page, width)
