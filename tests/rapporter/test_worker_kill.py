"""A real worker killed in the middle of a compilation: no half-written version, and the
retry completes exactly one version."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection

from rapporter import services
from rapporter.models import Rapportversion
from regionalsamverkan.celery import app
from tests.helpers import require_service
from tests.worker import start_worker, stop_worker

STALE = 2


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def status(pk):
    return Rapportversion.objects.filter(pk=pk).values_list("status", flat=True).first()


@pytest.mark.services
def test_killed_worker_leaves_no_half_version_and_retry_completes_once(
    transactional_db, cast, settings
):
    require_service("Redis", bool(settings.CELERY_BROKER_URL))
    require_service("PostgreSQL", connection.vendor == "postgresql")
    settings.REPORT_HEARTBEAT_STALE_SECONDS = STALE
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    app.conf.task_always_eager = False
    app.control.purge()
    workers = []
    try:
        # The first worker pauses after gathering the numbers; we kill it there.
        first = start_worker(REPORT_TEST_PAUSE_SECONDS=120, REPORT_HEARTBEAT_STALE_SECONDS=STALE)
        workers.append(first)
        version = services.rapport_request(year=2024, edition="styrgrupp", user=cast.leader)
        wait_for(lambda: status(version.pk) == "running", 60, "the first worker to start")
        time.sleep(2)  # gathering is done; the worker is in its pause
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        version.refresh_from_db()
        assert version.status == "running" and version.attempts == 1
        assert version.snapshot == {} and not version.pdf and not version.xlsx
        assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))

        # A new worker; once the heartbeat is stale the sweep re-queues the job.
        second = start_worker(REPORT_HEARTBEAT_STALE_SECONDS=STALE)
        workers.append(second)
        time.sleep(STALE + 1)
        requeued, failed = services.rapport_sweep()
        assert requeued == [version.pk] and failed == []
        wait_for(lambda: status(version.pk) == "done", 120, "the retry to finish")

        assert Rapportversion.objects.count() == 1
        version.refresh_from_db()
        assert version.attempts == 2
        assert version.snapshot["year"] == 2024
        assert version.pdf.read()[:4] == b"%PDF"
        assert version.xlsx.read()[:2] == b"PK"
        files = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
        assert files == sorted([Path(version.pdf.name).name, Path(version.xlsx.name).name])
        # Running it again (e.g. the lost message redelivered) changes nothing.
        assert services.rapport_compile(version_id=version.pk) is None
    finally:
        for proc in workers:
            stop_worker(proc)
        app.control.purge()
