"""The steering group's decision in Chromium on the demo data (issue 15 §6): a member sends
a version back with a comment, the project leader sees it and compiles a new one, and the
member approves that. Every page passes axe and has no horizontal scroll at 375 px."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from avdelningar import demo
from rapporter import services
from rapporter.models import Beslut, Rapportversion
from tests.browser.helpers import assert_accessible, login

COMMENT = "Kostnadsavsnittet behöver förklaras; komplettera den samlade bedömningen."


@pytest.fixture
def version(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="projektledare")
    v = services.rapport_request(
        year=2024, edition=Rapportversion.Edition.STYRGRUPP, user=leader, enqueue=False
    )
    return services.rapport_compile(version_id=v.pk)


def logout(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/logga-in/"))


def fits_a_phone(page):
    """Accessible, and no horizontal scroll at 375 px (then back to the desktop width)."""
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    assert_accessible(page)
    page.set_viewport_size(size)


def test_sent_back_replaced_and_approved(page, version):
    url = page.base + version.get_absolute_url()

    # A steering-group member sends version 1 back; without a comment the form says why.
    login(page, "styrgrupp", demo.DEMO_PASSWORD)
    page.goto(url)
    fits_a_phone(page)
    expect(page.get_by_label("Mötets datum")).not_to_have_value("")
    page.get_by_label("Paragraf i protokollet").fill("5")
    page.get_by_role("button", name="Skicka tillbaka version 1").click()
    expect(page.get_by_text("Skriv styrgruppens kommentar")).to_be_visible()
    assert_accessible(page)
    assert not Beslut.objects.filter(version=version).exists()
    page.get_by_label("Kommentar").fill(COMMENT)
    page.get_by_role("button", name="Skicka tillbaka version 1").click()
    expect(page.get_by_text("är skickad tillbaka till projektledaren")).to_be_visible()
    expect(page.get_by_text(COMMENT).first).to_be_visible()
    fits_a_phone(page)
    logout(page)

    # The project leader sees it on the version and compiles a new one of the same report.
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.goto(url)
    expect(page.get_by_text("Skickad tillbaka", exact=False).first).to_be_visible()
    expect(page.locator("#tillbaka")).to_contain_text(COMMENT)
    expect(page.locator("#tillbaka")).to_contain_text("§ 5")
    fits_a_phone(page)
    page.get_by_role("link", name="Sammanställ en ny version").click()
    expect(page.get_by_label("Utgåva")).to_have_value("styrgrupp")
    expect(page.locator("#id_year")).to_have_value("2024")
    assert_accessible(page)
    # The year's gaps are listed above the button (test_rapport_compile_journey.py walks
    # that); compiling with them takes the confirmation.
    page.get_by_label("Sammanställ ändå").check()
    # In tests the compile runs inside the request: the whole report with its PDF (and the
    # comparison's 22 charts since issue 16) takes a while on a loaded machine.
    page.get_by_role("button", name="Sammanställ", exact=True).click(timeout=180_000)
    page.wait_for_url(re.compile(r"/rapporter/\d+/$"), timeout=180_000)
    page.get_by_text("Klar", exact=True).wait_for(timeout=60_000)
    second = page.url
    assert second != url
    fits_a_phone(page)
    logout(page)

    # The member approves version 2; the report lists both decisions.
    login(page, "styrgrupp", demo.DEMO_PASSWORD)
    page.goto(second)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Godkänn version 2").click(timeout=180_000)  # re-renders
    expect(page.get_by_text("är godkänd och låst")).to_be_visible(timeout=180_000)
    decisions = page.locator("#beslut")
    expect(decisions).to_contain_text("Skickad tillbaka")
    expect(decisions).to_contain_text(COMMENT)
    expect(decisions).to_contain_text("Godkänd")
    fits_a_phone(page)
    # Version 1 stays sent back: no decision form there any more.
    page.goto(url)
    expect(page.get_by_role("button", name="Godkänn version 1")).to_have_count(0)
    assert Rapportversion.objects.get(
        number=2, year=2024, nuts_omrade=None, edition="styrgrupp"
    ).is_approved
