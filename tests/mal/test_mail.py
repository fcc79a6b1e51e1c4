"""Mail when a commitment moves (issue 12 §4): submitted to its reviewers, approved and
returned to the owner's board; after commit, once, rendered from templates, with a link,
and not to those who turned the kind off."""

import pytest
from django.core import mail

from avdelningar.models import Epost, Epostval, Roll, Utskick
from mal import services
from mal.notify import atagande_notify
from mal.tasks import notify_atagande
from tests import factories as f


@pytest.fixture
def people(cast, settings):
    settings.SITE_URL = "https://rs.example.org"
    for who in ("board", "neighbour", "coordinator", "other_coordinator", "leader", "steering"):
        person = getattr(cast, who).person
        person.email = f"{who}@example.org"
        person.save()
    # A chair and a labour-market officer of A1 whose address is only on the login.
    cast.chair = f.user_with_role("chair", Roll.ORDFORANDE, avdelning=cast.a1)
    cast.chair.email = "chair@example.org"
    cast.chair.save()
    cast.amo = f.user_with_role("amo", Roll.ARBETSMARKNADSANSVARIG, avdelning=cast.a1)
    cast.amo.person.email = "amo@example.org"
    cast.amo.person.save()
    # The change leader reads but does not write commitments: no mail.
    cast.changeleader.person.email = "changeleader@example.org"
    cast.changeleader.person.save()
    return cast


def to(messages):
    return sorted(addr for m in messages for addr in m.to)


def submit(cast, a, django_capture_on_commit_callbacks, user=None):
    with django_capture_on_commit_callbacks(execute=True):
        services.atagande_submit(atagande=a, user=user or cast.board)
    a.refresh_from_db()


def test_submitted_goes_to_the_reviewers_with_a_link(
    people, mk, django_capture_on_commit_callbacks
):
    a = mk(people.a1, title="Kompetenslyft på verkstaden")
    submit(people, a, django_capture_on_commit_callbacks)
    assert to(mail.outbox) == ["coordinator@example.org", "leader@example.org"]
    m = mail.outbox[0]
    assert m.subject == "Att granska: Kompetenslyft på verkstaden (Avdelning A1 2024)"
    link = f"https://rs.example.org/mal/atagande/{a.pk}/"
    assert link in m.body
    html, kind = m.alternatives[0]
    assert kind == "text/html" and f'href="{link}"' in html
    assert "https://rs.example.org/konto/epost/" in m.body
    assert len(m.to) == 1  # one mail per address: no one sees who else got it


def test_area_commitment_is_reviewed_by_the_leader_only(
    people, mk, django_capture_on_commit_callbacks
):
    a = mk(nuts=people.se21)
    submit(people, a, django_capture_on_commit_callbacks, user=people.coordinator)
    assert to(mail.outbox) == ["leader@example.org"]


def test_returned_goes_to_the_board_with_the_comment(
    people, mk, django_capture_on_commit_callbacks
):
    a = mk(people.a1)
    submit(people, a, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.atagande_return(
            atagande=a, user=people.coordinator, note="Ange hur många arbetsplatser."
        )
    # Chair (login's address), board member, labour-market officer; not the change leader
    # nor the neighbouring department's board.
    assert to(mail.outbox) == ["amo@example.org", "board@example.org", "chair@example.org"]
    m = mail.outbox[0]
    assert m.subject.startswith("Återsänt: Kompetenslyft")
    assert "Ange hur många arbetsplatser." in m.body
    assert "Ange hur många arbetsplatser." in m.alternatives[0][0]


def test_approved_goes_to_the_board_but_not_to_the_reviewer(
    people, mk, django_capture_on_commit_callbacks
):
    a = mk(people.a1)
    submit(people, a, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # A board member who also reviews (here: the approving project leader is excluded).
    with django_capture_on_commit_callbacks(execute=True):
        services.atagande_approve(atagande=a, user=people.leader, note="Bra.")
    assert to(mail.outbox) == ["amo@example.org", "board@example.org", "chair@example.org"]
    assert mail.outbox[0].subject.startswith("Godkänt: ")
    assert "Bra." in mail.outbox[0].body


def test_nothing_goes_out_before_commit(people, mk, django_capture_on_commit_callbacks):
    a = mk(people.a1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.atagande_submit(atagande=a, user=people.board)
    assert mail.outbox == [] and len(callbacks) == 1


def test_running_the_task_twice_sends_once(people, mk, django_capture_on_commit_callbacks):
    a = mk(people.a1)
    submit(people, a, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    # The same delivery again (a worker died before acknowledging it): nothing new.
    assert notify_atagande(a.pk, "submitted", a.version, people.board.pk) == 0
    assert len(mail.outbox) == 2
    assert Utskick.objects.filter(kind=Epost.ATAGANDE_INSKICKAT).count() == 2


def test_a_resubmission_is_a_new_mail(people, mk, django_capture_on_commit_callbacks):
    a = mk(people.a1)
    submit(people, a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.atagande_return(atagande=a, user=people.coordinator, note="Mer.")
    a.refresh_from_db()
    mail.outbox.clear()
    submit(people, a, django_capture_on_commit_callbacks)
    assert to(mail.outbox) == ["coordinator@example.org", "leader@example.org"]


def test_a_failed_send_leaves_no_claim(people, mk, monkeypatch):
    a = mk(people.a1, status="submitted")

    def broken(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        atagande_notify(atagande_id=a.pk, event="submitted", version=a.version)
    assert not Utskick.objects.exists()
    monkeypatch.undo()
    assert atagande_notify(atagande_id=a.pk, event="submitted", version=a.version) == 2


def test_opt_out(people, mk, django_capture_on_commit_callbacks):
    Epostval.objects.create(person=people.leader.person, kind=Epost.ATAGANDE_INSKICKAT)
    # Turning off another kind changes nothing for this one.
    Epostval.objects.create(person=people.coordinator.person, kind=Epost.RAPPORT_KLAR)
    a = mk(people.a1)
    submit(people, a, django_capture_on_commit_callbacks)
    assert to(mail.outbox) == ["coordinator@example.org"]
