"""A candidate area assessed and decided, on a phone (375 px) and a desktop (1280 px):
the project leader completes the assessment of Norra Mellansverige (the demo's second
candidate) and proposes it; the steering group recommends it. Every page checked with axe
and for horizontal scroll."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avdelningar import demo
from tests.browser.helpers import assert_accessible, login
from utveckling import demo as utveckling_demo

TODAY = timezone.localdate()
YEAR = TODAY.year + 1


@pytest.fixture
def candidates(transactional_db):
    demo.seed()
    utveckling_demo.seed(TODAY)


def check(page, width):
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [375, 1280])
def test_leader_assesses_and_proposes_steering_group_decides(page, candidates, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")

    page.goto(f"{page.base}/utveckling/")
    expect(page.get_by_role("heading", name="Nya områden: kandidater")).to_be_visible()
    check(page, width)
    page.get_by_role("link", name="SE31 Norra Mellansverige").click()
    expect(
        page.get_by_role("heading", name=f"SE31 Norra Mellansverige: kandidat från {YEAR}")
    ).to_be_visible()
    check(page, width)

    # Proposing before every criterion is scored is refused, with the reason.
    page.get_by_label("Förslag till styrgruppen").fill("Norra Mellansverige föreslås.")
    page.get_by_role("button", name="Lämna förslaget till styrgruppen").click()
    expect(page.get_by_text("Bedöm först alla kriterier").first).to_be_visible()
    check(page, width)

    page.get_by_role("link", name="Ändra bedömningen").click()
    check(page, width)
    page.get_by_label("Förutsättningar och vilja till en kort startsträcka").fill(
        "Två av fyra styrelser vill starta; de andra två tar ställning i vår."
    )
    page.get_by_label("Stöd för projektets och förbundets syften").fill(
        "Basindustrins omställning gör området till ett bra prov på modellen."
    )
    for criterion in (
        "Tidigare samarbete mellan avdelningarna",
        "En samordnare som avdelningarna är överens om",
        "Resurser som avdelningarna avsätter",
    ):
        page.get_by_label(f"{criterion}: poäng").select_option("3")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_text("Bedömningen är sparad.")).to_be_visible()
    check(page, width)

    page.get_by_label("Förslag till styrgruppen").fill("Norra Mellansverige föreslås.")
    page.get_by_role("button", name="Lämna förslaget till styrgruppen").click()
    expect(page.get_by_text("Förslaget är lämnat till styrgruppen.")).to_be_visible()
    expect(page.get_by_text("Föreslagen av projektledaren").first).to_be_visible()

    page.goto(f"{page.base}/utveckling/jamfor/{YEAR}/")
    expect(
        page.get_by_role("heading", name=f"Kandidaterna för {YEAR} sida vid sida")
    ).to_be_visible()
    check(page, width)

    # The steering group decides.
    page.context.clear_cookies()
    login(page, "styrgrupp", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(f"{page.base}/utveckling/")
    page.get_by_role("link", name="SE31 Norra Mellansverige").click()
    check(page, width)
    page.get_by_label("Tillstyrker förslaget").check()
    page.get_by_label("Sammanträdets datum").fill(TODAY.isoformat())
    page.get_by_role("button", name="Registrera styrgruppens beslut").click()
    expect(page.get_by_text("Ange protokollets paragraf.").first).to_be_visible()
    check(page, width)
    page.get_by_label("Tillstyrker förslaget").check()
    page.get_by_label("Sammanträdets datum").fill(TODAY.isoformat())
    page.get_by_label("Protokollsparagraf").fill("§ 9")
    page.get_by_role("button", name="Registrera styrgruppens beslut").click()
    expect(page.get_by_text("Styrgruppens beslut är registrerat.")).to_be_visible()
    expect(page.get_by_text("tillstyrkte förslaget")).to_be_visible()
    check(page, width)
