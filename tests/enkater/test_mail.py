"""The invitation and the reminders: each address once however often the task runs, only
the board (or the coordinator), not those who turned questionnaire mail off, and no
reminder for a submitted answer or outside the window before the deadline."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from avdelningar.models import Epost, Epostval
from enkater import tasks
from enkater.models import Svar
from enkater.notify import REMINDER_DAYS

from .helpers import give_addresses, make_enkat, send, sent_to

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def to(outbox):
    return sorted(m.to[0] for m in outbox)


def test_the_invitation_goes_to_each_board_member_once(cast):
    give_addresses(cast)
    e = send(make_enkat(), avdelningar=[cast.a1, cast.b1])
    assert tasks.notify_enkat_sent(e.pk) == 2
    assert tasks.notify_enkat_sent(e.pk) == 0  # the second run sends nothing
    assert to(mail.outbox) == ["board@example.org", "outsider@example.org"]
    assert (
        f"/enkater/svar/{e.svar.get(avdelning=cast.a1).pk}/"
        in mail.outbox[0].body + mail.outbox[1].body
    )


def test_an_areas_answer_goes_to_its_coordinator(cast):
    give_addresses(cast)
    e = send(make_enkat(), areas=[cast.se21])
    tasks.notify_enkat_sent(e.pk)
    assert to(mail.outbox) == ["coordinator@example.org"]


def test_who_turned_questionnaire_mail_off_gets_none(cast):
    give_addresses(cast)
    Epostval.objects.create(person=cast.board.person, kind=Epost.ENKAT)
    e = sent_to(cast.a1)
    assert tasks.notify_enkat_sent(e.pk) == 0 and not mail.outbox


def test_reminders_go_once_within_the_window_and_not_for_submitted_answers(cast):
    give_addresses(cast)
    deadline = TODAY + datetime.timedelta(days=REMINDER_DAYS)
    e = send(make_enkat(deadline=deadline), avdelningar=[cast.a1, cast.a2])
    Svar.objects.filter(avdelning=cast.a2).update(status="submitted", submitted_at=timezone.now())
    before = (deadline - datetime.timedelta(days=REMINDER_DAYS + 1)).isoformat()
    assert tasks.send_enkat_reminders(before) == 0
    assert tasks.send_enkat_reminders(TODAY.isoformat()) == 1
    assert tasks.send_enkat_reminders(TODAY.isoformat()) == 0  # safe to run twice
    assert tasks.send_enkat_reminders(deadline.isoformat()) == 0  # once per answer
    assert to(mail.outbox) == ["board@example.org"]
    assert "Påminnelse" in mail.outbox[0].subject
    after = (deadline + datetime.timedelta(days=1)).isoformat()
    Svar.objects.filter(enkat=e).update(status="draft")
    assert tasks.send_enkat_reminders(after) == 0  # closed: nothing to act on
