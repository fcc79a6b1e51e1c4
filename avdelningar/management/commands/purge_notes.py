"""Clear free-text notes older than the retention period (settings.RETENTION_NOTES_DAYS).

Which fields count as free-text notes is an explicit list in settings,
``RETENTION_TEXT_FIELDS = ["app.Model.field", ...]``; each app adds its own. A label whose
model does not exist (the app is not there yet) is skipped with a note; a label naming a
missing field, or a model without a date to measure age by, is an error. Age is measured
by the model's ``retention_date_field`` attribute if it has one, otherwise by the first of
``created_at``, ``date``, ``at`` it has. Each cleared row is recorded in the audit trail
(without the text).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from historik.models import Handelse
from historik.services import handelse_record

DATE_FIELDS = ("created_at", "date", "at")


def resolve(label):
    """(model, field name, date field name) or None if the model does not exist yet."""
    try:
        app_label, model_name, field_name = label.split(".")
    except ValueError:
        raise CommandError(f"RETENTION_TEXT_FIELDS: {label!r} ska vara app.Modell.fält") from None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        raise CommandError(f"RETENTION_TEXT_FIELDS: {label!r}: fältet finns inte") from None
    if not isinstance(field, models.CharField | models.TextField):
        raise CommandError(f"RETENTION_TEXT_FIELDS: {label!r} är inget textfält")
    date_field = getattr(model, "retention_date_field", None)
    if date_field is None:
        names = {f.name for f in model._meta.concrete_fields}
        date_field = next((n for n in DATE_FIELDS if n in names), None)
    if date_field is None:
        raise CommandError(f"RETENTION_TEXT_FIELDS: {label!r}: modellen har inget datumfält")
    return model, field_name, date_field


class Command(BaseCommand):
    help = "Tömmer fritextanteckningar äldre än RETENTION_NOTES_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Räkna bara, ändra inget.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.RETENTION_NOTES_DAYS
        if days <= 0:
            self.stdout.write("Gallring avstängd (RETENTION_NOTES_DAYS=0).")
            return
        cutoff = timezone.now() - datetime.timedelta(days=days)
        for label in settings.RETENTION_TEXT_FIELDS:
            found = resolve(label)
            if found is None:
                self.stdout.write(f"{label}: modellen finns inte, hoppar över.")
                continue
            model, field_name, date_field = found
            if isinstance(model._meta.get_field(date_field), models.DateField) and not isinstance(
                model._meta.get_field(date_field), models.DateTimeField
            ):
                limit = timezone.localdate(cutoff)
            else:
                limit = cutoff
            old = model._default_manager.filter(**{f"{date_field}__lt": limit}).exclude(
                **{field_name: ""}
            )
            count = 0
            with transaction.atomic():
                for obj in old.select_for_update().only("pk", field_name, date_field):
                    count += 1
                    if dry_run:
                        continue
                    model._default_manager.filter(pk=obj.pk).update(**{field_name: ""})
                    handelse_record(
                        user=None,
                        action=Handelse.Action.UPDATE,
                        model=model._meta.label,
                        object_id=str(obj.pk),
                        object_repr=f"{model._meta.verbose_name} {obj.pk}",
                        changes={field_name: ["(gallrad)", ""]},
                        note=f"Gallring: fritext äldre än {days} dagar",
                    )
            verb = "skulle tömmas" if dry_run else "tömda"
            self.stdout.write(f"{label}: {count} {verb}.")
