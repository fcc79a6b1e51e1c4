"""A coordinator logs an activity from a phone, finds it, filters, exports; the project
leader logs a national activity; a department user cannot open another department's
activity."""

from pathlib import Path

from playwright.sync_api import expect

from aktiviteter.models import Aktivitet
from avdelningar import demo
from tests.browser.helpers import assert_accessible, login

PHONE = {"width": 375, "height": 800}


def test_coordinator_logs_finds_filters_and_exports(page, demo_data):
    page.set_viewport_size(PHONE)
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/ny/")
    assert_accessible(page)

    page.get_by_label("Rubrik").fill("Träff med Svetsakademin om utbildning")
    page.get_by_label("Typ*", exact=True).select_option(label="Möte")
    page.get_by_label("2 Kompetenssprång för industriarbetare").check()
    page.get_by_label("8 Stärkt regional samverkan").check()
    # On a phone the department rows are tap targets of at least 44 px, the whole row.
    gotland = page.locator("#div_id_avdelningar .form-check").filter(has_text="Gotland")
    assert gotland.bounding_box()["height"] >= 44
    gotland.click(position={"x": 300, "y": 10})
    expect(page.get_by_label("IF Metall Gotland (SE21)")).to_be_checked()
    page.get_by_label("Sök aktör").fill("teknikf")
    page.get_by_role("option", name="Teknikföretagen").click()
    expect(page.get_by_role("button", name="Ta bort Teknikföretagen")).to_be_visible()
    page.get_by_label("Ny aktör: namn").fill("Svetsakademin Gotland (exempel)")
    page.get_by_label("Ny aktör: typ").select_option(label="Utbildningsanordnare")
    page.get_by_text("Mer: forum, projekt").click()
    page.get_by_label("Anteckningar").fill("Vi planerade svetsutbildningar för tolv operatörer.")
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("heading", name="Träff med Svetsakademin om utbildning").wait_for()
    expect(page.get_by_role("link", name="Svetsakademin Gotland (exempel)")).to_be_visible()
    expect(page.get_by_role("link", name="Teknikföretagen")).to_be_visible()
    assert_accessible(page)

    page.goto(page.base + "/aktiviteter/")
    assert_accessible(page)
    page.get_by_role("searchbox", name="Sök i rubrik och anteckningar").fill("svetsutbildning")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url("**q=svetsutbildning**")
    expect(page.get_by_role("link", name="Träff med Svetsakademin om utbildning")).to_be_visible()
    assert page.locator(".list-group-item").count() == 1
    assert_accessible(page)

    page.get_by_label("Verksamhetsmål").select_option(label="8 Stärkt regional samverkan")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**mal=8**")
    expect(page.get_by_role("link", name="Träff med Svetsakademin om utbildning")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert len(lines) == 2  # header + the one matching row
    assert "Träff med Svetsakademin om utbildning" in lines[1]


def test_project_leader_logs_a_national_activity_on_a_phone(page, demo_data):
    page.set_viewport_size(PHONE)
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/ny/")
    page.get_by_label("Rubrik").fill("Tvärgruppsmöte om ett nytt område")
    page.get_by_label("Typ*", exact=True).select_option(label="Tvärgruppsmöte")
    page.get_by_label("3 Avdelningssamverkan").check()
    nationell = page.get_by_label("Nationell (inget område)")
    assert nationell.locator("xpath=..").bounding_box()["height"] >= 44
    nationell.check()
    page.get_by_label("IF Metall Gotland (SE21)").check()
    page.get_by_label("IF Metall Blekinge (exempel) (SE22)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("heading", name="Tvärgruppsmöte om ett nytt område").wait_for()
    expect(page.locator(".badge", has_text="Nationell")).to_be_visible()
    assert_accessible(page)
    saved = Aktivitet.objects.get(title="Tvärgruppsmöte om ett nytt område")
    assert saved.is_national and saved.avdelningar.count() == 2

    page.goto(page.base + "/aktiviteter/")
    page.get_by_role("link", name="nationella").click()
    page.wait_for_url("**niva=nationell**")
    expect(page.get_by_role("link", name="Tvärgruppsmöte om ett nytt område")).to_be_visible()
    badges = page.locator(".list-group-item .badge", has_text="Nationell")
    assert badges.count() == page.locator(".list-group-item").count()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_actor_search_is_a_keyboard_combobox_and_enter_never_submits(page, demo_data):
    """Enter in the actor search used to submit the form and save the activity without the
    actor (issue 12); now it is a WAI-ARIA combobox."""
    page.set_viewport_size(PHONE)
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/ny/")
    before = Aktivitet.objects.count()
    page.get_by_label("Rubrik").fill("Samtal med Teknikföretagen")
    page.get_by_label("Typ*", exact=True).select_option(label="Möte")
    page.get_by_label("2 Kompetenssprång för industriarbetare").check()

    box = page.get_by_role("combobox", name="Sök aktör")
    listbox = page.get_by_role("listbox", name="Träffar")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("teknikf")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    box.press("ArrowDown")
    active = page.locator("[role=option][aria-selected=true]")
    expect(active).to_have_text("Teknikföretagen")
    expect(box).to_have_attribute("aria-activedescendant", active.get_attribute("id"))
    assert_accessible(page)
    box.press("Enter")
    expect(page.get_by_role("button", name="Ta bort Teknikföretagen")).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("")

    # Enter with hits but none chosen, and Escape: nothing is submitted or added.
    box.fill("region")
    expect(listbox).to_be_visible()
    box.press("Enter")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Escape")
    expect(box).to_have_value("")
    assert page.url == page.base + "/aktiviteter/ny/"
    assert Aktivitet.objects.count() == before
    assert page.get_by_role("button", name="Ta bort Region").count() == 0

    # The form is saved by its button, with the actor.
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Samtal med Teknikföretagen").wait_for()
    expect(page.get_by_role("link", name="Teknikföretagen")).to_be_visible()


def test_workplaces_follow_the_chosen_departments(page, demo_data):
    page.set_viewport_size(PHONE)
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/ny/")
    page.get_by_text("Mer: forum, projekt").click()
    workplaces = page.locator("select[name=arbetsplatser] option")
    visible = "els => els.filter(e => !e.hidden).map(e => e.dataset.avdelning)"
    assert workplaces.evaluate_all(visible) == []
    page.get_by_label("IF Metall Gotland (SE21)").check()
    gotland = page.get_by_label("IF Metall Gotland (SE21)").get_attribute("value")
    shown = workplaces.evaluate_all(visible)
    assert shown and set(shown) == {gotland}
    assert_accessible(page)


def test_coordinator_deletes_an_activity_after_confirming(page, demo_data):
    aktivitet = Aktivitet.objects.filter(nuts_omrade__code="SE21").first()
    page.set_viewport_size(PHONE)
    login(page, "samordnare-smaland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + aktivitet.get_absolute_url())
    expect(page.get_by_text("Ändrad", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ta bort").click()
    page.get_by_role("heading", name="Ta bort aktiviteten?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Ta bort aktiviteten").click()
    page.wait_for_url(page.base + "/aktiviteter/")
    expect(page.get_by_text(f"Aktiviteten ”{aktivitet.title}” är borttagen.")).to_be_visible()
    assert_accessible(page)
    assert not Aktivitet.objects.filter(pk=aktivitet.pk).exists()


def test_actor_list_fits_a_phone(page, demo_data):
    page.set_viewport_size(PHONE)
    login(page, "forandringsledare-gotland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/aktorer/")
    assert_accessible(page)
    table = page.locator("table.aktor-tabell")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = table.locator("tbody tr").first
    expect(first.get_by_role("link")).to_be_visible()
    expect(first.locator("td").last).to_be_visible()


def test_department_user_cannot_see_another_departments_activity(page, demo_data):
    foreign = (
        Aktivitet.objects.filter(avdelningar__name="IF Metall Norra Småland (exempel)")
        .exclude(avdelningar__name="IF Metall Gotland")
        .first()
    )
    page.set_viewport_size(PHONE)
    login(page, "styrelse-gotland", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/aktiviteter/")
    assert_accessible(page)
    assert page.get_by_role("link", name=foreign.title).count() == 0 or all(
        "Gotland" in t for t in page.locator(".list-group-item").all_inner_texts()
    )
    response = page.goto(page.base + f"/aktiviteter/{foreign.pk}/")
    assert response.status == 404
    assert_accessible(page)
