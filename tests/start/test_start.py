"""The start page shows what waits for each role, and only from the user's own tenancy."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from avdelningar.models import Deltagande, NutsOmrade, Roll
from mal.models import Periodoppning, Uppfoljning, Uppfoljningsperiod
from rapporter.models import Rapportversion
from tests import factories as f
from tests.aktiviteter.helpers import make_aktivitet
from tests.mal.helpers import make_atagande

pytestmark = pytest.mark.django_db


def start(client, user):
    client.force_login(user)
    r = client.get(reverse("start"))
    assert r.status_code == 200
    return r.content.decode()


@pytest.fixture
def work(cast):
    year = timezone.localdate().year
    make_atagande(cast.a1, year=year, status="draft", title="A1 utkast")
    make_atagande(cast.a1, year=year, status="submitted", title="A1 inskickat")
    make_atagande(cast.a2, year=year, status="submitted", title="A2 inskickat")
    make_atagande(cast.b1, year=year, status="submitted", title="B1 inskickat")
    make_atagande(None, nuts=cast.se21, year=year, status="submitted", title="SE21 gemensamt")
    recently = timezone.localdate() - datetime.timedelta(days=3)
    make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Möte hos A1", date=recently)
    make_aktivitet(cast.se21, avdelningar=[cast.a2], title="Möte hos A2", date=recently)
    make_aktivitet(cast.se22, avdelningar=[cast.b1], title="Möte hos B1", date=recently)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    make_aktivitet(cast.se21, avdelningar=[cast.a1], title="Gammalt möte", date=long_ago)
    return cast


def test_coordinator_sees_their_areas_review_queue_and_activities(client, work):
    body = start(client, work.coordinator)
    # A1 and A2 (their area's departments); not B1, not the area's own commitment (the
    # project leader reviews that).
    assert "2 åtaganden väntar på granskning" in body
    assert "Möte hos A1" in body and "Möte hos A2" in body
    assert "Möte hos B1" not in body
    assert "Gammalt möte" not in body  # "recent" is the last year


def test_project_leader_reviews_everything(client, work):
    assert "4 åtaganden väntar på granskning" in start(client, work.leader)


def test_board_member_sees_their_departments_year_only(client, work):
    body = start(client, work.board)
    text = re.sub(r"<[^>]+>", "", body)  # the counts are links
    assert "Era åtaganden" in text and "1 utkast · 1 inskickat" in text
    assert "väntar på granskning" not in body
    assert "Möte hos A1" in body
    assert "Möte hos A2" not in body and "Möte hos B1" not in body


def test_next_follow_up_deadline_counts_approved_commitments_not_followed_up(client, work):
    today = timezone.localdate()
    period = Uppfoljningsperiod.objects.create(
        year=today.year, kind="halvar", closes_on=today + datetime.timedelta(days=10)
    )
    done = make_atagande(work.a1, year=today.year, status="approved", title="Följt upp")
    make_atagande(work.a1, year=today.year, status="approved", title="Inte uppföljt")
    make_atagande(work.a2, year=today.year, status="approved", title="Grannens")
    Uppfoljning.objects.create(atagande=done, period=period, status="on_track")
    body = start(client, work.board)
    assert f"{period} stänger för uppföljning" in body
    assert "1 godkänt åtagande saknar uppföljning" in body


def test_a_reopened_period_shows_the_departments_open_until_date(client, work):
    today = timezone.localdate()
    period = Uppfoljningsperiod.objects.create(
        year=today.year - 1, kind="helar", closes_on=today - datetime.timedelta(days=30)
    )
    until = today + datetime.timedelta(days=5)
    Periodoppning.objects.create(period=period, avdelning=work.a1, open_until=until, reason="x")
    make_atagande(work.a1, year=today.year - 1, status="approved", title="Ej uppföljt")
    body = start(client, work.board)
    assert f"{period} är öppen för Avdelning A1 till och med" in body
    assert date_format(until) in body
    assert "1 godkänt åtagande saknar uppföljning" in body
    assert "öppen för" not in start(client, work.neighbour)


def test_reports_waiting_for_approval_and_approved_ones(client, work):
    year = timezone.localdate().year - 1
    approved = Rapportversion.objects.create(
        year=year, edition="styrgrupp", number=1, status="done", approved_at=timezone.now()
    )
    waiting = Rapportversion.objects.create(year=year, edition="styrgrupp", number=2, status="done")
    steering = start(client, work.steering)
    assert "Väntar på styrgruppens godkännande" in steering
    assert waiting.get_absolute_url() in steering and approved.get_absolute_url() in steering
    board = start(client, work.board_national)
    assert approved.get_absolute_url() in board
    assert waiting.get_absolute_url() not in board
    assert "Väntar på" not in board
    # A department board member reads no reports.
    assert "Senast godkända" not in start(client, work.board)


def test_own_counts_link_to_the_list_they_count(client, work):
    body = start(client, work.board)
    year = timezone.localdate().year
    url = reverse("mal:avdelning_ar", args=[work.a1.pk, year])
    assert f'<a href="{url}">1 utkast</a>' in body


def _on(monkeypatch, day):
    monkeypatch.setattr("start.views.timezone.localdate", lambda: day)


def test_in_december_a_board_is_invited_to_plan_next_year(client, cast, monkeypatch):
    _on(monkeypatch, datetime.date(2026, 12, 1))
    body = start(client, cast.board)
    assert "Dags att planera 2027" in body and "Åtaganden 2027" in body
    assert reverse("mal:avdelning_ar", args=[cast.a1.pk, 2027]) in body
    assert "inga inlagda ännu" in body
    make_atagande(cast.a1, year=2027, title="Nästa år")
    assert "1 åtagande inlagt" in start(client, cast.board)
    # Not in November, and not for a change leader (reads only) or a coordinator.
    assert "Dags att planera" not in start(client, cast.changeleader)
    _on(monkeypatch, datetime.date(2026, 11, 30))
    assert "Dags att planera" not in start(client, cast.board)


def test_a_board_outside_the_pilot_is_not_invited_to_plan(client, cast, monkeypatch):
    _on(monkeypatch, datetime.date(2026, 12, 1))
    outside = f.AvdelningFactory(
        name="Avdelning N1", nuts_omrade=NutsOmrade.objects.get(code="SE33")
    )
    board = f.user_with_role("board_outside", Roll.STYRELSELEDAMOT, avdelning=outside)
    assert "Dags att planera" not in start(client, board)
    # An area that has left by next year is not planned for either.
    Deltagande.objects.filter(nuts_omrade=cast.se21).update(left_on=datetime.date(2026, 12, 31))
    assert "Dags att planera" not in start(client, cast.board)


def test_an_assignment_that_begins_later_is_explained(client, cast):
    starts = (
        timezone.localdate().replace(month=1, day=1).replace(year=timezone.localdate().year + 1)
    )
    person = f.PersonFactory(name="Ny Ledamot", user__username="ny")
    f.UppdragFactory(person=person, role=Roll.STYRELSELEDAMOT, avdelning=cast.a1, start=starts)
    body = start(client, person.user)
    assert f"börjar 1 januari {starts.year}" in body
    assert "Du har inga aktuella uppdrag" not in body
    # Their department's page is not theirs yet: the 404 says why.
    r = client.get(reverse("avdelning", args=[cast.a1.pk]))
    assert r.status_code == 404
    assert f"börjar 1 januari {starts.year}" in r.content.decode()
