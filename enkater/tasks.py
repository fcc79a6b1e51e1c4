"""Celery tasks of the questionnaires: each takes ids (or a date) and calls one service.
Safe to run twice: every mail is claimed by an Utskick row in the transaction that sends it."""

import datetime

from celery import shared_task

from .notify import enkat_notify_sent, enkat_send_reminders


# A mail server that does not answer is tried again later; what was sent is not sent again.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def notify_enkat_sent(enkat_id):
    """Mail a sent questionnaire's invitation to its recipients."""
    return enkat_notify_sent(enkat_id=enkat_id)


@shared_task
def send_enkat_reminders(on=None):
    """Daily (beat): remind recipients that have not submitted before the deadline."""
    return enkat_send_reminders(today=datetime.date.fromisoformat(on) if on else None)
