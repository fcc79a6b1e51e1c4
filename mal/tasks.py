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
