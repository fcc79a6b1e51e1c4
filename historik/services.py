"""Recording the audit trail. Every state change in the domain goes through a service
function, and every service function calls ``handelse_record`` inside its transaction, so
a change and its history are saved together or not at all.
"""

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import Handelse


class ConflictError(Exception):
    """Someone else saved the row after this user loaded it (optimistic locking)."""

    message = (
        "Någon annan har sparat ändringar medan du redigerade. Dina uppgifter finns kvar i "
        "formuläret; ladda om sidan för att se de nya uppgifterna och gör om ändringen."
    )


def _plain(value):
    """A value the trail's JSON column can hold: JSON's own types as they are, a file by
    its stored name, anything else (dates, decimals, related rows, ids) as text."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


def snapshot(obj, fields=None):
    """Field values of obj as plain JSON-able values, for diffs."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before, after):
    """{field: [old, new]} for the fields whose value changed."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def tenant_of(obj):
    """(nuts_omrade_id, avdelning_id) of an object, so the trail can be scoped later."""
    from avdelningar.models import Avdelning

    if isinstance(obj, Avdelning):
        return obj.nuts_omrade_id, obj.pk
    # A row that belongs to another (a committee seat, a commitment's follow-up) is the
    # other's tenant's.
    for parent in ("kommitte", "uppdrag", "atagande", "uppfoljning", "forum"):
        if hasattr(obj, f"{parent}_id") and getattr(obj, f"{parent}_id"):
            return tenant_of(getattr(obj, parent))
    avdelning_id = getattr(obj, "avdelning_id", None)
    nuts_id = getattr(obj, "nuts_omrade_id", None)
    if nuts_id is None and avdelning_id:
        nuts_id = (
            Avdelning.objects.filter(pk=avdelning_id)
            .values_list("nuts_omrade_id", flat=True)
            .first()
        )
    return nuts_id, avdelning_id


def handelse_record(
    *,
    user,
    action,
    obj=None,
    model="",
    object_id="",
    object_repr="",
    changes=None,
    note="",
    nuts_omrade_id=None,
    avdelning_id=None,
    request=None,
    ip_address=None,
):
    """One trail row. The address is the request's; work without a request (a background
    job) may pass the address of the request that caused it."""
    if obj is not None:
        model = model or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    authenticated = user is not None and user.is_authenticated
    return Handelse.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        note=note,
        nuts_omrade_id=nuts_omrade_id,
        avdelning_id=avdelning_id,
        ip_address=request.META.get("REMOTE_ADDR") if request else ip_address,
    )


def save_versioned(obj, *, expected_version, update_fields):
    """Save obj only if nobody saved it since it was loaded at expected_version.

    The row's ``version`` column is bumped in the same UPDATE whose WHERE clause checks
    it, so two concurrent editors cannot both win: the second gets ConflictError and
    nothing of theirs is written.
    """
    model = type(obj)
    values = {name: getattr(obj, name) for name in update_fields}
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated != 1:
        raise ConflictError(ConflictError.message)
    obj.version = expected_version + 1


def handelse_record_many(*, user, action, entries, request=None):
    """``handelse_record`` for many objects at once (an import): one row per object, the
    same rows, written in a few INSERTs. entries: [(obj, changes, nuts_omrade_id)]."""
    authenticated = user is not None and user.is_authenticated
    rows = [
        Handelse(
            user=user if authenticated else None,
            username=user.get_username() if authenticated else "",
            action=action,
            model=obj._meta.label,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=changes or {},
            nuts_omrade_id=nuts_omrade_id,
            ip_address=request.META.get("REMOTE_ADDR") if request else None,
        )
        for obj, changes, nuts_omrade_id in entries
    ]
    return Handelse.objects.bulk_create(rows, batch_size=2000)
