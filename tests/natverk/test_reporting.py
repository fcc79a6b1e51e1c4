"""The report's contract: the area's map as plain data (no contact persons) and its SVG."""

import datetime
import json

import pytest
from django.utils import timezone

from aktiviteter.models import Aktivitet, Aktor, Kontaktperson
from natverk import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_map(cast, settings):
    settings.RELATION_STALE_MONTHS = 6
    r = Aktor.objects.create(name="Region Rapport", typ=Aktor.Typ.REGION, nuts_omrade=cast.se21)
    Kontaktperson.objects.create(aktor=r, nuts_omrade=cast.se21, name="Hemlig Person")
    a = Aktivitet.objects.create(
        nuts_omrade=cast.se21,
        date=timezone.localdate() - datetime.timedelta(days=400),
        typ=Aktivitet.Typ.MOTE,
        title="Möte",
    )
    a.avdelningar.set([cast.a1])
    a.aktorer.set([r])
    return reporting.area_map(cast.se21.pk)


def test_snapshot_data_is_plain_and_has_no_contact_persons(area_map):
    text = json.dumps(area_map)  # JSON-able for the frozen snapshot
    assert "Hemlig Person" not in text
    s = reporting.summary(area_map)
    assert s["actors"] == 1 and s["departments"] == 1 and s["stale"] == 1


def test_chart_is_an_svg_with_a_text_alternative(area_map):
    chart = reporting.area_map_chart(area_map, caption="Nätverkskartan, SE21")
    assert str(chart.svg).startswith("<svg") and 'role="img"' in str(chart.svg)
    assert "1 aktörer" in chart.alt and "1 av" in chart.alt
    assert ["Region Rapport", "Aktör"] in [row[:2] for row in chart.table.rows]


def test_empty_map_draws_a_message(cast):
    chart = reporting.area_map_chart(reporting.area_map(cast.se22.pk))
    assert "Inga uppgifter" in str(chart.svg)
