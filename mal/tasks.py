import datetime

from celery import shared_task

from .reminders import atagande_send_reminders


@shared_task
def send_atagande_reminders(on=None):
    """Daily: remind departments that have not submitted this year's commitments.
    Safe to run twice: each reminder is claimed by a unique row before it is sent."""
    today = datetime.date.fromisoformat(on) if on else None
    return atagande_send_reminders(today=today)
