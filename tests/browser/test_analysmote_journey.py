"""After an analysis meeting the coordinator records its actions (at 1280 px); the owner,
a department's board member, marks one done from the start page on a phone (375 px).
Every page checked with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aktiviteter.models import Aktivitet
from avdelningar import demo
from avdelningar.models import Avdelning, NutsOmrade
from larande.models import Atgard
from mal.models import Verksamhetsmal
from tests.browser.helpers import assert_accessible, login

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def meeting(transactional_db):
    """The demo's organisation and one analysis meeting in SE21 with Gotland."""
    demo.seed()
    gotland = Avdelning.objects.get(name="IF Metall Gotland")
    a = Aktivitet.objects.create(
        nuts_omrade=NutsOmrade.objects.get(code="SE21"),
        date=timezone.localdate() - datetime.timedelta(days=7),
        typ=Aktivitet.Typ.ANALYS,
        title="Analysmöte om årets enkät",
    )
    a.avdelningar.set([gotland])
    a.verksamhetsmal.set(Verksamhetsmal.objects.filter(number=1))
    return a


def test_coordinator_records_actions_and_the_owner_marks_one_done(page, meeting):
    overdue = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    page.set_viewport_size(DESKTOP)
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(f"{page.base}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Mötets beslut och åtgärder").click()
    expect(page.get_by_role("heading", name="Mötets beslut och åtgärder")).to_be_visible()
    expect(page.get_by_text("Mötet har inga åtgärder ännu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Underlaget i text").fill("Avdelningarnas svar på enkäten, i korthet.")
    page.get_by_role("button", name="Spara underlaget").click()
    expect(page.get_by_text("Mötets underlag är sparat.")).to_be_visible()

    page.get_by_role("link", name="Lägg till en åtgärd").click()
    assert_accessible(page)
    # Both a person and a department: refused with the reason, nothing saved.
    page.get_by_label("Vad*").fill("Boka arbetsplatsbesök hos tre företag")
    page.get_by_label("Ansvarig person").select_option(index=1)
    page.get_by_label("Ansvarig avdelning").select_option(label="IF Metall Gotland")
    page.get_by_label("Senast*").fill(overdue)
    page.get_by_role("button", name="Spara och lägg till en till").click()
    expect(page.get_by_text("Välj en person eller en avdelning, inte båda.")).to_be_visible()
    assert_accessible(page)
    assert not Atgard.objects.exists()

    page.get_by_label("Ansvarig person").select_option(index=0)
    page.get_by_role("button", name="Spara och lägg till en till").click()
    expect(page.get_by_text("Åtgärden är sparad.")).to_be_visible()
    page.get_by_label("Vad*").fill("Sammanställa svaren per avdelning")
    page.get_by_label("Ansvarig avdelning").select_option(label="IF Metall Gotland")
    page.get_by_label("Senast*").fill(later)
    page.get_by_role("button", name="Spara åtgärden", exact=True).click()
    expect(page.get_by_text("Åtgärden är sparad.")).to_be_visible()
    expect(page.get_by_role("link", name="Sammanställa svaren per avdelning")).to_be_visible()
    expect(page.get_by_text("försenad")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    page.set_viewport_size(PHONE)
    login(page, "styrelse-gotland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    section = page.get_by_role("region", name="Dina åtgärder från analysmöten")
    expect(section.get_by_text("försenad")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    section.get_by_role("button", name="Boka arbetsplatsbesök hos tre företag").click()
    expect(page.get_by_text("är markerad som klar")).to_be_visible()
    expect(page.get_by_role("link", name="Boka arbetsplatsbesök hos tre företag")).to_have_count(0)
    assert_accessible(page)

    done = Atgard.objects.get(what="Boka arbetsplatsbesök hos tre företag")
    assert done.status == Atgard.Status.DONE and done.done_on == timezone.localdate()
    assert done.updated_by.username == "styrelse-gotland"
    assert Atgard.objects.get(what="Sammanställa svaren per avdelning").status == "open"
