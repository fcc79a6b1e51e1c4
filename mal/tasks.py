"""Daily reminder tasks (Celery beat): each takes a date and calls one service. Safe to run
twice: each reminder is claimed by a unique row in the transaction that sends it."""

import datetime

from celery import shared_task

from .reminders import atagande_send_reminders, uppfoljning_send_reminders


def _date(on):
    return datetime.date.fromisoformat(on) if on else None


@shared_task
def send_atagande_reminders(on=None):
    """Remind departments that have not submitted this year's commitments."""
    return atagande_send_reminders(today=_date(on))


@shared_task
def send_uppfoljning_reminders(on=None):
    """Remind departments whose approved commitments lack a follow-up for a closing period."""
    return uppfoljning_send_reminders(today=_date(on))


# A mail server that does not answer (OSError, smtplib's errors too) is tried again later;
# what was sent before the failure is claimed and not sent again.
@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def notify_atagande(atagande_id, event, version, actor_id=None):
    """Mail a commitment's transition (submitted, approved, returned) once."""
    from .notify import atagande_notify

    return atagande_notify(atagande_id=atagande_id, event=event, version=version, actor_id=actor_id)
