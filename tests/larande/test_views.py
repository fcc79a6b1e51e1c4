"""The pages: the meeting with its actions and material, a new action, an action with its
history, the user's actions, and the lessons."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aktiviteter.models import Aktivitet
from historik.models import Handelse
from larande.models import Analysmote, Atgard, Lardom
from tests.aktiviteter.helpers import make_aktivitet
from tests.mal.helpers import make_atagande

from .helpers import make_atgard, make_mote

pytestmark = pytest.mark.django_db


def page(client, user, url, status=200):
    client.force_login(user)
    r = client.get(url)
    assert r.status_code == status
    return r.content.decode()


def test_the_activity_page_links_an_analysis_meeting_to_its_decisions(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1])
    link = reverse("larande:mote", args=[mote.aktivitet_id])
    assert link in page(client, cast.coordinator, mote.aktivitet.get_absolute_url())
    other = make_aktivitet(cast.se21, avdelningar=[cast.a1], typ=Aktivitet.Typ.MOTE)
    body = page(client, cast.coordinator, other.get_absolute_url())
    assert "Mötets beslut och åtgärder" not in body


def test_a_meeting_without_a_record_yet_opens_for_the_coordinator(client, cast):
    aktivitet = make_aktivitet(cast.se21, typ=Aktivitet.Typ.ANALYS, title="Nytt analysmöte")
    body = page(client, cast.coordinator, reverse("larande:mote", args=[aktivitet.pk]))
    assert "Mötet har inga åtgärder ännu." in body and "Lägg till en åtgärd" in body
    other = make_aktivitet(cast.se21, typ=Aktivitet.Typ.MOTE)
    page(client, cast.coordinator, reverse("larande:mote", args=[other.pk]), 404)


def test_the_coordinator_records_actions_from_the_form(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1, cast.a2])
    target = make_atagande(cast.a1, year=2025, title="Plats i plattformen")
    make_atagande(cast.b1, year=2025, title="Någon annans")
    url = reverse("larande:atgard_ny", args=[mote.aktivitet_id])
    body = page(client, cast.coordinator, url)
    assert "Plats i plattformen" in body and "Någon annans" not in body
    r = client.post(
        url,
        {
            "what": "Ta fram ett åtagande",
            "avdelning": cast.a1.pk,
            "due": "2025-01-31",
            "status": "in_progress",
            "ataganden": [target.pk],
        },
    )
    assert r.status_code == 302
    atgard = Atgard.objects.get()
    assert list(atgard.ataganden.all()) == [target] and atgard.avdelning == cast.a1
    # Both owners: refused with a reason, nothing saved.
    r = client.post(
        url,
        {
            "what": "Två ansvariga",
            "avdelning": cast.a1.pk,
            "person": cast.board.person.pk,
            "due": "2025-01-31",
            "status": "open",
        },
    )
    assert r.status_code == 400 and "inte båda" in r.content.decode()
    # Done without a date: today's.
    r = client.post(url, {"what": "Klar redan", "due": "2025-01-31", "status": "done"})
    assert r.status_code == 302
    assert Atgard.objects.get(what="Klar redan").done_on == timezone.localdate()
    assert Atgard.objects.count() == 2


def test_a_department_sees_the_meeting_and_only_its_own_actions(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1, cast.a2])
    make_atgard(mote, "A1:s åtgärd", avdelning=cast.a1)
    make_atgard(mote, "A2:s åtgärd", avdelning=cast.a2)
    url = reverse("larande:mote", args=[mote.aktivitet_id])
    body = page(client, cast.board, url)
    assert "A1:s åtgärd" in body and "A2:s åtgärd" not in body
    assert "Lägg till en åtgärd" not in body and "Spara underlaget" not in body
    body = page(client, cast.coordinator, url)
    assert "A1:s åtgärd" in body and "A2:s åtgärd" in body


def test_the_action_page_changes_status_and_shows_history(client, cast):
    atgard = make_atgard(make_mote(cast.se21), "Boka besök", avdelning=cast.a1)
    url = reverse("larande:atgard", args=[atgard.pk])
    page(client, cast.coordinator, url)
    r = client.post(
        url,
        {
            "version": 0,
            "what": "Boka besök",
            "avdelning": cast.a1.pk,
            "due": "2024-06-01",
            "status": "in_progress",
        },
    )
    assert r.status_code == 302
    # A second tab still at version 0 is refused.
    r = client.post(url, {"version": 0, "what": "Annat", "due": "2024-06-01", "status": "dropped"})
    assert r.status_code == 400 and "Någon annan har sparat" in r.content.decode()
    atgard.refresh_from_db()
    assert (atgard.status, atgard.what) == ("in_progress", "Boka besök")
    body = page(client, cast.coordinator, url)
    assert "Historik" in body and "status Öppen → Pågår" in body
    # The board reads it and closes it, but does not edit it.
    body = page(client, cast.board, url)
    assert "Markera som klar" in body and "Ändra åtgärden" not in body


def test_marking_done_returns_to_a_local_page_only(client, cast):
    atgard = make_atgard(make_mote(cast.se21), avdelning=cast.a1)
    client.force_login(cast.board)
    url = reverse("larande:atgard_klar", args=[atgard.pk])
    r = client.post(url, {"next": "https://example.org/"})
    assert r.status_code == 302 and r.url == atgard.get_absolute_url()
    r = client.post(url, {"next": reverse("start")})
    assert r.url == reverse("start")
    assert Handelse.objects.filter(model="larande.Atgard", action="transition").count() == 1


def test_the_material_upload_and_download(client, cast):
    mote = make_mote(cast.se21, avdelningar=[cast.a1])
    url = reverse("larande:mote", args=[mote.aktivitet_id])
    client.force_login(cast.coordinator)
    bad = SimpleUploadedFile("svar.png", b"\x89PNG\r\n\x1a\n0000")
    r = client.post(url, {"version": 0, "summary": "Svaren", "file": bad})
    assert r.status_code == 400 and "Tillåtna filtyper" in r.content.decode()
    good = SimpleUploadedFile("svar.pdf", b"%PDF-1.4\n%%EOF\n")
    r = client.post(url, {"version": 0, "summary": "Svaren", "file": good})
    assert r.status_code == 302
    mote.refresh_from_db()
    assert mote.material_name == "svar.pdf" and mote.summary == "Svaren"
    client.force_login(cast.board)
    r = client.get(reverse("larande:mote_underlag", args=[mote.aktivitet_id]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert Handelse.objects.filter(model="larande.Analysmote", action="download").exists()


def test_the_list_of_actions_is_scoped_and_its_queries_do_not_grow(
    client, cast, django_assert_max_num_queries
):
    year = timezone.localdate().year
    mine = make_mote(cast.se21, date=datetime.date(year, 3, 1))
    theirs = make_mote(cast.se22, date=datetime.date(year, 3, 1))
    make_atgard(mine, "Egen", avdelning=cast.a1)
    make_atgard(theirs, "Annans", avdelning=cast.b1)
    url = reverse("larande:atgarder")
    body = page(client, cast.board, url)
    assert "Egen" in body and "Annans" not in body
    client.force_login(cast.leader)
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for i in range(6):
        a = make_atgard(make_mote(cast.se22, date=datetime.date(year, 4, 1)), f"Fler {i}")
        a.ataganden.add(make_atagande(cast.b1, year=year, title=f"Åtagande {i}"))
    with django_assert_max_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert "Fler 5" in body


def test_lessons_are_written_by_the_coordinator_and_read_by_the_steering_group(client, cast):
    year = timezone.localdate().year
    url = reverse("larande:lardom", args=["SE21", year])
    client.force_login(cast.coordinator)
    r = client.post(
        url, {"version": 0, "worked": "Träffarna", "did_not_work": "", "to_spread": "Nätverket"}
    )
    assert r.status_code == 302
    body = page(client, cast.steering, url)
    assert "Träffarna" in body and "Nätverket" in body and "Spara lärdomarna" not in body
    body = page(client, cast.steering, reverse("larande:lardomar"))
    assert "SE21" in body and "skrivna" in body
    page(client, cast.coordinator, reverse("larande:lardom", args=["SE21", 2010]), 404)
    assert Lardom.objects.get().updated_by == cast.coordinator
    assert Analysmote.objects.count() == 0
