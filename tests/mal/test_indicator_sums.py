"""Target sums count approved commitments, as actuals do (/mal/indikatorer/), or show
both, labelled (the report)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mal import reporting
from mal.models import Uppfoljning, Utfall

pytestmark = pytest.mark.django_db


def build(cast, mk, periods):
    approved = mk(cast.a1, title="Godkänt", status="approved")  # target 10
    mk(cast.a2, title="Utkast", status="draft")  # target 10, same indicator
    uf = Uppfoljning.objects.create(atagande=approved, period=periods[1], status="on_track")
    Utfall.objects.create(uppfoljning=uf, malvarde=approved.malvarden.get(), actual=Decimal(7))


def test_indicator_table_sums_approved_commitments_only(client, cast, mk, periods):
    build(cast, mk, periods)
    client.force_login(cast.steering)
    r = client.get(reverse("mal:indikatorer") + "?format=csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()]
    header, row = rows[0], rows[1]
    assert row[header.index("2024 mål")] in ("10", "10,00", "10.00")
    assert row[header.index("2024 helår")] in ("7", "7,00", "7.00")
    body = client.get(reverse("mal:indikatorer")).content.decode()
    assert "godkända</strong> åtaganden" in body


def test_report_indicators_carry_both_target_sums(cast, mk, periods):
    build(cast, mk, periods)
    (ind,) = reporting.report_data(year=2024)["indicators"]
    assert ind["target"] == 20.0  # every commitment of the year, as before
    assert ind["target_approved"] == 10.0  # the ones that are followed up
    assert ind["actual"] == 7.0
