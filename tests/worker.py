"""Starting a real Celery worker process for the job tests (Redis and the test database)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_env(**extra):
    """The worker must see the test database and this test's media directory, not the
    development ones; extra settings go in as environment variables."""
    env = dict(os.environ)
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env["TESTING"] = "true"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(**extra):
    """One solo worker: a task runs in the process we can kill."""
    return subprocess.Popen(
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
        env=worker_env(**extra),
    )


def stop_worker(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
