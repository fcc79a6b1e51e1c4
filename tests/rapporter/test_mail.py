"""Mail about reports (issue 12 §4): compiled to whoever asked for it (the person's
address when the login has none), approved to the project leader and the national board;
after commit, once, with a link, not to those who turned it off."""

import pytest
from django.core import mail

from avdelningar.models import Epost, Epostval, Utskick
from rapporter import services
from rapporter.models import Rapportversion
from rapporter.notify import rapport_notify
from rapporter.tasks import notify_report

STYR = Rapportversion.Edition.STYRGRUPP


@pytest.fixture
def people(cast, settings):
    settings.SITE_URL = "https://rs.example.org/"
    for who in ("leader", "steering", "board_national", "coordinator"):
        person = getattr(cast, who).person
        person.email = f"{who}@example.org"
        person.save()
    return cast


def compiled(user, captured):
    with captured(execute=True):
        v = services.rapport_request(year=2024, edition=STYR, user=user, enqueue=False)
        v = services.rapport_compile(version_id=v.pk)
    return v


def test_compiled_goes_to_the_requester_by_the_persons_address(
    people, django_capture_on_commit_callbacks
):
    assert people.leader.email == ""  # the login has none: the person's is used
    v = compiled(people.leader, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["leader@example.org"]]
    m = mail.outbox[0]
    assert m.subject == f"Lägesrapport 2024, hela projektet är klar (version {v.number})"
    assert f"https://rs.example.org/rapporter/{v.pk}/" in m.body
    assert f'href="https://rs.example.org/rapporter/{v.pk}/"' in m.alternatives[0][0]


def test_compiled_prefers_the_logins_address(people, django_capture_on_commit_callbacks):
    people.leader.email = "pia@example.org"
    people.leader.save()
    compiled(people.leader, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["pia@example.org"]]


def test_a_scheduled_compile_mails_nobody(people, django_capture_on_commit_callbacks):
    compiled(None, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_approved_goes_to_the_leader_and_the_national_board(
    people, django_capture_on_commit_callbacks
):
    v = compiled(None, django_capture_on_commit_callbacks)  # the schedule's: no requester mail
    with django_capture_on_commit_callbacks(execute=True):
        services.rapport_approve(version=v, user=people.steering)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "board_national@example.org",
        "leader@example.org",
    ]
    assert mail.outbox[0].subject == "Godkänd av styrgruppen: Lägesrapport 2024, hela projektet"
    assert f"https://rs.example.org/rapporter/{v.pk}/" in mail.outbox[0].body


def test_running_the_task_twice_sends_once(people, django_capture_on_commit_callbacks):
    v = compiled(people.leader, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.rapport_approve(version=v, user=people.steering)
    assert len(mail.outbox) == 3
    assert notify_report(v.pk, "compiled") == 0
    assert notify_report(v.pk, "approved") == 0
    assert len(mail.outbox) == 3
    assert Utskick.objects.count() == 3


def test_opt_out(people, django_capture_on_commit_callbacks):
    Epostval.objects.create(person=people.leader.person, kind=Epost.RAPPORT_KLAR)
    Epostval.objects.create(person=people.board_national.person, kind=Epost.RAPPORT_GODKAND)
    v = compiled(people.leader, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.rapport_approve(version=v, user=people.steering)
    assert [m.to for m in mail.outbox] == [["leader@example.org"]]


def test_an_unfinished_version_mails_nothing(people):
    v = services.rapport_request(year=2024, edition=STYR, user=people.leader, enqueue=False)
    assert rapport_notify(version_id=v.pk, event="compiled") == 0
    assert rapport_notify(version_id=v.pk, event="approved") == 0
    assert mail.outbox == []
