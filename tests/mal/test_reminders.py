import datetime

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from avdelningar.models import Person
from mal.models import Paminnelse
from mal.reminders import atagande_send_reminders
from mal.tasks import send_atagande_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(cast, settings):
    settings.ATAGANDE_REMINDER_DATE = "02-15"
    settings.ATAGANDE_ESCALATION_DATE = "03-15"
    for user in (cast.board, cast.neighbour, cast.outsider, cast.coordinator, cast.changeleader):
        Person.objects.filter(user=user).update(email=f"{user.username}@example.org")
    return cast


def recipients():
    return sorted(a for m in mail.outbox for a in m.to)


def test_nothing_before_the_reminder_date(emails):
    assert atagande_send_reminders(today=datetime.date(2024, 2, 14)) == 0
    assert mail.outbox == []


def test_board_of_unsubmitted_departments_reminded_once(emails, mk):
    mk(emails.a1, status="draft")
    mk(emails.a2, status="submitted")
    # B1 has nothing at all: also reminded. A2 has submitted: not reminded.
    assert atagande_send_reminders(today=datetime.date(2024, 2, 20)) == 2
    assert recipients() == ["board@example.org", "outsider@example.org"]
    # The change leader is not on the board.
    assert "changeleader@example.org" not in recipients()
    # Twice: nothing more.
    send_atagande_reminders.delay("2024-02-21")
    assert len(mail.outbox) == 2
    assert Paminnelse.objects.count() == 2


def test_escalation_to_the_coordinator(emails, mk):
    mk(emails.a1, status="returned")
    atagande_send_reminders(today=datetime.date(2024, 3, 20))
    assert "coordinator@example.org" in recipients()
    assert Paminnelse.objects.filter(kind="escalation", avdelning=emails.a1).exists()
    n = len(mail.outbox)
    atagande_send_reminders(today=datetime.date(2024, 3, 21))
    assert len(mail.outbox) == n


def test_department_outside_participation_not_reminded(emails):
    # SE22 joined 2020: B1 gets nothing in 2019.
    atagande_send_reminders(today=datetime.date(2019, 2, 20))
    assert "outsider@example.org" not in recipients()


def test_bad_setting_is_refused(emails, settings):
    settings.ATAGANDE_REMINDER_DATE = "15 feb"
    with pytest.raises(ImproperlyConfigured):
        atagande_send_reminders(today=datetime.date(2024, 2, 20))
