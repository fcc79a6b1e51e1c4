"""A board member enters the year's key figures on a phone (375 px wide), in Chromium, each
page checked with axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avdelningar import demo
from avdelningar.models import Avdelning
from nyckeltal import demo as nyckeltal_demo
from nyckeltal.models import Nyckeltal
from tests.browser.helpers import assert_accessible, login

YEAR = timezone.localdate().year


@pytest.fixture
def union(transactional_db):
    """The demo's organisation and key figures, without the commitments and activities."""
    demo.seed()
    nyckeltal_demo.seed()


def test_a_board_member_enters_this_years_figures_on_a_phone(page, union):
    gotland = Avdelning.objects.get(name="IF Metall Gotland")
    Nyckeltal.objects.filter(avdelning=gotland, year=YEAR).delete()
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, "styrelse-gotland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")

    page.goto(f"{page.base}/avdelning/{gotland.pk}/")
    page.get_by_role("link", name="Avdelningens nyckeltal per år").click()
    expect(page.get_by_role("heading", name="Nyckeltal: IF Metall Gotland")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=str(YEAR), exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Nyckeltal {YEAR}: IF Metall Gotland")).to_be_visible()
    # This year's workplaces come from the register: shown, not asked for.
    expect(page.get_by_label("Arbetsplatser", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Ur registret")).to_be_visible()
    assert_accessible(page)

    # A number that cannot be right is refused with a reason, next to its field.
    page.get_by_label("Arbetare i kompetensutveckling, kvinnor").fill("-4")
    page.get_by_role("button", name="Spara nyckeltalen").click()
    expect(page.get_by_text("Antalet kan inte vara negativt.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Arbetsplatser där förändringsarbete har startat").fill("2")
    page.get_by_label("Arbetare i kompetensutveckling, kvinnor").fill("14")
    page.get_by_label("Arbetare i kompetensutveckling, män").fill("31")
    page.get_by_role("button", name="Spara nyckeltalen").click()
    expect(page.get_by_text(f"Nyckeltalen för {YEAR} är sparade.")).to_be_visible()
    expect(page.get_by_text("Arbetare i kompetensutveckling, män – → 31")).to_be_visible()
    assert_accessible(page)
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    saved = Nyckeltal.objects.get(avdelning=gotland, year=YEAR)
    assert (saved.workplaces_change_started, saved.skills_women, saved.skills_men) == (2, 14, 31)
    assert saved.workplaces == gotland.arbetsplatser.count()
