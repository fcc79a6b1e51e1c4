"""A real Celery worker process against Redis and the test database."""

import time

import pytest
from django.conf import settings
from django.db import connection

from avdelningar.tasks import health_check
from regionalsamverkan.celery import app
from tests.helpers import require_service
from tests.worker import start_worker, stop_worker


@pytest.fixture
def celery_worker_process(transactional_db):
    require_service("Redis", bool(settings.CELERY_BROKER_URL))
    require_service("PostgreSQL", connection.vendor == "postgresql")
    app.conf.task_always_eager = False
    app.control.purge()
    proc = start_worker()
    yield proc
    stop_worker(proc)


@pytest.mark.services
def test_real_worker_runs_a_task_against_the_database(celery_worker_process):
    started = time.monotonic()
    result = health_check.delay()
    assert result.get(timeout=60) == 8
    assert time.monotonic() - started < 60
