"""Logging and changing activities, and adding actors: checks, save and history together.

Each function checks what the user may do (via ``avdelningar.access``) and the links
between the rows (a forum of another area, a workplace of another department …) and
raises ValidationError with a Swedish message before anything is written.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from avdelningar.access import scope_for
from avdelningar.models import today
from historik.models import Handelse
from historik.services import (
    diff,
    handelse_record,
    handelse_record_many,
    save_versioned,
    snapshot,
)

from .models import EARLIEST_DATE, NOTES_MAX, Aktivitet, Aktor

SCALAR_FIELDS = [
    "date",
    "typ",
    "title",
    "notes",
    "nuts_omrade",
    "forum",
    "projekt",
    "participants_women",
    "participants_men",
    "participants_other",
    "next_step",
    "next_step_due",
]
M2M_FIELDS = ["avdelningar", "verksamhetsmal", "aktorer", "arbetsplatser"]


def latest_allowed_date():
    return today() + datetime.timedelta(days=365)


def check_aktivitet(*, scope, data):
    """Raise ValidationError({field: message}) if the activity may not be saved so."""
    errors = {}
    date = data.get("date")
    if date and date < EARLIEST_DATE:
        errors["date"] = f"Datumet ligger före projektets start ({EARLIEST_DATE})."
    elif date and date > latest_allowed_date():
        errors["date"] = "Datumet ligger mer än ett år fram i tiden."
    if not data.get("verksamhetsmal"):
        errors["verksamhetsmal"] = "Välj minst ett verksamhetsmål."
    if len(data.get("notes") or "") > NOTES_MAX:
        errors["notes"] = f"Anteckningarna får vara högst {NOTES_MAX} tecken."
    for name in ("participants_women", "participants_men", "participants_other"):
        if (data.get(name) or 0) < 0:
            errors[name] = "Antalet kan inte vara negativt."

    nuts = data.get("nuts_omrade")
    avdelningar = list(data.get("avdelningar") or [])
    if nuts is None:
        errors["nuts_omrade"] = "Välj NUTS-område."
    elif not scope.can_edit_nuts(nuts.pk):
        # Department users log for their own departments, within those departments' area.
        if not avdelningar:
            errors["avdelningar"] = "Välj din avdelning."
        elif not all(scope.can_log_for_avdelning(a) for a in avdelningar):
            errors["avdelningar"] = "Du kan bara logga aktiviteter för din egen avdelning."
        elif nuts.pk not in {a.nuts_omrade_id for a in avdelningar}:
            errors["nuts_omrade"] = "Området måste vara din avdelnings område."
    if nuts is not None:
        forum = data.get("forum")
        if forum is not None and forum.nuts_omrade_id != nuts.pk:
            errors["forum"] = "Forumet hör till ett annat område än aktiviteten."
        projekt = data.get("projekt")
        if projekt is not None and nuts.pk not in {o.pk for o in projekt.omraden.all()}:
            errors["projekt"] = "Projektet omfattar inte aktivitetens område."
    avd_ids = {a.pk for a in avdelningar}
    stray = [ap for ap in data.get("arbetsplatser") or [] if ap.avdelning_id not in avd_ids]
    if stray:
        errors["arbetsplatser"] = (
            "Arbetsplatsen hör inte till någon av de valda avdelningarna: "
            + ", ".join(str(ap) for ap in stray)
        )
    if errors:
        raise ValidationError(errors)


def _set_relations(aktivitet, data):
    for name in M2M_FIELDS:
        getattr(aktivitet, name).set(data.get(name) or [])


def _relations_snapshot(aktivitet):
    return {name: sorted(str(o) for o in getattr(aktivitet, name).all()) for name in M2M_FIELDS}


def _new_aktivitet(*, user, data, import_key=""):
    aktivitet = Aktivitet(created_by=user, import_key=import_key)
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(aktivitet, name, data[name] if data[name] is not None else _blank(name))
    return aktivitet


def aktivitet_create(*, user, data, request=None, import_key=""):
    scope = scope_for(user)
    check_aktivitet(scope=scope, data=data)
    with transaction.atomic():
        aktivitet = _new_aktivitet(user=user, data=data, import_key=import_key)
        aktivitet.save()
        _set_relations(aktivitet, data)
        handelse_record(
            user=user,
            action=Handelse.Action.IMPORT if import_key else Handelse.Action.CREATE,
            obj=aktivitet,
            changes={**snapshot(aktivitet, SCALAR_ATTRS), **_relations_snapshot(aktivitet)},
            nuts_omrade_id=aktivitet.nuts_omrade_id,
            request=request,
        )
    return aktivitet


def aktivitet_bulk_create(*, user, rows, request=None):
    """Create many activities at once (the import), all or none. Returns them.

    rows: [(ref, data, import_key)], data as for aktivitet_create. Every row gets the
    same check as aktivitet_create (check_aktivitet with the user's scope) before anything
    is written; failures raise ValidationError({ref: [messages]}) for every failing row.
    Then a few bulk INSERTs (activities, each link table, history) replace ~10 queries per
    row. The history is the same as aktivitet_create's: one "Importerad" record per
    activity with all its values and links.
    """
    scope = scope_for(user)
    errors = {}
    for ref, data, _key in rows:
        try:
            check_aktivitet(scope=scope, data=data)
        except ValidationError as exc:
            errors[ref] = [" ".join(exc.messages)]
    if errors:
        raise ValidationError(errors)
    made = [_new_aktivitet(user=user, data=data, import_key=key) for _ref, data, key in rows]
    related = [{name: _distinct(data.get(name)) for name in M2M_FIELDS} for _, data, _ in rows]
    with transaction.atomic():
        try:
            with transaction.atomic():
                Aktivitet.objects.bulk_create(made, batch_size=1000)
        except IntegrityError as exc:
            if "import_key" not in str(exc):  # PostgreSQL and SQLite both name the column
                raise
            # The import key is unique: someone imported the same rows in the meantime.
            raise ValidationError(
                "Några av raderna har just importerats av någon annan; ladda upp filen igen."
            ) from None
        for name in M2M_FIELDS:
            through = getattr(Aktivitet, name).through
            target = Aktivitet._meta.get_field(name).m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                [
                    through(aktivitet_id=aktivitet.pk, **{target: obj.pk})
                    for aktivitet, links in zip(made, related, strict=True)
                    for obj in links[name]
                ],
                batch_size=5000,
            )
        handelse_record_many(
            user=user,
            action=Handelse.Action.IMPORT,
            entries=[
                (
                    aktivitet,
                    {
                        **snapshot(aktivitet, SCALAR_ATTRS),
                        **{name: sorted(str(o) for o in objs) for name, objs in links.items()},
                    },
                    aktivitet.nuts_omrade_id,
                )
                for aktivitet, links in zip(made, related, strict=True)
            ],
            request=request,
        )
    return made


def _distinct(objs):
    """Each related row once, as .set() would link it."""
    return list({obj.pk: obj for obj in objs or []}.values())


def aktivitet_update(*, aktivitet, user, data, expected_version, request=None):
    """Change an activity; ConflictError if someone else saved it since it was loaded."""
    scope = scope_for(user)
    if not aktivitet.can_edit(scope):
        raise PermissionDenied("Du kan läsa men inte ändra den här aktiviteten.")
    check_aktivitet(scope=scope, data=data)
    with transaction.atomic():
        before = {**snapshot(aktivitet, SCALAR_ATTRS), **_relations_snapshot(aktivitet)}
        for name in SCALAR_FIELDS:
            if name in data:
                setattr(aktivitet, name, data[name] if data[name] is not None else _blank(name))
        save_versioned(aktivitet, expected_version=expected_version, update_fields=SCALAR_ATTRS)
        _set_relations(aktivitet, data)
        after = {**snapshot(aktivitet, SCALAR_ATTRS), **_relations_snapshot(aktivitet)}
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=aktivitet,
            changes=diff(before, after),
            nuts_omrade_id=aktivitet.nuts_omrade_id,
            request=request,
        )
    return aktivitet


SCALAR_ATTRS = [
    {"nuts_omrade": "nuts_omrade_id", "forum": "forum_id", "projekt": "projekt_id"}.get(n, n)
    for n in SCALAR_FIELDS
]
_TEXT = {"notes", "next_step", "title"}
_COUNTS = {"participants_women", "participants_men", "participants_other"}


def _blank(name):
    if name in _TEXT:
        return ""
    if name in _COUNTS:
        return 0
    return None


def aktor_create(*, user, name, typ, nuts_omrade=None, lan=None, request=None):
    """Add an actor to the shared register (coordinators in their area, project leader).

    An actor with the same name (case-insensitive) is returned instead of a duplicate.
    """
    scope = scope_for(user)
    nuts_id = nuts_omrade.pk if nuts_omrade else (lan.nuts_omrade_id if lan else None)
    if not (scope.is_project_leader or (nuts_id and scope.can_edit_nuts(nuts_id))):
        raise PermissionDenied("Bara samordnare och projektledaren kan lägga till aktörer.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Ange aktörens namn."})
    if typ not in Aktor.Typ.values:
        raise ValidationError({"typ": "Välj en giltig typ av aktör."})
    existing = Aktor.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    with transaction.atomic():
        aktor = Aktor.objects.create(name=name, typ=typ, nuts_omrade_id=nuts_id, lan=lan)
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE,
            obj=aktor,
            changes=snapshot(aktor),
            nuts_omrade_id=nuts_id,
            request=request,
        )
    return aktor


def register_save(*, user, form, request=None):
    """Create or change an actor, forum or fund project from its validated ModelForm.

    The view has checked that the user may edit the row; a change is saved only if nobody
    else saved it since the form was loaded (ConflictError otherwise).
    """
    obj = form.save(commit=False)
    creating = obj.pk is None
    fields = [f for f in form.Meta.fields if not obj._meta.get_field(f).many_to_many]
    attrs = [obj._meta.get_field(f).attname for f in fields]
    # The trail compares the many-to-many lists too (actors, departments, partners).
    audited = attrs + [f for f in form.Meta.fields if f not in fields]
    with transaction.atomic():
        if creating:
            obj.save()
            form.save_m2m()
            changes = snapshot(obj, audited)
        else:
            before = snapshot(type(obj).objects.get(pk=obj.pk), audited)
            save_versioned(
                obj, expected_version=form.cleaned_data.get("version") or 0, update_fields=attrs
            )
            form.save_m2m()
            changes = diff(before, snapshot(obj, audited))
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE if creating else Handelse.Action.UPDATE,
            obj=obj,
            changes=changes,
            request=request,
        )
    return obj
