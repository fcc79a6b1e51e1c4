"""A real Celery worker process against Redis and the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from avdelningar.tasks import health_check
from regionalsamverkan.celery import app
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def worker_env():
    """The worker must see the test database, not the development one."""
    env = dict(os.environ)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["TESTING"] = "true"
    return env


@pytest.fixture
def celery_worker_process(transactional_db):
    require_service("Redis", bool(settings.CELERY_BROKER_URL))
    require_service("PostgreSQL", connection.vendor == "postgresql")
    app.conf.task_always_eager = False
    app.control.purge()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "regionalsamverkan",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=worker_env(),
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.services
def test_real_worker_runs_a_task_against_the_database(celery_worker_process):
    started = time.monotonic()
    result = health_check.delay()
    assert result.get(timeout=60) == 8
    assert time.monotonic() - started < 60
