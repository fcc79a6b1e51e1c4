"""Building a questionnaire: the project leader creates it, adds sections and questions with
formsets, and sends it; after sending the questions are locked."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from enkater.models import Enkat, Svar
from historik.models import Handelse
from tests.helpers import management

from .helpers import give_addresses, make_enkat

pytestmark = pytest.mark.django_db
DEADLINE = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


def test_the_project_leader_builds_and_sends_a_questionnaire(
    client, cast, django_capture_on_commit_callbacks
):
    give_addresses(cast)
    client.force_login(cast.leader)
    r = client.post(
        reverse("enkater:ny"),
        {"title": "Inför analysmötet", "year": "2026", "intro": "Hej", "deadline": DEADLINE},
    )
    e = Enkat.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("enkater:avsnitt", args=[e.pk])
    r = client.post(
        reverse("enkater:avsnitt", args=[e.pk]),
        {**management("avsnitt", 1), "avsnitt-0-title": "Läget", "avsnitt-0-order": "1"},
    )
    assert r.status_code == 302
    section = e.avsnitt.get()
    data = {
        **management("fragor", 3),
        "fragor-0-text": "Hur går det?",
        "fragor-0-kind": "scale",
        "fragor-0-required": "on",
        "fragor-0-order": "1",
        "fragor-1-text": "Vilka mål?",
        "fragor-1-kind": "multiple",
        "fragor-1-choices": "Mål 1\n\n  Mål 2 \n",
        "fragor-1-order": "2",
        "fragor-2-text": "Hur många?",
        "fragor-2-kind": "number",
        "fragor-2-min_value": "0",
        "fragor-2-max_value": "10",
        "fragor-2-order": "3",
    }
    assert client.post(reverse("enkater:fragor", args=[e.pk, section.pk]), data).status_code == 302
    questions = list(e.fragor.order_by("order"))
    assert [q.kind for q in questions] == ["scale", "multiple", "number"]
    assert questions[0].required and not questions[1].required
    assert questions[1].options() == ["Mål 1", "Mål 2"]
    e.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("enkater:skicka", args=[e.pk]),
            {
                "version": str(e.version),
                "recipients": "boards",
                "avdelningar": [cast.a1.pk, cast.a2.pk],
            },
        )
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.is_sent and e.sent_at
    assert sorted(s.avdelning.name for s in e.svar.all()) == ["Avdelning A1", "Avdelning A2"]
    assert all(s.status == Svar.Status.NEW for s in e.svar.all())
    # Mailed to each department's board; the change leader is no board member.
    assert sorted(m.to[0] for m in mail.outbox) == ["board@example.org", "neighbour@example.org"]
    assert "svara senast" in mail.outbox[0].subject
    assert Handelse.objects.filter(model="enkater.Enkat", action="transition").count() == 1


def test_a_choice_question_without_two_options_is_refused(client, cast):
    e = make_enkat()
    section = e.avsnitt.get()
    client.force_login(cast.leader)
    data = {
        **management("fragor", 1),
        "fragor-0-text": "Vilket?",
        "fragor-0-kind": "single",
        "fragor-0-choices": "Bara ett",
        "fragor-0-order": "9",
    }
    r = client.post(reverse("enkater:fragor", args=[e.pk, section.pk]), data)
    assert r.status_code == 400
    assert "minst två svarsalternativ" in r.content.decode()
    assert e.fragor.count() == 5


def test_after_sending_the_questions_are_locked(client, cast):
    e = make_enkat()
    client.force_login(cast.leader)
    client.post(
        reverse("enkater:skicka", args=[e.pk]),
        {"version": "1", "recipients": "coordinators", "areas": [cast.se21.pk]},
    )
    e.refresh_from_db()
    assert e.is_sent and e.svar.get().nuts_omrade == cast.se21 and e.svar.get().avdelning is None
    section = e.avsnitt.get()
    assert client.get(reverse("enkater:fragor", args=[e.pk, section.pk])).status_code == 403
    assert client.get(reverse("enkater:avsnitt", args=[e.pk])).status_code == 403
    assert client.get(reverse("enkater:skicka", args=[e.pk])).status_code == 403
    # Title and year stay; the deadline and the intro may change.
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    r = client.post(
        reverse("enkater:andra", args=[e.pk]),
        {"title": "Annan", "year": "2030", "intro": "Ny", "deadline": later, "version": e.version},
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.title, e.year, e.intro, e.deadline.isoformat()) == ("Enkät", 2026, "Ny", later)


def test_two_editors_of_the_questionnaire_meet_a_conflict(client, cast):
    e = make_enkat()
    client.force_login(cast.leader)
    data = {"title": "A", "year": "2026", "intro": "", "deadline": DEADLINE, "version": "1"}
    assert client.post(reverse("enkater:andra", args=[e.pk]), data).status_code == 302
    r = client.post(reverse("enkater:andra", args=[e.pk]), {**data, "title": "B"})
    assert r.status_code == 400 and "Någon annan har sparat" in r.content.decode()
    e.refresh_from_db()
    assert e.title == "A"


def test_a_questionnaire_without_recipients_or_questions_is_not_sent(client, cast):
    e = make_enkat(kinds=[])
    client.force_login(cast.leader)
    r = client.post(
        reverse("enkater:skicka", args=[e.pk]), {"version": "1", "recipients": "boards"}
    )
    assert r.status_code == 400 and "Välj minst en avdelning" in r.content.decode()
    r = client.post(
        reverse("enkater:skicka", args=[e.pk]),
        {"version": "1", "recipients": "boards", "avdelningar": [cast.a1.pk]},
    )
    assert r.status_code == 400 and "inga frågor" in r.content.decode()
    e.refresh_from_db()
    assert not e.is_sent and not Svar.objects.exists() and not mail.outbox


def test_the_send_page_offers_the_pilot_departments_of_the_year(client, cast):
    e = make_enkat(year=2019)
    client.force_login(cast.leader)
    page = client.get(reverse("enkater:skicka", args=[e.pk])).content.decode()
    assert "Avdelning A1" in page and "Avdelning B1" not in page  # SE22 joined in 2020
