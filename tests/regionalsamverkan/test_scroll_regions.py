"""Every scroll region can be reached by keyboard and is named (axe:
scrollable-region-focusable), because every one is made by the same tag."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from tests.factories import MedlemsantalFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
REGION = re.compile(r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">')


def test_no_template_makes_a_scroll_region_by_hand():
    by_hand = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"table-scroll|table-responsive|overflow-x", path.read_text())
    ]
    assert by_hand == []


def test_the_tag_makes_a_focusable_named_region():
    html = Template("{% scrollregion label %}<table></table>{% endscrollregion %}").render(
        Context({"label": "Per <avdelning>"})
    )
    assert html == (
        '<div class="table-scroll" tabindex="0" role="region" '
        'aria-label="Per &lt;avdelning&gt;"><table></table></div>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["historik", "kostnad"])
def test_pages_with_wide_tables_have_named_regions(client, cast, page):
    MedlemsantalFactory(avdelning=cast.a1, year=2024)
    client.force_login(cast.leader)
    url = reverse("historik") if page == "historik" else reverse("rapporter:kostnad", args=[2024])
    body = client.get(url).content.decode()
    assert REGION.search(body), page
