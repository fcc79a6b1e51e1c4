"""Celery tasks of the file machinery."""

from celery import shared_task

from . import imports


@shared_task
def purge_import_previews():
    """Delete import previews nobody confirmed within a day (safe to run twice)."""
    return imports.purge_previews()
