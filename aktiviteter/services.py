"""Logging and changing activities, and the shared register: checks, save and history
together.

Each function that writes checks what the user may do itself, with the same predicate
(``avdelningar.access``) and the same Swedish refusal (PermissionDenied, below) as the
view in front of it, so a task or a command calling it cannot skip the check. Then the
links between the rows (a forum of another area, a workplace of another department …):
ValidationError with a Swedish message, before anything is written.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from avdelningar.access import Scope, can_edit_kontaktperson, require, scope_for
from avdelningar.models import Lan, NutsOmrade
from historik.models import Handelse
from historik.services import (
    diff,
    handelse_record,
    handelse_record_many,
    save_versioned,
    snapshot,
)

from . import listcache
from .models import (
    EARLIEST_DATE,
    NOTES_MAX,
    Aktivitet,
    Aktor,
    Forum,
    Kontaktperson,
    Strukturfondsprojekt,
)

# The refusals, worded once: a view states them before it shows a form, the service again
# before it writes.
CANNOT_LOG = "Din roll kan läsa aktiviteter men inte logga nya."
CANNOT_IMPORT = "Din roll kan läsa aktiviteter men inte importera."
READ_ONLY = "Du kan läsa men inte ändra den här aktiviteten."
CANNOT_DELETE = "Bara områdets samordnare och projektledaren kan ta bort aktiviteter."
CANNOT_DELETE_NATIONAL = (
    "Bara projektledaren, och arbetslivsenheten för avdelningar utanför piloten, kan ta bort "
    "nationella aktiviteter."
)
CANNOT_LOG_NATIONAL = "Bara projektledaren och arbetslivsenheten kan logga nationella aktiviteter."
NATIONAL_NO_FORUM = "Ett forum hör till ett område; en nationell aktivitet har inget forum."
ONLY_NATIONAL = "Din roll loggar nationella aktiviteter, utan område: välj nivån Nationell."
CANNOT_ADD_AKTOR = "Bara samordnare och projektledaren kan lägga till aktörer."
REGISTER_LABELS = {Aktor: "aktör", Forum: "forum", Strukturfondsprojekt: "strukturfondsprojekt"}

RegisterRow = Aktor | Forum | Strukturfondsprojekt

SCALAR_FIELDS = [
    "date",
    "typ",
    "title",
    "notes",
    "niva",
    "nuts_omrade",
    "forum",
    "projekt",
    "participants_women",
    "participants_men",
    "participants_other",
    "next_step",
    "next_step_due",
    "next_step_done_at",
]
M2M_FIELDS = ["avdelningar", "verksamhetsmal", "aktorer", "arbetsplatser"]


def register_read_only(model: type[RegisterRow]) -> str:
    """The refusal for a register row the user may read but not change."""
    return f"Du kan läsa men inte ändra det här: {REGISTER_LABELS[model]}."


def latest_allowed_date() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


def check_aktivitet(*, scope: Scope, data: dict) -> None:
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
    if data.get("niva") == Aktivitet.Niva.NATIONELL:
        errors.update(_national_errors(scope=scope, data=data, avdelningar=avdelningar))
    elif nuts is None:
        errors["nuts_omrade"] = "Välj NUTS-område."
    elif not scope.logs_area_activities:
        errors["nuts_omrade"] = ONLY_NATIONAL
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


def _with_level(data: dict) -> dict:
    """A copy of data with its level: a caller that names none means an area's activity
    (as every activity was before national ones), so a change with an area never leaves a
    national level behind on the row."""
    return {**data, "niva": data.get("niva") or Aktivitet.Niva.OMRADE}


def _national_errors(*, scope: Scope, data: dict, avdelningar: list) -> dict[str, str]:
    """{field: message} for a national activity (niva nationell): no area, logged by the
    project leader or the working-life unit, the unit's only for departments outside the
    pilot in the activity's year (access.py, can_log_national)."""
    errors = {}
    date = data.get("date")
    year = date.year if date else timezone.localdate().year
    if data.get("nuts_omrade") is not None:
        errors["nuts_omrade"] = "En nationell aktivitet har inget NUTS-område."
    if not scope.logs_national_activities:
        errors["niva"] = CANNOT_LOG_NATIONAL
    elif not scope.can_log_national(avdelningar, year=year):
        pilot = scope.pilot_nuts_ids(year)
        names = ", ".join(a.name for a in avdelningar if a.nuts_omrade_id in pilot)
        errors["avdelningar"] = (
            f"Arbetslivsenheten loggar bara för avdelningar utanför piloten, och {names} "
            f"är med i projektet {year}."
        )
    if data.get("forum") is not None:
        errors["forum"] = NATIONAL_NO_FORUM
    return errors


def cannot_delete(aktivitet: Aktivitet) -> str:
    """The refusal to delete this activity."""
    return CANNOT_DELETE_NATIONAL if aktivitet.is_national else CANNOT_DELETE


def _set_relations(aktivitet: Aktivitet, data: dict) -> None:
    for name in M2M_FIELDS:
        getattr(aktivitet, name).set(data.get(name) or [])


def _relations_snapshot(aktivitet: Aktivitet) -> dict[str, list[str]]:
    return {name: sorted(str(o) for o in getattr(aktivitet, name).all()) for name in M2M_FIELDS}


def _new_aktivitet(*, user: User, data: dict, import_key: str = "") -> Aktivitet:
    aktivitet = Aktivitet(created_by=user, import_key=import_key)
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(aktivitet, name, data[name] if data[name] is not None else _blank(name))
    return aktivitet


class AlreadySaved(Exception):  # noqa: N818 (not an error: the work is done)
    """The form was submitted before (a double click, a second tab): ``aktivitet`` is the
    activity the first submit created."""

    def __init__(self, aktivitet: Aktivitet):
        super().__init__("Aktiviteten är redan sparad.")
        self.aktivitet = aktivitet


def _already_saved(*, user: User, form_token: str) -> Exception | None:
    """The activity this form token already created, as AlreadySaved; None if unused. A
    token someone else consumed is refused (it can only have been copied or made up)."""
    existing = Aktivitet.objects.filter(form_token=form_token).first()
    if existing is None:
        return None
    if existing.created_by_id != user.pk:
        return ValidationError("Formuläret har redan skickats; ladda om sidan och försök igen.")
    return AlreadySaved(existing)


def _add_aktorer(
    *,
    user: User,
    data: dict,
    new_aktorer: Iterable[tuple[str, str]],
    request: HttpRequest | None,
) -> None:
    """Create the actors typed in the form (each [name, type]) and add them to data."""
    added = [
        aktor_create(
            user=user, name=name, typ=typ, nuts_omrade=data.get("nuts_omrade"), request=request
        )
        for name, typ in new_aktorer
    ]
    if added:
        data["aktorer"] = _distinct([*(data.get("aktorer") or []), *added])


def aktivitet_save(
    *,
    user: User,
    data: dict,
    aktivitet: Aktivitet | None = None,
    request: HttpRequest | None = None,
) -> Aktivitet:
    """Save the activity form's cleaned data: log a new activity (aktivitet None) or change
    ``aktivitet``, with the new actors typed in the form (``data["new_aktorer"]``), all in
    one transaction (aktivitet_create's or aktivitet_update's).

    A change is compared with the row as stored, read again here: the form's validation
    wrote the posted values onto the instance the view holds.
    """
    data = dict(data)
    new_aktorer = data.pop("new_aktorer", [])
    if aktivitet is None:
        return aktivitet_create(
            user=user,
            data=data,
            request=request,
            form_token=data.get("form_token") or "",
            new_aktorer=new_aktorer,
        )
    return aktivitet_update(
        aktivitet=Aktivitet.objects.get(pk=aktivitet.pk),
        user=user,
        data=data,
        expected_version=data.get("version") or 0,
        request=request,
        new_aktorer=new_aktorer,
    )


def aktivitet_create(
    *,
    user: User,
    data: dict,
    request: HttpRequest | None = None,
    import_key: str = "",
    form_token: str = "",
    new_aktorer: Iterable[tuple[str, str]] = (),
) -> Aktivitet:
    """Log an activity, with the new actors typed in the form (each (name, type)).

    form_token is the form's one-time token: the row carries it under a unique
    constraint, so a second submit of the same form, even at the same moment, raises
    AlreadySaved with the activity the first one created, and nothing is written twice.
    """
    scope = scope_for(user)
    require(scope.logs_activities, CANNOT_LOG)
    if form_token and (earlier := _already_saved(user=user, form_token=form_token)):
        raise earlier
    data = _with_level(data)
    check_aktivitet(scope=scope, data=data)
    with transaction.atomic():
        aktivitet = _new_aktivitet(user=user, data=data, import_key=import_key)
        aktivitet.form_token = form_token
        try:
            with transaction.atomic():
                aktivitet.save()
        except IntegrityError as exc:
            # Both databases name the column; the other submit has committed by now.
            if not form_token or "form_token" not in str(exc):
                raise
            raise _already_saved(user=user, form_token=form_token) or exc from None
        # The actors after the row: a second submit stops at the token before it makes any.
        _add_aktorer(user=user, data=data, new_aktorer=new_aktorer, request=request)
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


def aktivitet_bulk_create(
    *, user: User, rows: list[tuple[int, dict, str]], request: HttpRequest | None = None
) -> list[Aktivitet]:
    """Create many activities at once (the import), all or none. Returns them.

    rows: [(ref, data, import_key)], data as for aktivitet_create. Every row gets the
    same check as aktivitet_create (check_aktivitet with the user's scope) before anything
    is written; failures raise ValidationError({ref: [messages]}) for every failing row.
    Then a few bulk INSERTs (activities, each link table, history) replace ~10 queries per
    row. The history is the same as aktivitet_create's: one "Importerad" record per
    activity with all its values and links.
    """
    scope = scope_for(user)
    require(scope.logs_activities, CANNOT_IMPORT)
    errors = {}
    rows = [(ref, _with_level(data), key) for ref, data, key in rows]
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


def _distinct(objs: Iterable | None) -> list:
    """Each related row once, as .set() would link it."""
    return list({obj.pk: obj for obj in objs or []}.values())


def aktivitet_update(
    *,
    aktivitet: Aktivitet,
    user: User,
    data: dict,
    expected_version: int,
    request: HttpRequest | None = None,
    new_aktorer: Iterable[tuple[str, str]] = (),
) -> Aktivitet:
    """Change an activity; ConflictError if someone else saved it since it was loaded.

    A changed next step (its text or date) is open again, whatever was marked done."""
    scope = scope_for(user)
    require(aktivitet.can_edit(scope), READ_ONLY)
    data = _with_level(data)
    check_aktivitet(scope=scope, data=data)
    with transaction.atomic():
        before = {**snapshot(aktivitet, SCALAR_ATTRS), **_relations_snapshot(aktivitet)}
        step = (aktivitet.next_step, aktivitet.next_step_due)
        for name in SCALAR_FIELDS:
            if name in data:
                setattr(aktivitet, name, data[name] if data[name] is not None else _blank(name))
        if (aktivitet.next_step, aktivitet.next_step_due) != step:
            aktivitet.next_step_done_at = None
        _save_changed(aktivitet, user=user, expected_version=expected_version)
        _add_aktorer(user=user, data=data, new_aktorer=new_aktorer, request=request)
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


def _save_changed(aktivitet: Aktivitet, *, user: User, expected_version: int) -> None:
    """Save the scalar fields and who changed the row when (save_versioned's UPDATE does
    not run auto_now, and the list cache's stamp reads updated_at)."""
    aktivitet.updated_by = user
    aktivitet.updated_at = timezone.now()
    save_versioned(
        aktivitet,
        expected_version=expected_version,
        update_fields=[*SCALAR_ATTRS, "updated_by_id", "updated_at"],
    )


def aktivitet_next_step_done(
    *, aktivitet: Aktivitet, user: User, request: HttpRequest | None = None
) -> bool:
    """Mark the activity's next step done (recorded). Returns False if it was not open
    (done already, or no next step): marking twice changes nothing."""
    require(aktivitet.can_edit(scope_for(user)), READ_ONLY)
    with transaction.atomic():
        fresh = Aktivitet.objects.select_for_update().get(pk=aktivitet.pk)
        if not fresh.next_step_open:
            return False
        before = snapshot(fresh, ["next_step_done_at"])
        fresh.next_step_done_at = timezone.now()
        _save_changed(fresh, user=user, expected_version=fresh.version)
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=fresh,
            changes=diff(before, snapshot(fresh, ["next_step_done_at"])),
            note=f"Nästa steg klart: {fresh.next_step}"[:500],
            nuts_omrade_id=fresh.nuts_omrade_id,
            request=request,
        )
    aktivitet.next_step_done_at = fresh.next_step_done_at
    return True


def aktivitet_delete(
    *, aktivitet: Aktivitet, user: User, request: HttpRequest | None = None
) -> None:
    """Delete an activity (its area's coordinator, the project leader). The trail keeps
    every field and link of it in the "Borttagen" row."""
    require(aktivitet.can_delete(scope_for(user)), cannot_delete(aktivitet))
    with transaction.atomic():
        changes = {
            **snapshot(aktivitet, [*SCALAR_ATTRS, "created_by_id", "created_at"]),
            **_relations_snapshot(aktivitet),
        }
        handelse_record(
            user=user,
            action=Handelse.Action.DELETE,
            obj=aktivitet,
            changes=changes,
            nuts_omrade_id=aktivitet.nuts_omrade_id,
            request=request,
        )
        aktivitet.delete()
    # After the delete is committed (no request runs inside a transaction).
    listcache.forget_totals()


def aktivitet_export_record(
    *, user: User, fmt: str, query: str, request: HttpRequest | None = None
) -> None:
    """Record in the trail that the user exported the activity list: the format and the
    filters (the query string) it was asked with. Whoever sees the list may export it."""
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        model="aktiviteter.Aktivitet",
        note=f"{fmt}: {query}",
        request=request,
    )


SCALAR_ATTRS = [
    {"nuts_omrade": "nuts_omrade_id", "forum": "forum_id", "projekt": "projekt_id"}.get(n, n)
    for n in SCALAR_FIELDS
]
_TEXT = {"notes", "next_step", "title"}
_COUNTS = {"participants_women", "participants_men", "participants_other"}


def _blank(name: str) -> str | int | None:
    if name in _TEXT:
        return ""
    if name in _COUNTS:
        return 0
    return None


def aktor_create(
    *,
    user: User,
    name: str,
    typ: str,
    nuts_omrade: NutsOmrade | None = None,
    lan: Lan | None = None,
    request: HttpRequest | None = None,
) -> Aktor:
    """Add an actor to the shared register (coordinators in their area, project leader).

    An actor with the same name (case-insensitive) is returned instead of a duplicate.
    """
    nuts_id = nuts_omrade.pk if nuts_omrade else (lan.nuts_omrade_id if lan else None)
    require(scope_for(user).can_edit_register([nuts_id]), CANNOT_ADD_AKTOR)
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


def register_save(
    *, user: User, form: ModelForm, request: HttpRequest | None = None
) -> RegisterRow:
    """Create or change an actor, forum or fund project from its validated ModelForm.

    Who may is the row's ``can_edit`` (access.py's register rule), asked of the row as
    stored (the form has written the posted values onto its instance); the form offers
    only the areas the user may put it in. A change is saved only if nobody else saved
    it since the form was loaded (ConflictError otherwise).
    """
    scope = scope_for(user)
    obj = form.save(commit=False)
    model = type(obj)
    creating = obj.pk is None
    fields = [f for f in form.Meta.fields if not obj._meta.get_field(f).many_to_many]
    attrs = [obj._meta.get_field(f).attname for f in fields]
    # The trail compares the many-to-many lists too (actors, departments, partners).
    m2m = [f for f in form.Meta.fields if f not in fields]
    audited = attrs + m2m
    with transaction.atomic():
        if creating:
            require(obj.can_edit(scope), register_read_only(model))
            obj.save()
            form.save_m2m()
            changes = snapshot(obj, audited)
        else:
            # The links read once, for the check (a project's areas) and the trail.
            stored = model.objects.prefetch_related(*m2m).get(pk=obj.pk)
            require(stored.can_edit(scope), register_read_only(model))
            before = snapshot(stored, audited)
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


# --- contact persons at actors -------------------------------------------------------------

CANNOT_KONTAKT = "Bara områdets samordnare och projektledaren hanterar kontaktpersoner."
KONTAKT_FIELDS = ["name", "title", "email", "phone", "last_contact", "nuts_omrade_id"]


def kontaktperson_area(*, aktor: Aktor, scope: Scope, chosen: NutsOmrade | None) -> int | None:
    """The area a contact person is kept in: the actor's; for a national actor the chosen
    one (a coordinator's own), or none for the project leader's national contacts."""
    if aktor.nuts_omrade_id is not None:
        return aktor.nuts_omrade_id
    if chosen is not None:
        return chosen.pk
    if scope.is_project_leader:
        return None
    # A coordinator of one area keeps the contact in it; of several, the form asks.
    return min(scope.coordinated_nuts_ids) if scope.coordinated_nuts_ids else None


def kontaktperson_save(
    *,
    user: User,
    form: ModelForm,
    aktor: Aktor,
    request: HttpRequest | None = None,
) -> Kontaktperson:
    """Add or change a contact person at an actor from its validated form (who may:
    access.can_edit_kontaktperson for the contact's area, as stored and as posted)."""
    scope = scope_for(user)
    obj = form.save(commit=False)
    creating = obj.pk is None
    obj.aktor = aktor
    obj.nuts_omrade_id = kontaktperson_area(
        aktor=aktor, scope=scope, chosen=form.cleaned_data.get("nuts_omrade")
    )
    require(can_edit_kontaktperson(scope, obj.nuts_omrade_id), CANNOT_KONTAKT)
    with transaction.atomic():
        if creating:
            obj.save()
            changes = snapshot(obj, KONTAKT_FIELDS)
        else:
            stored = Kontaktperson.objects.get(pk=obj.pk, aktor=aktor)
            require(can_edit_kontaktperson(scope, stored.nuts_omrade_id), CANNOT_KONTAKT)
            before = snapshot(stored, KONTAKT_FIELDS)
            save_versioned(
                obj,
                expected_version=form.cleaned_data.get("version") or 0,
                update_fields=KONTAKT_FIELDS,
            )
            changes = diff(before, snapshot(obj, KONTAKT_FIELDS))
        handelse_record(
            user=user,
            action=Handelse.Action.CREATE if creating else Handelse.Action.UPDATE,
            obj=obj,
            changes=changes,
            nuts_omrade_id=obj.nuts_omrade_id,
            request=request,
        )
    return obj


def kontaktperson_delete(
    *, kontaktperson: Kontaktperson, user: User, request: HttpRequest | None = None
) -> None:
    """Remove a contact person (the trail keeps that it was removed, not who it was)."""
    require(can_edit_kontaktperson(scope_for(user), kontaktperson.nuts_omrade_id), CANNOT_KONTAKT)
    with transaction.atomic():
        handelse_record(
            user=user,
            action=Handelse.Action.DELETE,
            obj=kontaktperson,
            object_repr=f"kontaktperson {kontaktperson.pk} vid {kontaktperson.aktor}",
            note="Kontaktperson borttagen.",
            nuts_omrade_id=kontaktperson.nuts_omrade_id,
            request=request,
        )
        kontaktperson.delete()


def kontaktperson_register_extract(
    *, kontaktperson: Kontaktperson, user: User, request: HttpRequest | None = None
) -> dict:
    """Everything the system holds about a contact person (GDPR art. 15): the row and the
    trail rows about it. Recorded as an export."""
    audit = Handelse.objects.filter(
        model=Kontaktperson._meta.label, object_id=str(kontaktperson.pk)
    ).order_by("at", "id")
    k = kontaktperson
    data = {
        "kontaktperson": {
            "id": k.pk,
            "namn": k.name,
            "titel eller roll": k.title,
            "e-post": k.email,
            "telefon": k.phone,
            "senaste kontakt": k.last_contact.isoformat() if k.last_contact else "",
            "aktör": str(k.aktor),
            "NUTS-område": str(k.nuts_omrade) if k.nuts_omrade_id else "",
            "skapad": timezone.localtime(k.created_at).isoformat(timespec="seconds"),
            "anonymiserad": (
                timezone.localtime(k.anonymized_at).isoformat(timespec="seconds")
                if k.anonymized_at
                else ""
            ),
        },
        "historik": [
            {
                "tidpunkt": timezone.localtime(h.at).isoformat(timespec="seconds"),
                "användare": h.username,
                "händelse": h.get_action_display(),
                "ändringar": h.changes,
                "anteckning": h.note,
            }
            for h in audit
        ],
    }
    handelse_record(
        user=user,
        action=Handelse.Action.EXPORT,
        obj=k,
        note="Registerutdrag",
        nuts_omrade_id=k.nuts_omrade_id,
        request=request,
    )
    return data


def kontaktperson_anonymize(
    *, kontaktperson: Kontaktperson, user: User | None, request: HttpRequest | None = None
) -> Kontaktperson:
    """Remove the name and contact details (the person asked, or left the actor); the row
    stays for the trail but is no longer shown anywhere in the app. Twice is harmless."""
    with transaction.atomic():
        k = Kontaktperson.objects.select_for_update().get(pk=kontaktperson.pk)
        if k.anonymized_at:
            return k
        cleared = [f for f in ("name", "title", "email", "phone") if getattr(k, f)]
        k.name = f"Anonymiserad kontaktperson {k.pk}"
        k.title = k.email = k.phone = ""
        k.anonymized_at = timezone.now()
        k.save(update_fields=["name", "title", "email", "phone", "anonymized_at", "updated_at"])
        handelse_record(
            user=user,
            action=Handelse.Action.UPDATE,
            obj=k,
            changes={name: ["(borttaget)", getattr(k, name)] for name in cleared},
            note="Anonymiserad: namn och kontaktuppgifter borttagna.",
            nuts_omrade_id=k.nuts_omrade_id,
            request=request,
        )
    return k


def kontaktpersoner_purge(*, days: int, dry_run: bool = False) -> int:
    """Delete the contact persons not contacted for days (the retention rule); each
    deletion in the trail without the person's details. Returns how many."""
    cutoff = timezone.localdate() - datetime.timedelta(days=days)
    count = 0
    with transaction.atomic():
        old = Kontaktperson.objects.not_contacted_since(cutoff).select_related("aktor")
        for k in old.select_for_update(of=("self",)):
            count += 1
            if dry_run:
                continue
            handelse_record(
                user=None,
                action=Handelse.Action.DELETE,
                obj=k,
                object_repr=f"kontaktperson {k.pk} vid {k.aktor}",
                note=f"Gallring: ingen kontakt på {days} dagar",
                nuts_omrade_id=k.nuts_omrade_id,
            )
            k.delete()
    return count
