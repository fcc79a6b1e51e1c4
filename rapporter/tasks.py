"""Celery tasks of the report: each takes ids and calls one service.

acks_late and reject_on_worker_lost are set for every task in settings (CELERY_TASK_*):
a message is only acknowledged when the task has finished, so a dead worker's job is
delivered again; the claim in ``rapport_compile`` makes a second delivery harmless.
"""

from celery import shared_task

from . import services


@shared_task
def compile_report(version_id):
    version = services.rapport_compile(version_id=version_id)
    return version.pk if version else None


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
