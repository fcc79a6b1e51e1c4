"""A meeting is linked to the questionnaire it analysed (issue 17 §2): only a sent one of the
meeting's year or the year before; the meeting page links its results for the area to those
who may read them, and the trail records the link."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from historik.models import Handelse
from larande import services
from larande.models import Analysmote
from tests.enkater.helpers import make_enkat, send

from .helpers import make_mote

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 16)


def save(mote, user, enkat, version=0):
    return services.analysmote_save(
        aktivitet=mote.aktivitet,
        summary="Svaren per avdelning",
        upload=None,
        remove_file=False,
        user=user,
        expected_version=version,
        enkat=enkat,
    )


def test_the_meeting_links_a_sent_questionnaire_of_its_year_or_the_year_before(cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1], date=DAY)
    earlier = send(make_enkat(year=2023, title="Inför 2024"), avdelningar=[cast.a1])
    saved = save(mote, cast.coordinator, earlier)
    assert Analysmote.objects.get(pk=saved.pk).enkat == earlier
    row = Handelse.objects.filter(model="larande.Analysmote").latest("at")
    assert row.changes["enkat_id"] == [None, earlier.pk]


@pytest.mark.parametrize("case", ["draft", "too old", "later year"])
def test_a_draft_or_another_years_questionnaire_is_refused_and_nothing_changes(cast, case):
    mote = make_mote(cast.se21, avdelningar=[cast.a1], date=DAY)
    if case == "draft":
        enkat = make_enkat(year=2024)
    else:
        enkat = send(make_enkat(year=2022 if case == "too old" else 2025), avdelningar=[cast.a1])
    with pytest.raises(ValidationError) as exc:
        save(mote, cast.coordinator, enkat)
    assert "mötets år eller året före" in str(exc.value)
    assert Analysmote.objects.get(pk=mote.pk).enkat_id is None


def test_the_page_offers_only_the_allowed_questionnaires_and_links_the_areas_results(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1], date=DAY)
    ok = send(make_enkat(year=2024, title="Årets enkät"), avdelningar=[cast.a1])
    make_enkat(year=2024, title="Utkastet")
    url = reverse("larande:mote", args=[mote.aktivitet_id])
    client.force_login(cast.coordinator)
    page = client.get(url).content.decode()
    assert "Årets enkät" in page and "Utkastet" not in page
    r = client.post(url, {"version": 0, "summary": "Svaren", "enkat": ok.pk})
    assert r.status_code == 302
    results = reverse("enkater:resultat_omrade", args=[ok.pk, "SE21"])
    assert results in client.get(url).content.decode()
    # A board member of a department in the meeting reads the material but not the area's
    # other answers: the questionnaire is named, its results are not linked.
    client.force_login(cast.board)
    page = client.get(url).content.decode()
    assert "Årets enkät" in page and results not in page
