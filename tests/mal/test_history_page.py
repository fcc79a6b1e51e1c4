"""A commitment's history page reads for a board member: Swedish field names, people's
names, values as the page shows them; no codes, ids, dicts or usernames."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mal import services
from mal.models import Atagande, Malvarde, Verksamhetsmal

pytestmark = pytest.mark.django_db


def test_history_page_is_readable(client, cast, mk, periods):
    a = mk(cast.a1, goal=2)
    a = Atagande.objects.get(pk=a.pk)
    a.title = "Kompetenslyft i hela länet"
    a.verksamhetsmal = Verksamhetsmal.objects.get(number=5)
    a.resources_sek = Decimal(30000)
    m = a.malvarden.get()
    m.indikator = None
    m.name = "Arbetsplatser"
    m.baseline = Decimal("2.50")
    services.atagande_save(atagande=a, malvarden=[m], user=cast.board, expected_version=a.version)
    a = Atagande.objects.get(pk=a.pk)
    services.atagande_submit(atagande=a, user=cast.board)
    services.atagande_approve(atagande=a, user=cast.coordinator)
    a = Atagande.objects.get(pk=a.pk)
    services.uppfoljning_save(
        atagande=a,
        period=periods[0],
        status="on_track",
        comment="",
        values={m.pk: (Decimal("4.00"), None, None)},
        user=cast.board,
    )
    client.force_login(cast.board)
    body = client.get(reverse("mal:historik", args=[a.pk])).content.decode()
    # Swedish labels, the names the page shows, people's names.
    for text in (
        "Rubrik",
        "Verksamhetsmål",
        "2 Kompetenssprång för industriarbetare",
        "5 Utveckling på arbetsplatsen",
        "Resurser, kronor",
        "30\u00a0000",
        "Utkast → Inskickat",
        "Inskickat → Godkänt",
        "Läge",
        "Enligt plan",
        "utgångsläge 2,5",
        "Board",
        "Coordinator",
    ):
        assert text in body, text
    # No codes, ids, dicts or usernames (the page's own header shows the login's name).
    table = body[body.index("<tbody>") :]
    for text in (
        "verksamhetsmal_id",
        "title:",
        "submitted",
        "approved",
        "on_track",
        "{",
        "indikator_id",
        "12.00",
        "coordinator<",
        "board<",
    ):
        assert text not in table, text
    assert Malvarde.objects.get(pk=m.pk).baseline == Decimal("2.50")
