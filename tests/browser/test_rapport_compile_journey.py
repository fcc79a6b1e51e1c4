"""Compiling the report in Chromium on the demo data, as in the embedded default (no broker:
the job runs in a thread of the web process): the project leader sees what is missing,
confirms, watches the progress bar reach done and reads the report, also on a phone."""

import io
import re
import threading

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from avdelningar import demo
from rapporter import services
from rapporter.models import Rapportversion
from tests.browser.helpers import assert_accessible, login


@pytest.fixture
def demo_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def held_workbook(settings, monkeypatch):
    """The embedded default's compile thread, with the last step held until the journey
    has looked at the bar (the demo compiles in seconds; a poll every 2 s could miss it)."""
    settings.REPORT_COMPILE_IN_THREAD = True
    go = threading.Event()
    real = services.render.render_xlsx

    def held(*args):
        assert go.wait(120), "the journey never released the workbook step"
        return real(*args)

    monkeypatch.setattr(services.render, "render_xlsx", held)
    yield go
    go.set()


def test_compile_journey(page, demo_data, held_workbook):
    before = Rapportversion.objects.count()
    login(page, "projektledare", demo.DEMO_PASSWORD)
    page.wait_for_url(page.base + "/")

    # The compile page lists what the year is missing, each with where it is fixed.
    page.goto(page.base + "/rapporter/?ar=2024")
    gaps = page.get_by_role("region", name=re.compile(r"Det här saknas för 2024"))
    expect(gaps).to_be_visible()
    expect(gaps.get_by_role("listitem").first).to_be_visible()
    assert_accessible(page)
    link = gaps.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(page.base + target)
    page.go_back()

    # Without the confirmation nothing is compiled: the page says why.
    page.get_by_label("Utgåva").select_option("styrgrupp")
    page.get_by_role("button", name="Sammanställ").click()
    expect(page.get_by_text("Kryssa i ”Sammanställ ändå”")).to_be_visible()
    assert_accessible(page)
    assert Rapportversion.objects.count() == before

    # Confirmed: the answer comes at once, and the bar moves while the job runs.
    page.get_by_label("Sammanställ ändå").check()
    page.get_by_role("button", name="Sammanställ").click()
    page.wait_for_url(re.compile(r"/rapporter/\d+/$"))
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(page.get_by_text("Skapar Excel-arbetsboken: pågår")).to_be_visible(timeout=60000)
    expect(bar).to_have_attribute("aria-valuenow", "95")
    expect(page.get_by_text("Hämtar uppgifterna: klart")).to_be_visible()
    assert_accessible(page)
    held_workbook.set()

    # Done: the page reloads by itself and shows the report, which says what was missing.
    expect(page.get_by_text("Klar", exact=True)).to_be_visible(timeout=60000)
    expect(page.get_by_role("heading", name="Saknades vid sammanställningen")).to_be_visible()
    expect(page.get_by_role("link", name="Ladda ner PDF")).to_be_visible()
    assert_accessible(page)
    v = Rapportversion.objects.order_by("-pk").first()
    assert Rapportversion.objects.count() == before + 1
    assert (v.status, v.stage, v.progress) == ("done", "done", 100)
    assert v.snapshot["gaps"]

    # On a phone: no sideways scrolling, and still accessible.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.get_by_role("heading", name="Saknades vid sammanställningen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
