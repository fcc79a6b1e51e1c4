"""Celery tasks of the wiring package itself (listed in CELERY_IMPORTS: it is no app, so
autodiscovery does not find them)."""

from celery import shared_task

from . import imports


@shared_task
def purge_import_previews():
    """Delete import previews nobody confirmed within a day (safe to run twice)."""
    return imports.purge_previews()
