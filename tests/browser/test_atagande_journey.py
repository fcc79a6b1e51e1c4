"""The commitment workflow end to end, in Chromium on the demo data."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from avdelningar import demo
from avdelningar.models import Avdelning
from mal.models import Atagande, Uppfoljningsperiod
from tests.browser.helpers import assert_accessible, login

YEAR = datetime.date.today().year


@pytest.fixture
def demo_data(demo_data):
    # This year's mid-year period is still open.
    Uppfoljningsperiod.ensure_year(YEAR)
    Uppfoljningsperiod.objects.filter(year=YEAR, kind="halvar").update(
        closes_on=datetime.date.today() + datetime.timedelta(days=30)
    )


def as_user(page, username):
    page.context.clear_cookies()
    login(page, username, demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")


def fill_commitment(page, *, goal, title, target):
    page.get_by_label("Verksamhetsmål").select_option(label=goal)
    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Vad vi ska göra").fill("Besök på arbetsplatserna och en utbildningsdag.")
    page.get_by_label("Resurser, kronor").fill("20000")
    page.locator("#id_malvarden-0-name").fill("Medlemmar i kompetensutveckling")
    page.locator("#id_malvarden-0-unit").fill("personer")
    page.locator("#id_malvarden-0-target").fill(str(target))
    page.locator("#id_malvarden-0-target_women").fill(str(target // 2))
    page.locator("#id_malvarden-0-target_men").fill(str(target - target // 2))


def test_commitment_journey(page, demo_data):
    gotland = Avdelning.objects.get(name="IF Metall Gotland")
    year_url = f"{page.base}/mal/avdelning/{gotland.pk}/{YEAR}/"

    # The board member writes two commitments and submits them.
    as_user(page, "styrelse-gotland")
    page.goto(year_url)
    assert_accessible(page)
    # The demo runs up to today: this year's own commitments are there, some submitted.
    submitted = page.get_by_text("Inskickat").count()
    for goal, title, target in [
        ("2 Kompetenssprång för industriarbetare", "Kompetenslyft på Gotland", 20),
        ("5 Utveckling på arbetsplatsen", "Hållbart arbete i verkstaden", 4),
    ]:
        page.get_by_role("link", name="Nytt åtagande").click()
        assert_accessible(page)
        fill_commitment(page, goal=goal, title=title, target=target)
        if target == 20:
            # A second target on the same page, without saving first.
            page.get_by_role("button", name="Lägg till målvärde").click()
            expect(page.get_by_text("Målvärde 2", exact=True)).to_be_visible()
            page.locator("#id_malvarden-1-name").fill("Utbildningsdagar")
            page.locator("#id_malvarden-1-unit").fill("dagar")
            page.locator("#id_malvarden-1-target").fill("2")
            assert_accessible(page)
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url(re.compile(r"/mal/atagande/\d+/$"))
        expect(page.get_by_text("Åtagandet är sparat.")).to_be_visible()
        if target == 20:
            expect(page.get_by_text("Utbildningsdagar").first).to_be_visible()
            expect(page.get_by_text("Medlemmar i kompetensutveckling").first).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Skicka in för granskning").click()
        expect(page.get_by_text("Åtagandet är inskickat för granskning.")).to_be_visible()
        page.goto(year_url)
    assert page.get_by_text("Inskickat").count() == submitted + 2

    # The coordinator approves one and returns the other with a comment.
    as_user(page, "samordnare-smaland")
    page.goto(page.base + "/mal/granskning/")
    assert_accessible(page)
    page.get_by_role("link", name="Kompetenslyft på Gotland").click()
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_text("Åtagandet är godkänt.")).to_be_visible()
    page.goto(page.base + "/mal/granskning/")
    page.get_by_role("link", name="Hållbart arbete i verkstaden").click()
    page.get_by_label("Kommentar till avdelningen").fill("Ange hur många arbetsplatser ni når.")
    page.get_by_role("button", name="Återsänd").click()
    expect(page.get_by_text("Åtagandet är återsänt.")).to_be_visible()
    assert_accessible(page)

    # The board member sees the comment, fixes and resubmits.
    as_user(page, "styrelse-gotland")
    page.goto(year_url)
    page.get_by_role("link", name="Hållbart arbete i verkstaden").click()
    expect(page.get_by_text("Ange hur många arbetsplatser ni når.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ändra").click()
    page.locator("#id_malvarden-1-name").fill("Arbetsplatser som startat förändringsarbete")
    page.locator("#id_malvarden-1-unit").fill("arbetsplatser")
    page.locator("#id_malvarden-1-target").fill("3")
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Åtagandet är sparat.")).to_be_visible()
    page.get_by_role("button", name="Skicka in för granskning").click()
    expect(page.get_by_text("Åtagandet är inskickat för granskning.")).to_be_visible()
    assert Atagande.objects.get(title="Hållbart arbete i verkstaden").status == "submitted"

    # Approved after the fix.
    as_user(page, "samordnare-smaland")
    page.goto(page.base + "/mal/granskning/")
    page.get_by_role("link", name="Hållbart arbete i verkstaden").click()
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_text("Åtagandet är godkänt.")).to_be_visible()

    # The board member follows up mid-year.
    as_user(page, "styrelse-gotland")
    page.goto(year_url)
    page.get_by_role("link", name="Kompetenslyft på Gotland").click()
    page.get_by_role("link", name="Följ upp halvår").click()
    assert_accessible(page)
    page.get_by_label("Läge").select_option(label="Enligt plan")
    page.get_by_label(re.compile("Medlemmar i kompetensutveckling – utfall")).fill("13")
    page.get_by_label(re.compile("varav kvinnor")).fill("7")
    page.get_by_label(re.compile("varav män")).fill("6")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_text("Uppföljningen för Halvår")).to_be_visible()
    assert_accessible(page)

    # The project leader sees the numbers in the national target-against-actual table.
    as_user(page, "projektledare")
    page.goto(f"{page.base}/mal/nationellt/{YEAR}/")
    assert_accessible(page)
    page.get_by_role("link", name="Målvärden och utfall per indikator över åren").click()
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("Medlemmar i kompetensutveckling"))
    header = [h.strip() for h in page.locator("#indikatortabell thead th").all_inner_texts()]
    cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
    values = dict(zip(header, cells, strict=True))
    # Both commitments have a target on this indicator: 20 + 4.
    assert values[f"{YEAR} mål"].startswith("24")
    assert values[f"{YEAR} halvår"].startswith("13")
