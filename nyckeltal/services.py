"""Saving a department's key figures for a year, from the form or the import.

The right to enter them is ``Scope.can_edit_nyckeltal`` (avdelningar/access.py), asked
here as well as in the views, so that a second caller cannot skip it. This year's
workplaces and clubs are not typed: the register's count is kept with the figures when
they are saved (models.py says why).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from avdelningar.access import require, scope_for
from avdelningar.models import Arbetsplats, Avdelning, Klubb
from historik.models import Handelse
from historik.services import handelse_record, save_versioned, snapshot

from .models import ENTERED, Nyckeltal, Pilot, entry_years

EDIT_DENIED = (
    "Nyckeltalen läggs in av avdelningens styrelse, områdets samordnare eller "
    "projektledaren, och för en avdelning utanför projektet av arbetslivsenheten."
)
IMPORT_DENIED = "Du kan inte lägga in nyckeltal för någon avdelning."
NOT_FOUND = "Avdelningen finns inte."


def register_counts(avdelning: Avdelning) -> dict[str, int]:
    """The department's workplaces and clubs in the register now (this year's figures)."""
    return {
        "workplaces": Arbetsplats.objects.filter(avdelning=avdelning).count(),
        "clubs": Klubb.objects.filter(avdelning=avdelning).count(),
    }


def years_message() -> str:
    years = entry_years()
    return f"Nyckeltal läggs in för åren {years.start}–{years.stop - 1}."


def nyckeltal_save(
    *,
    avdelning: Avdelning,
    year: int,
    values: dict[str, int | None],
    user: AbstractBaseUser,
    expected_version: int | None,
    request: HttpRequest | None = None,
    pilot: Pilot | None = None,
    imported: bool = False,
) -> Nyckeltal:
    """Save the entered figures of ``values`` (keys of models.ENTERED; a key left out
    keeps its value). Optimistic lock: ``expected_version`` is the version the form was
    loaded at (0 for a year without figures); None (the import) saves over whatever is
    there. Raises PermissionDenied, ValidationError (constraints, years) or
    historik.services.ConflictError. ``imported``: the trail says it came from a file."""
    scope = scope_for(user)
    if not scope.can_see_nyckeltal(avdelning):
        raise PermissionDenied(NOT_FOUND)
    pilot = pilot or Pilot()
    in_pilot = pilot.covers(avdelning.nuts_omrade_id, year)
    require(scope.can_edit_nyckeltal(avdelning, in_pilot=in_pilot), EDIT_DENIED)
    if year not in entry_years():
        raise ValidationError(years_message())
    values = {k: v for k, v in values.items() if k in ENTERED}
    if year == timezone.localdate().year:
        # The register knows this year's workplaces and clubs: kept, never typed.
        values.update(register_counts(avdelning))
    with transaction.atomic():
        obj, created = Nyckeltal.objects.select_for_update().get_or_create(
            avdelning=avdelning, year=year, defaults={"updated_by": user}
        )
        if created or expected_version is None:
            expected_version = obj.version
        before = snapshot(obj, ENTERED)
        for key, value in values.items():
            setattr(obj, key, value)
        obj.updated_by = user
        obj.full_clean(exclude=["avdelning", "updated_by"])
        save_versioned(
            obj, expected_version=expected_version, update_fields=[*ENTERED, "updated_by"]
        )
        after = snapshot(obj, ENTERED)
        changes = {k: [before[k], after[k]] for k in ENTERED if before[k] != after[k]}
        if created or changes:
            action = Handelse.Action.CREATE if created else Handelse.Action.UPDATE
            handelse_record(
                user=user,
                action=Handelse.Action.IMPORT if imported else action,
                obj=obj,
                changes=changes,
                nuts_omrade_id=avdelning.nuts_omrade_id,
                avdelning_id=avdelning.pk,
                request=request,
            )
    return obj


COMPARISON_DENIED = (
    "Jämförelsen visas för projektledaren, styrgruppen, förbundsstyrelsen, "
    "arbetslivsenheten och de regionala samordnarna."
)


def jamforelse_export_record(
    *, user: AbstractBaseUser, fmt: str, query: str, request: HttpRequest | None = None
) -> None:
    """Record in the trail that the user exported the comparison: the format and the filters
    it was asked with. Only aggregates leave, but every file handed out is in the trail."""
    require(scope_for(user).sees_comparison, COMPARISON_DENIED)
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        model="nyckeltal.Nyckeltal",
        note=f"jämförelse {fmt}: {query}",
        request=request,
    )


def nyckeltal_template_record(
    *, user: AbstractBaseUser, request: HttpRequest | None = None
) -> None:
    """Record that the user downloaded the import template: it carries last year's figures
    of their departments, so it is an export."""
    require(scope_for(user).enters_key_figures, IMPORT_DENIED)
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        model=Nyckeltal._meta.label,
        object_repr="Nyckeltalsmall",
        note="XLSX",
        request=request,
    )
