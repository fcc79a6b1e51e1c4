import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from avdelningar.models import Person
from mal.models import Paminnelse, Periodoppning, Uppfoljning, Uppfoljningsperiod
from mal.reminders import atagande_send_reminders, uppfoljning_send_reminders
from mal.tasks import send_atagande_reminders, send_uppfoljning_reminders
from tests.helpers import PRODUCTION_ENV, require_service, run_manage

from .helpers import make_atagande

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(cast, settings):
    settings.ATAGANDE_REMINDER_DATE = "02-15"
    settings.ATAGANDE_ESCALATION_DATE = "03-15"
    everyone = (cast.board, cast.neighbour, cast.outsider, cast.changeleader)
    for user in everyone + (cast.coordinator, cast.other_coordinator):
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


def test_leap_day_setting_means_the_last_of_february_in_other_years(emails, settings):
    settings.ATAGANDE_REMINDER_DATE = "02-29"
    settings.ATAGANDE_ESCALATION_DATE = "03-15"
    assert atagande_send_reminders(today=datetime.date(2023, 2, 27)) == 0
    assert atagande_send_reminders(today=datetime.date(2023, 2, 28)) > 0
    assert atagande_send_reminders(today=datetime.date(2024, 2, 28)) == 0  # 2024 has a 29th


def test_bad_setting_is_refused(emails, settings):
    settings.ATAGANDE_REMINDER_DATE = "15 feb"
    with pytest.raises(ImproperlyConfigured):
        atagande_send_reminders(today=datetime.date(2024, 2, 20))


# --- follow-ups -----------------------------------------------------------------------
# Halvår 2024 closes 2024-08-31 (the default). Reminder 14 days before, escalation 7.

HALVAR_CLOSES = datetime.date(2024, 8, 31)


def days_before_close(n):
    return HALVAR_CLOSES - datetime.timedelta(days=n)


@pytest.fixture
def followups(emails, settings):
    settings.UPPFOLJNING_REMINDER_DAYS = 14
    settings.UPPFOLJNING_ESCALATION_DAYS = 7
    emails.halvar, emails.helar = Uppfoljningsperiod.ensure_year(2024)
    return emails


def follow_up(atagande, period):
    return Uppfoljning.objects.create(atagande=atagande, period=period, status="on_track")


def body_to(address):
    return "\n".join(m.body for m in mail.outbox if address in m.to)


def test_followup_reminder_not_before_the_window(followups, mk):
    mk(followups.a1, status="approved")
    assert uppfoljning_send_reminders(today=days_before_close(15)) == 0
    assert uppfoljning_send_reminders(today=days_before_close(14)) == 1
    assert recipients() == ["board@example.org"]


def test_followup_reminder_lists_what_is_missing(followups, mk, settings):
    settings.SITE_URL = "https://rs.example.org"
    done = mk(followups.a1, status="approved", title="Uppföljt")
    missing = mk(followups.a1, status="approved", title="Saknas", goal=5)
    follow_up(done, followups.halvar)
    mk(followups.a1, status="draft", title="Utkast")  # not approved: nothing to follow up
    assert uppfoljning_send_reminders(today=days_before_close(10)) == 1
    (message,) = mail.outbox
    assert message.to == ["board@example.org"]
    assert "halvår 2024" in message.subject and "Avdelning A1" in message.subject
    assert "2024-08-31" in message.body
    assert "Mål 5: Saknas" in message.body
    assert f"https://rs.example.org/mal/atagande/{missing.pk}/uppfoljning/" in message.body
    assert f"https://rs.example.org/mal/avdelning/{followups.a1.pk}/2024/" in message.body
    assert "Uppföljt" not in message.body and "Utkast" not in message.body
    # The same mail as HTML, rendered from its templates (epost/paminnelse_uppfoljning.*).
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Mål 5: Saknas</a>" in html and "Uppföljt" not in html
    assert "changeleader@example.org" not in recipients()
    claim = Paminnelse.objects.get()
    assert (claim.period, claim.kind, claim.recipients) == (followups.halvar, "reminder", 1)


def test_departments_followed_up_or_without_approved_commitments_not_reminded(followups, mk):
    a2 = mk(followups.a2, status="approved")
    follow_up(a2, followups.halvar)
    mk(followups.b1, status="submitted")
    assert uppfoljning_send_reminders(today=days_before_close(10)) == 0
    assert mail.outbox == []
    # The full-year period is another matter: A2 has not followed that up yet.
    uppfoljning_send_reminders(today=datetime.date(2025, 2, 5))
    assert recipients() == ["neighbour@example.org"]
    assert Paminnelse.objects.get().period == followups.helar


def test_escalation_to_the_coordinator_nearer_the_close(followups, mk):
    mk(followups.a1, status="approved")
    uppfoljning_send_reminders(today=days_before_close(10))
    assert recipients() == ["board@example.org"]
    uppfoljning_send_reminders(today=days_before_close(7))
    assert recipients() == ["board@example.org", "coordinator@example.org"]
    assert "Avdelning A1 har inte följt upp halvår 2024" in mail.outbox[-1].subject
    assert "ett godkänt åtagande som ännu inte är uppföljt" in body_to("coordinator@example.org")
    # The other area's coordinator hears nothing of SE21's departments.
    assert "other_coordinator@example.org" not in recipients()
    uppfoljning_send_reminders(today=days_before_close(0))  # the closing day itself
    assert len(mail.outbox) == 2


def test_late_approval_gets_both_on_the_same_day(followups, mk):
    mk(followups.a1, status="approved")
    assert uppfoljning_send_reminders(today=days_before_close(2)) == 2
    assert recipients() == ["board@example.org", "coordinator@example.org"]


def test_closed_period_sends_nothing(followups, mk):
    mk(followups.a1, status="approved")
    assert uppfoljning_send_reminders(today=HALVAR_CLOSES + datetime.timedelta(days=1)) == 0
    assert Paminnelse.objects.count() == 0


def test_reopened_period_reminds_only_that_department_against_its_new_date(followups, mk):
    mk(followups.a1, status="approved")
    mk(followups.a2, status="approved")
    Periodoppning.objects.create(
        period=followups.halvar,
        avdelning=followups.a1,
        open_until=datetime.date(2024, 9, 30),
        reason="Sjukdom i styrelsen",
    )
    # Closed for A2 since 31 August; open for A1 until 30 September.
    uppfoljning_send_reminders(today=datetime.date(2024, 9, 20))
    assert recipients() == ["board@example.org"]
    assert "2024-09-30" in mail.outbox[0].body
    uppfoljning_send_reminders(today=datetime.date(2024, 9, 24))
    assert recipients() == ["board@example.org", "coordinator@example.org"]
    assert "neighbour@example.org" not in recipients()


def test_reopening_does_not_repeat_a_reminder_already_sent(followups, mk):
    mk(followups.a1, status="approved")
    uppfoljning_send_reminders(today=days_before_close(10))
    Periodoppning.objects.create(
        period=followups.halvar,
        avdelning=followups.a1,
        open_until=datetime.date(2024, 9, 30),
        reason="Försenat",
    )
    uppfoljning_send_reminders(today=datetime.date(2024, 9, 20))
    assert recipients() == ["board@example.org"]


def test_run_twice_sends_each_reminder_once(followups, mk):
    mk(followups.a1, status="approved")
    mk(followups.b1, status="approved")
    send_uppfoljning_reminders.delay(days_before_close(5).isoformat())
    first = recipients()
    assert first == [
        "board@example.org",
        "coordinator@example.org",
        "other_coordinator@example.org",
        "outsider@example.org",
    ]
    send_uppfoljning_reminders.delay(days_before_close(5).isoformat())
    send_uppfoljning_reminders.delay(days_before_close(4).isoformat())
    assert recipients() == first
    assert Paminnelse.objects.filter(period=followups.halvar).count() == 4


def test_department_outside_the_project_not_reminded(followups, mk):
    # SE22 joined in 2020: B1's (wrongly) approved 2019 commitment is not chased in 2019.
    halvar_2019 = Uppfoljningsperiod.ensure_year(2019)[0]
    mk(followups.a1, status="approved", year=2019)
    mk(followups.b1, status="approved", year=2019)
    uppfoljning_send_reminders(today=halvar_2019.closes_on - datetime.timedelta(days=3))
    assert recipients() == ["board@example.org", "coordinator@example.org"]


def test_no_recipients_no_claim_until_someone_is_there(followups, mk):
    mk(followups.a1, status="approved")
    Person.objects.filter(user__in=[followups.board, followups.coordinator]).update(email="")
    assert uppfoljning_send_reminders(today=days_before_close(5)) == 0
    assert mail.outbox == [] and Paminnelse.objects.count() == 0
    # The board member's login address is enough.
    followups.board.email = "board-login@example.org"
    followups.board.save()
    assert uppfoljning_send_reminders(today=days_before_close(4)) == 1
    assert recipients() == ["board-login@example.org"]


def test_failed_send_leaves_no_claim(followups, mk, monkeypatch):
    mk(followups.a1, status="approved")

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        uppfoljning_send_reminders(today=days_before_close(10))
    assert Paminnelse.objects.count() == 0
    monkeypatch.undo()
    assert uppfoljning_send_reminders(today=days_before_close(9)) == 1


@pytest.mark.parametrize(
    ("remind", "escalate"),
    [(-1, 0), (14, -1), (7, 14), ("14", 7)],
)
def test_bad_followup_days_are_refused(followups, settings, remind, escalate):
    settings.UPPFOLJNING_REMINDER_DAYS = remind
    settings.UPPFOLJNING_ESCALATION_DAYS = escalate
    with pytest.raises(ImproperlyConfigured, match="UPPFOLJNING_"):
        uppfoljning_send_reminders(today=days_before_close(5))


@pytest.mark.parametrize(
    "env",
    [
        {"UPPFOLJNING_REMINDER_DAYS": "fjorton"},
        {"UPPFOLJNING_REMINDER_DAYS": "5", "UPPFOLJNING_ESCALATION_DAYS": "7"},
    ],
)
def test_bad_followup_days_stop_the_start_up(env):
    r = run_manage("check", env={**PRODUCTION_ENV, **env})
    assert r.returncode != 0
    assert "UPPFOLJNING_REMINDER_DAYS" in r.stderr


def test_two_workers_at_once_send_each_reminder_once(transactional_db, cast, settings):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    settings.UPPFOLJNING_REMINDER_DAYS = 14
    settings.UPPFOLJNING_ESCALATION_DAYS = 7
    for user in (cast.board, cast.neighbour, cast.coordinator):
        Person.objects.filter(user=user).update(email=f"{user.username}@example.org")
    Uppfoljningsperiod.ensure_year(2024)
    make_atagande(cast.a1, status="approved")
    make_atagande(cast.a2, status="approved")
    workers = 4
    barrier = threading.Barrier(workers, timeout=30)
    sent, errors = [], []

    def work():
        try:
            barrier.wait()
            sent.append(uppfoljning_send_reminders(today=days_before_close(3)))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    # A1 and A2: a reminder each to their boards, an escalation each to the coordinator.
    assert sum(sent) == 4
    assert recipients() == [
        "board@example.org",
        "coordinator@example.org",
        "coordinator@example.org",
        "neighbour@example.org",
    ]
    assert Paminnelse.objects.count() == 4


# --- the beat schedule --------------------------------------------------------------


def test_every_beat_entry_names_a_registered_task(settings):
    from regionalsamverkan.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    daily = schedule["uppfoljning-reminders"]
    assert daily["task"] == "mal.tasks.send_uppfoljning_reminders"
    assert daily["schedule"].hour == {7} and len(daily["schedule"].day_of_month) == 31
    # The previous year's report is compiled in mid-January, once a year.
    yearly = schedule["rapport-previous-year"]["schedule"]
    days = (datetime.date(2025, 1, 1) + datetime.timedelta(days=n) for n in range(365))
    due = [d for d in days if d.day in yearly.day_of_month and d.month in yearly.month_of_year]
    assert due == [datetime.date(2025, 1, 15)]


def test_mid_january_task_compiles_last_years_reports(cast, django_capture_on_commit_callbacks):
    from rapporter.models import Rapportversion
    from rapporter.tasks import compile_previous_year

    last_year = timezone.localdate().year - 1
    with django_capture_on_commit_callbacks(execute=True):
        pks = compile_previous_year.delay().get()
    versions = Rapportversion.objects.filter(pk__in=pks)
    assert sorted(versions.values_list("year", "edition", "status")) == [
        (last_year, "forbundsstyrelse", "done"),
        (last_year, "styrgrupp", "done"),
    ]
