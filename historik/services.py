"""Recording the audit trail. Every state change in the domain goes through a service
function, and every service function calls ``handelse_record`` inside its transaction, so
a change and its history are saved together or not at all.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import Handelse, Versioned

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.forms import BaseModelFormSet
    from django.http import HttpRequest


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


def _related(obj, name):
    if obj.pk is None:
        return []
    return sorted(str(o) for o in getattr(obj, name).all())


def snapshot(obj: models.Model, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """Field values of obj as plain JSON-able values, for diffs. A many-to-many field named
    in fields is the sorted names of its related rows, so changing only a forum's actors
    or a project's departments shows in the diff (it used to record no change at all)."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    m2m = {f.name for f in obj._meta.many_to_many}
    return {
        name: _related(obj, name) if name in m2m else _plain(getattr(obj, name)) for name in names
    }


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def tenant_of(obj: object) -> tuple[int | None, int | None]:
    """(nuts_omrade_id, avdelning_id) of an object, so the trail can be scoped: what the
    object says (its ``audit_tenant`` property), or neither. The trail is the ground floor,
    so it asks the object instead of knowing each app's foreign keys."""
    return getattr(obj, "audit_tenant", None) or (None, None)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind settings.TRUSTED_PROXY_COUNT proxies the
    address the outermost of them saw, read from the right of X-Forwarded-For (each proxy
    appends the address it was reached from, so entries left of those are the client's own
    and could say anything). Used for the trail and, through AXES_CLIENT_IP_CALLABLE, for
    the lockout. Something that is not an address falls back to REMOTE_ADDR."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-count] if len(hops) >= count else hops[0]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def handelse_record(
    *,
    user: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
    nuts_omrade_id: int | None = None,
    avdelning_id: int | None = None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
) -> Handelse:
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
        ip_address=client_ip(request) if request else ip_address,
    )


def path_kind(path: str) -> str:
    """A path with its numbers as N: /mal/atagande/12/ and /mal/atagande/13/ are one kind."""
    return re.sub(r"\d+", "N", path)


def handelse_denied(*, user: User, status: int, request: HttpRequest) -> None:
    """Record a refused request (403/404) for a logged-in user, at most once a minute per
    user and kind of path: every refusal wrote a row, and a user walking ids wrote 200 in
    14 seconds. The row's bucket is unique, so concurrent workers cannot both write it;
    the later refusals of the minute are dropped."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    bucket = f"denied:{user.pk}:{minute}:{path_kind(request.path)}"[:255]
    row = Handelse(
        user=user,
        username=user.get_username(),
        action=Handelse.Action.DENIED,
        object_repr=request.path[:200],
        note=f"{status} {request.method} {request.get_full_path()[:500]}",
        ip_address=client_ip(request),
        bucket=bucket,
    )
    Handelse.objects.bulk_create([row], ignore_conflicts=True)


def save_versioned(obj: Versioned, *, expected_version: int, update_fields: Sequence[str]) -> None:
    """Save obj only if nobody saved it since it was loaded at expected_version.

    The row's ``version`` column is bumped in the same UPDATE whose WHERE clause checks
    it, so two concurrent editors cannot both win: the second gets ConflictError and
    nothing of theirs is written.
    """
    model = type(obj)
    values = {name: getattr(obj, name) for name in update_fields}
    # A queryset UPDATE skips auto_now: stamp "ändrad" here, or an edit would leave it (and
    # the caches keyed on it, such as the activity list's filter options) where it was.
    values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated != 1:
        raise ConflictError(ConflictError.message)
    obj.version = expected_version + 1
    obj.updated_at = values["updated_at"]


def handelse_record_many(
    *,
    user: User | AnonymousUser | None,
    action: str,
    entries: Iterable[tuple[models.Model, dict[str, Any] | None, int | None]],
    request: HttpRequest | None = None,
) -> list[Handelse]:
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
            ip_address=client_ip(request),
        )
        for obj, changes, nuts_omrade_id in entries
    ]
    return Handelse.objects.bulk_create(rows, batch_size=2000)


def formset_save_recorded(
    formset: BaseModelFormSet,
    *,
    user: User,
    request: HttpRequest | None = None,
    fields: Sequence[str] | None = None,
) -> None:
    """Save a validated model formset and record each row it created, changed or deleted,
    with its field diff (a deleted row's last values), one trail row per object as admin
    does. A formset's save recorded one row with only the new values, and none for a
    deleted row: deleting a maturity guideline left ``changes={}``.

    The old values are read from the database: validating the formset has already put the
    submitted values on its forms' instances."""
    model = formset.model
    pk_of = {id(f.instance): f.instance.pk for f in formset.initial_forms if f.instance.pk}
    current = model._default_manager.filter(pk__in=pk_of.values())
    before = {o.pk: (snapshot(o, fields), str(o)) for o in current}
    with transaction.atomic():
        formset.save()
        for obj in formset.new_objects:
            handelse_record(
                user=user,
                action=Handelse.Action.CREATE,
                obj=obj,
                changes=diff({}, snapshot(obj, fields)),
                request=request,
            )
        for obj, _fields in formset.changed_objects:
            old, _label = before.get(obj.pk, ({}, ""))
            changes = diff(old, snapshot(obj, fields))
            if changes:
                handelse_record(
                    user=user,
                    action=Handelse.Action.UPDATE,
                    obj=obj,
                    changes=changes,
                    request=request,
                )
        for obj in formset.deleted_objects:
            pk = pk_of.get(id(obj))
            old, label = before.get(pk, ({}, str(obj)))
            handelse_record(
                user=user,
                action=Handelse.Action.DELETE,
                model=model._meta.label,
                object_id=str(pk),
                object_repr=label,
                changes=diff(old, {}),
                request=request,
            )
