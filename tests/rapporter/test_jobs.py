"""The job record: claim, heartbeat, sweep, attempts cap, the beat schedule, the task."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from rapporter import services, tasks
from rapporter.models import Rapportversion

STYR = Rapportversion.Edition.STYRGRUPP


@pytest.fixture
def version(cast):
    return services.rapport_request(year=2024, edition=STYR, user=cast.leader, enqueue=False)


def long_ago():
    return timezone.now() - datetime.timedelta(seconds=settings.REPORT_HEARTBEAT_STALE_SECONDS + 60)


def test_claim_is_conditional(version):
    token = services._claim(version.pk)
    assert token
    # A second worker gets nothing while the heartbeat is fresh.
    assert services._claim(version.pk) is None
    version.refresh_from_db()
    assert version.status == "running" and version.attempts == 1 and version.claimed_by == token


def test_stale_running_job_can_be_claimed_again(version):
    services._claim(version.pk)
    Rapportversion.objects.filter(pk=version.pk).update(heartbeat_at=long_ago())
    assert services._claim(version.pk)
    version.refresh_from_db()
    assert version.attempts == 2


def test_worker_that_lost_its_claim_does_not_write(version, monkeypatch):
    """The sweep handed the job to someone else while this worker was still rendering."""
    real_xlsx = services.render.render_xlsx

    def steal(snap, v):
        Rapportversion.objects.filter(pk=version.pk).update(claimed_by="someone-else")
        return real_xlsx(snap, v)

    monkeypatch.setattr(services.render, "render_xlsx", steal)
    assert services.rapport_compile(version_id=version.pk) is None
    version.refresh_from_db()
    assert version.status == "running" and version.snapshot == {} and not version.pdf


def test_sweep_requeues_stale_and_fails_after_max_attempts(cast, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.compile_report, "delay_on_commit", lambda pk: sent.append(pk))
    fresh = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    stale = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    spent = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    services._claim(fresh.pk)
    services._claim(stale.pk)
    Rapportversion.objects.filter(pk=stale.pk).update(heartbeat_at=long_ago())
    Rapportversion.objects.filter(pk=spent.pk).update(
        status="running", attempts=settings.REPORT_MAX_ATTEMPTS, heartbeat_at=long_ago()
    )
    requeued, failed = services.rapport_sweep()
    assert requeued == [stale.pk] and sent == [stale.pk]
    assert failed == [spent.pk]
    statuses = dict(Rapportversion.objects.values_list("pk", "status"))
    assert statuses == {fresh.pk: "running", stale.pk: "queued", spent.pk: "failed"}
    assert "gett upp" in Rapportversion.objects.get(pk=spent.pk).failure_reason
    # A second sweep right after does not send it again (the heartbeat was refreshed).
    assert services.rapport_sweep() == ([], [])


def test_sweep_resends_a_queued_version_whose_message_was_lost(cast, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.compile_report, "delay_on_commit", lambda pk: sent.append(pk))
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    Rapportversion.objects.filter(pk=v.pk).update(created_at=long_ago())
    assert services.rapport_sweep() == ([v.pk], [])


def test_out_of_attempts_cannot_be_claimed(version):
    Rapportversion.objects.filter(pk=version.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS)
    assert services._claim(version.pk) is None


def test_request_enqueues_on_commit(cast, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.compile_report, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        v = services.rapport_request(year=2024, edition=STYR)
    assert sent == []  # nothing before the commit
    for cb in callbacks:
        cb()
    assert sent == [v.pk]


def test_eager_task_compiles(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        v = services.rapport_request(year=2024, edition=STYR)
    v.refresh_from_db()
    assert v.status == "done"


def test_version_numbers_count_per_report(cast):
    a = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    b = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    c = services.rapport_request(year=2024, nuts_omrade=cast.se21, edition=STYR, enqueue=False)
    d = services.rapport_request(year=2024, edition="forbundsstyrelse", enqueue=False)
    assert (a.number, b.number, c.number, d.number) == (1, 2, 1, 1)


def test_scheduled_previous_year(cast):
    made = services.rapport_schedule_previous_year(today=datetime.date(2025, 1, 15))
    assert sorted((v.year, v.edition) for v in made) == [
        (2024, "forbundsstyrelse"),
        (2024, "styrgrupp"),
    ]
    # Beat firing the entry twice does not compile the same report twice.
    assert services.rapport_schedule_previous_year(today=datetime.date(2025, 1, 15)) == []
    assert Rapportversion.objects.filter(year=2024).count() == 2


def test_beat_schedule():
    schedule = settings.CELERY_BEAT_SCHEDULE
    yearly = schedule["rapport-previous-year"]["schedule"]
    assert schedule["rapport-previous-year"]["task"] == "rapporter.tasks.compile_previous_year"
    assert yearly.day_of_month == {15} and yearly.month_of_year == {1}
    assert schedule["rapport-sweep"]["task"] == "rapporter.tasks.sweep_stale_reports"
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_approval_rules(cast):
    v = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    with pytest.raises(services.ReportError, match="färdig"):
        services.rapport_approve(version=v, user=cast.steering)
    services.rapport_compile(version_id=v.pk)
    services.rapport_approve(version=v, user=cast.steering)
    with pytest.raises(services.ReportError, match="redan godkänd"):
        services.rapport_approve(version=v, user=cast.steering)
    w = services.rapport_request(year=2024, edition=STYR, enqueue=False)
    services.rapport_compile(version_id=w.pk)
    with pytest.raises(services.ReportError, match="Version 1 är redan godkänd"):
        services.rapport_approve(version=w, user=cast.steering)
