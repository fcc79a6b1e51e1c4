"""Celery tasks of the report: each takes ids and calls one service.

acks_late and reject_on_worker_lost are set for every task in settings (CELERY_TASK_*):
a message is only acknowledged when the task has finished, so a dead worker's job is
delivered again; the claim in ``rapport_compile`` makes a second delivery harmless.
"""

import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction

from . import services

log = logging.getLogger(__name__)


@shared_task
def compile_report(version_id):
    version = services.rapport_compile(version_id=version_id)
    return version.pk if version else None


def compile_report_on_commit(version_id: int) -> None:
    """Start compiling the version once the current transaction has committed.

    With a broker, a Celery message (``delay_on_commit``), as every task. Without one (the
    embedded default) Celery runs a task in-process, inside the commit: the request that
    asked for the report would wait for the whole compile (seconds) on a blank page. So
    with ``REPORT_COMPILE_IN_THREAD`` (on by default when no broker is configured, off in
    tests, which keep tasks inline) the job runs in a thread of the web process instead:
    the page answers at once and its progress bar moves (docs/rapport.md, "Förloppet").
    The job claims the version either way, so a second start does nothing.
    """
    if settings.REPORT_COMPILE_IN_THREAD:
        transaction.on_commit(lambda: compile_in_thread(version_id))
    else:
        compile_report.delay_on_commit(version_id)


def compile_in_thread(version_id: int) -> threading.Thread:
    """Run the compile job in a daemon thread. It does not hold up the process's exit; a
    job cut off so stays "running" until the sweep re-queues it, or the project leader
    withdraws it (without a broker there is no beat to run the sweep). The job's own
    transaction is short, after the rendering, so on SQLite it holds the write lock for
    well under the 20 s others wait for it (settings.py)."""
    thread = threading.Thread(
        target=_compile_and_close, args=(version_id,), name=f"rapport-{version_id}", daemon=True
    )
    thread.start()
    return thread


def _compile_and_close(version_id):
    try:
        services.rapport_compile(version_id=version_id)
    except Exception:
        # rapport_compile records its own failures on the version; this is what it could
        # not record (the database gone), and a thread has no one else to tell.
        log.exception("rapportversion %s: the compile thread failed", version_id)
    finally:
        # The thread's connections are its own: closed here, or they stay open for ever.
        connections.close_all()


@shared_task
def sweep_stale_reports():
    requeued, failed = services.rapport_sweep()
    return {"requeued": requeued, "failed": failed}


@shared_task
def compile_previous_year():
    return [v.pk for v in services.rapport_schedule_previous_year()]


# A mail server that does not answer (OSError, smtplib's errors too) is tried again later;
# what was sent before the failure is claimed and not sent again.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def notify_report(version_id, event):
    """Mail that a version is compiled or approved, once."""
    from .notify import rapport_notify

    return rapport_notify(version_id=version_id, event=event)
